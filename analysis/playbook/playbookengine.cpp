#include "playbookengine.h"

#include "core/errorcodes.h"
#include "engineinternal.h"

#include "core/indicatorutil.h"
#include "core/jsonutil.h"
#include "core/logging.h"
#include "stageexecutors.h"
#include "store/actionstore.h"
#include "store/auditlog.h"
#include "store/casestore.h"
#include "store/eventqueries.h"
#include "store/notestore.h"
#include "store/playbookstore.h"
#include "store/sqlutil.h"

#include <QRegularExpression>
#include <QUrl>

#include <map>

namespace causa {

using nlohmann::json;

using namespace engineinternal;

json toJson(const RunView &v)
{
    json stages = json::array();
    for (const StageStateRecord &st : v.stages)
        stages.push_back(toJson(st));
    json actions = json::array();
    for (const ActionRecord &a : v.actions)
        actions.push_back(toJson(a));
    return json{{"run", toJson(v.run)},
                {"stages", stages},
                {"actions", actions},
                {"next_stage", s(v.nextStage)},
                {"waiting_for", s(v.waitingFor)}};
}

PlaybookEngine::PlaybookEngine(CaseStore &store, PlaybookDefinition definition,
                               StageServices services)
    : m_store(store), m_def(std::move(definition)), m_services(std::move(services))
{}

void PlaybookEngine::setConnectors(std::shared_ptr<ActionConnector> primary,
                                   std::shared_ptr<ActionConnector> fallback)
{
    m_primary = std::move(primary);
    m_fallback = std::move(fallback);
}

ActionConnector *PlaybookEngine::connectorFor(const QString &kind) const
{
    if (m_primary && m_primary->supports(kind))
        return m_primary.get();
    if (m_fallback && m_fallback->supports(kind))
        return m_fallback.get();
    return nullptr;
}

Result<PlaybookRunRecord> PlaybookEngine::start(qint64 caseId, const QStringList &inputs,
                                                const QString &actor)
{
    auto cs = m_store.caseSummary(caseId);
    if (!cs)
        return cs.error();
    auto base = m_def.applyInputs(m_def.defaultInputs(), m_inputDefaults);
    if (!base)
        return makeError(base.error().code,
                         QStringLiteral("the team's default playbook inputs (settings): ") +
                             base.error().message,
                         base.error().location);
    auto in = m_def.applyInputs(base.value(), inputs);
    if (!in)
        return in.error();
    PlaybookRunRecord run;
    run.caseId = caseId;
    run.playbookId = m_def.id;
    run.playbookVersion = m_def.version;
    run.inputs = in.value();
    run.state = RunState::Running;
    run.startedBy = actor;
    qint64 runId = 0;
    auto tx = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto id = playbookstore::insertRun(db, run);
        if (!id)
            return id.error();
        runId = id.value();
        for (const StageDefinition &st : m_def.stages) {
            StageStateRecord rec;
            rec.stageId = st.id;
            if (auto r = playbookstore::saveStage(db, runId, rec); !r)
                return r;
        }
        if (auto r = playbookstore::setCaseStatus(db, caseId, QStringLiteral("in_progress")); !r)
            return r;
        auto au = audit::append(db, caseId, actor, QStringLiteral("playbook.run_started"),
                                auditText({{"run_id", runId},
                                           {"playbook", s(m_def.id)},
                                           {"version", s(m_def.version)},
                                           {"inputs", run.inputs}}));
        if (!au)
            return au.error();
        return {};
    });
    if (!tx)
        return tx.error();
    return playbookstore::run(m_store, runId);
}

Result<std::optional<PlaybookRunRecord>> PlaybookEngine::latestRun(qint64 caseId) const
{
    return playbookstore::latestRun(m_store, caseId, m_def.id);
}

Result<PlaybookRunRecord> PlaybookEngine::resumeOrStart(qint64 caseId, const QStringList &inputs,
                                                        const QString &actor)
{
    auto last = latestRun(caseId);
    if (!last)
        return last.error();
    if (last->has_value() && last->value().state != RunState::Completed) {
        const PlaybookRunRecord &run = last->value();
        auto wanted = m_def.applyInputs(run.inputs, inputs);
        if (!wanted)
            return wanted.error();
        if (wanted.value() == run.inputs)
            return run;
        // Different inputs make a different run; the unfinished one stays as it is.
    }
    return start(caseId, inputs, actor);
}

Result<RunView> PlaybookEngine::view(qint64 runId) const
{
    auto run = playbookstore::run(m_store, runId);
    if (!run)
        return run.error();
    auto stored = playbookstore::stages(m_store, runId);
    if (!stored)
        return stored.error();
    auto actions = actionstore::actionsOfRun(m_store, runId);
    if (!actions)
        return actions.error();
    RunView v;
    v.run = run.value();
    v.actions = std::move(actions.value());
    std::map<QString, StageStateRecord> byId;
    for (StageStateRecord &st : stored.value())
        byId[st.stageId] = std::move(st);
    int undecided = 0;
    for (const ActionRecord &a : v.actions)
        undecided += isUndecided(a) ? 1 : 0;
    bool stopped = false;
    for (const StageDefinition &def : m_def.stages) {
        StageStateRecord st;
        if (auto it = byId.find(def.id); it != byId.end())
            st = it->second;
        else
            st.stageId = def.id;
        if (!stopped) {
            if (st.state == StageState::Pending || st.state == StageState::Running) {
                if (def.executor == QLatin1String("close") && undecided > 0) {
                    v.waitingFor =
                        QStringLiteral("%1 action(s) await a decision before the case can close")
                            .arg(undecided);
                } else {
                    v.nextStage = def.id;
                }
                stopped = true;
            } else if (st.state == StageState::AwaitingDecision) {
                const QString proposed = js::str(st.outputs, "proposed_resolution");
                v.waitingFor =
                    proposed.isEmpty()
                        ? QStringLiteral(
                              "stage %1 (%2): evidence is missing; the analyst decides how to close")
                              .arg(def.number, def.title)
                        : QStringLiteral(
                              "stage %1 (%2): the analyst closes the case (proposed: %3)")
                              .arg(def.number, def.title,
                                   QString(proposed).replace(QLatin1Char('_'), QLatin1Char(' ')));
                stopped = true;
            } else if (st.state == StageState::AwaitingApproval && def.blocking) {
                v.waitingFor = QStringLiteral("stage %1 (%2): actions await approval")
                                   .arg(def.number, def.title);
                stopped = true;
            } else if (st.state == StageState::Failed) {
                v.waitingFor = QStringLiteral("stage %1 (%2) failed: %3; re-run or skip it")
                                   .arg(def.number, def.title, st.reason);
                stopped = true;
            }
        }
        v.stages.push_back(std::move(st));
    }
    return v;
}

Result<void> PlaybookEngine::readCase(detail::StageContext &ctx) const
{
    const qint64 caseId = ctx.run.caseId;
    auto cs = m_store.caseSummary(caseId);
    if (!cs)
        return cs.error();
    auto alerts = m_store.alertsOfCase(caseId);
    if (!alerts)
        return alerts.error();
    auto procs = m_store.processesOfCase(caseId);
    if (!procs)
        return procs.error();
    auto inds = m_store.indicatorsOfCase(caseId);
    if (!inds)
        return inds.error();
    auto endpoints = eventq::caseEndpointIds(m_store, caseId);
    if (!endpoints)
        return endpoints.error();
    auto events = eventq::anyEventOn(m_store, endpoints.value());
    if (!events)
        return events.error();
    ctx.caseSummary = cs.value();
    ctx.alerts = std::move(alerts.value());
    ctx.processes = std::move(procs.value());
    ctx.indicators = std::move(inds.value());
    ctx.endpointEvents = events.value();
    return {};
}

namespace {

// The stage's proposed actions: inserted (or found again), auto-approved or left waiting.
// Returns whether any waits for a person; toExecute gets the ones to run now.
Result<bool> persistProposals(QSqlDatabase &db, const PlaybookRunRecord &run,
                              const detail::StageEffects &fx, json &actionIds,
                              std::vector<qint64> &toExecute)
{
    const bool autoRemediation = js::boolean(run.inputs, "AutoRemediation", false);
    bool waiting = false;
    for (const ActionRecord &p : fx.proposals) {
        bool created = false;
        auto a = actionstore::insert(db, p, &created);
        if (!a)
            return a.error();
        actionIds.push_back(a->id);
        if (created) {
            auto r = autoRemediation ? actionstore::recordAutoApproval(
                                           db, a.value(), QStringLiteral("auto-remediation"))
                                     : actionstore::markAwaiting(db, a->id);
            if (!r)
                return r.error();
            // Under TwoPersonRule the automation gives only the first approval: a person must
            // still agree, so the run waits for them instead of executing.
            if (autoRemediation && a->requiredApprovals < 2)
                toExecute.push_back(a->id);
            else
                waiting = true;
        } else if (a->state == ActionState::AwaitingApproval || a->state == ActionState::Proposed) {
            waiting = true;
        } else if (a->state == ActionState::Approved) {
            toExecute.push_back(a->id);
        }
    }
    return waiting;
}

// What the stage did to the case: evidence tags, a raised severity, an automatic close, each
// with its audit entry.
Result<void> persistCaseEffects(QSqlDatabase &db, const PlaybookRunRecord &run,
                                const StageDefinition &stage, const detail::StageEffects &fx,
                                const QString &actor)
{
    for (const detail::EvidenceTag &t : fx.evidence) {
        auto added =
            playbookstore::addEvidence(db, run.caseId, t.kind, t.ref, t.label, t.detail, actor);
        if (!added)
            return added.error();
        if (added.value()) {
            auto au = audit::append(db, run.caseId, actor, QStringLiteral("evidence.tagged"),
                                    auditText({{"kind", s(t.kind)},
                                               {"ref", s(t.ref)},
                                               {"label", s(t.label)},
                                               {"detail", s(t.detail)},
                                               {"stage", s(stage.id)}}));
            if (!au)
                return au.error();
        }
    }
    if (fx.raiseSeverityTo) {
        auto raised = playbookstore::raiseSeverity(db, run.caseId, *fx.raiseSeverityTo,
                                                   fx.severityReason, actor);
        if (!raised)
            return raised.error();
        if (raised.value()) {
            auto au = audit::append(db, run.caseId, actor, QStringLiteral("case.severity_raised"),
                                    auditText({{"severity", s(severityName(*fx.raiseSeverityTo))},
                                               {"reason", s(fx.severityReason)},
                                               {"stage", s(stage.id)}}));
            if (!au)
                return au.error();
        }
    }
    if (fx.closeCase) {
        // Only AutoRemediation closes without the analyst; the audit entry says so.
        if (auto r =
                playbookstore::closeCase(db, run.caseId, fx.closeVerdict, fx.resolutionNote, actor);
            !r)
            return r;
        auto au = audit::append(db, run.caseId, actor, QStringLiteral("case.closed"),
                                auditText({{"resolution", s(fx.closeVerdict)},
                                           {"verdict", s(fx.closeVerdict)},
                                           {"resolution_note", s(fx.resolutionNote)},
                                           {"automatic", true},
                                           {"run_id", run.id}}));
        if (!au)
            return au.error();
    }
    return {};
}

} // namespace

// Everything a stage decided, in the caller's transaction: proposals (auto-approved or waiting),
// evidence, severity, an automatic close, the stage record and its audit entry.
Result<void> PlaybookEngine::persistEffects(QSqlDatabase &db, const PlaybookRunRecord &run,
                                            const StageDefinition &stage,
                                            const detail::StageEffects &fx, StageStateRecord &rec,
                                            const QString &actor, std::vector<qint64> &toExecute)
{
    // A retried transaction starts over (CaseStore::transaction may run this twice).
    toExecute.clear();
    rec.state = fx.state;
    json actionIds = json::array();
    auto waiting = persistProposals(db, run, fx, actionIds, toExecute);
    if (!waiting)
        return waiting.error();
    if (rec.state == StageState::Completed && (waiting.value() || !toExecute.empty()))
        rec.state = StageState::AwaitingApproval;
    if (auto r = persistCaseEffects(db, run, stage, fx, actor); !r)
        return r;
    rec.finishedAt = sql::nowMs();
    if (auto r = playbookstore::saveStage(db, run.id, rec); !r)
        return r;
    auto au = audit::append(db, run.caseId, actor, QStringLiteral("stage.") + toText(rec.state),
                            auditText({{"run_id", run.id},
                                       {"stage", s(stage.id)},
                                       {"number", s(stage.number)},
                                       {"reason", s(rec.reason)},
                                       {"outputs", rec.outputs},
                                       {"actions", actionIds}}));
    return au ? Result<void>() : Result<void>(au.error());
}

std::optional<QString>
PlaybookEngine::declarativeSkip(const StageDefinition &stage,
                                const std::map<QString, StageStateRecord> &byId) const
{
    auto outputOf = [&](const StageCondition &c) -> const json * {
        const auto it = byId.find(c.stage);
        if (it == byId.end() || it->second.state != StageState::Completed)
            return nullptr;
        const auto o = it->second.outputs.find(js::toStd(c.output));
        return o == it->second.outputs.end() ? nullptr : &*o;
    };
    if (stage.skipIf) {
        if (const json *o = outputOf(*stage.skipIf); o && *o == stage.skipIf->equals)
            return stage.skipIf->reason;
    }
    if (stage.runIf) {
        const json *o = outputOf(*stage.runIf);
        if (!o)
            return QStringLiteral("stage %1 did not complete").arg(stage.runIf->stage);
        if (*o != stage.runIf->equals)
            return stage.runIf->reason;
    }
    return std::nullopt;
}

Result<StageStateRecord> PlaybookEngine::execStage(const PlaybookRunRecord &run,
                                                   const StageDefinition &stage,
                                                   const QString &actor)
{
    auto stored = playbookstore::stages(m_store, run.id);
    if (!stored)
        return stored.error();
    std::map<QString, StageStateRecord> byId;
    for (StageStateRecord &st : stored.value())
        byId[st.stageId] = std::move(st);

    StageStateRecord rec;
    rec.stageId = stage.id;
    rec.actor = actor;
    rec.inputs = {{"case_id", run.caseId}, {"playbook_inputs", run.inputs}};
    rec.startedAt = sql::nowMs();

    // Declarative conditions first: they decide without running the executor.
    const std::optional<QString> skipReason = declarativeSkip(stage, byId);

    detail::StageEffects fx;
    if (skipReason) {
        fx.state = StageState::Skipped;
        fx.reason = *skipReason;
        fx.outputs = {{"skipped", true}, {"reason", s(*skipReason)}};
    } else {
        // "running" is persisted so a crash mid-stage is visible and the stage runs again.
        rec.state = StageState::Running;
        auto mark = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
            if (auto r = playbookstore::saveStage(db, run.id, rec); !r)
                return r;
            auto au = audit::append(db, run.caseId, actor, QStringLiteral("stage.running"),
                                    auditText({{"run_id", run.id}, {"stage", s(stage.id)}}));
            return au ? Result<void>() : Result<void>(au.error());
        });
        if (!mark)
            return mark.error();
        detail::StageContext ctx{m_store, m_def, stage, run, byId, m_services, {}, {}, {}, {}};
        if (auto r = readCase(ctx); !r) {
            fx.state = StageState::Failed;
            fx.reason = QStringLiteral("reading the case: ") + r.error().message;
            fx.outputs = {{"error", s(fx.reason)}};
        } else {
            fx = detail::runExecutor(ctx);
        }
    }

    rec.outputs = fx.outputs;
    rec.reason = fx.reason;
    rec.state = fx.state;
    std::vector<qint64> toExecute;
    auto tx = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        return persistEffects(db, run, stage, fx, rec, actor, toExecute);
    });
    if (!tx)
        return tx.error();
    qCInfo(lcPlaybook) << "case" << run.caseId << "stage" << stage.id << "->" << toText(rec.state)
                       << rec.reason;
    for (qint64 id : toExecute) {
        auto done = execute(id, QStringLiteral("auto-remediation"));
        if (!done)
            qCWarning(lcPlaybook) << "auto-remediation of action" << id
                                  << "failed:" << done.error().message;
    }
    if (!toExecute.empty()) {
        if (auto r = refreshRun(run.id, actor); !r)
            return r.error();
        auto again = playbookstore::stages(m_store, run.id);
        if (again)
            for (const StageStateRecord &st : again.value())
                if (st.stageId == stage.id)
                    return st;
    }
    return rec;
}

Result<void> PlaybookEngine::resetAfter(const PlaybookRunRecord &run, const QString &stageId,
                                        const QString &actor, const QString &why)
{
    auto stored = playbookstore::stages(m_store, run.id);
    if (!stored)
        return stored.error();
    const int from = m_def.stageIndex(stageId);
    json reset = json::array();
    std::vector<StageStateRecord> toReset;
    for (const StageStateRecord &st : stored.value()) {
        const int idx = m_def.stageIndex(st.stageId);
        if (idx > from && st.state != StageState::Pending) {
            StageStateRecord p;
            p.stageId = st.stageId;
            toReset.push_back(p);
            reset.push_back(s(st.stageId));
        }
    }
    if (toReset.empty())
        return {};
    return m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        for (const StageStateRecord &p : toReset)
            if (auto r = playbookstore::saveStage(db, run.id, p); !r)
                return r;
        auto au = audit::append(
            db, run.caseId, actor, QStringLiteral("stage.reset"),
            auditText(
                {{"run_id", run.id}, {"after", s(stageId)}, {"stages", reset}, {"why", s(why)}}));
        return au ? Result<void>() : Result<void>(au.error());
    });
}

Result<void> PlaybookEngine::refreshRun(qint64 runId, const QString &actor)
{
    auto v = view(runId);
    if (!v)
        return v.error();
    // A stage waiting for approvals completes once each of its actions has an outcome.
    for (const StageStateRecord &st : v->stages) {
        if (st.state != StageState::AwaitingApproval)
            continue;
        json outcomes = json::array();
        bool all = true;
        for (const ActionRecord &a : v->actions)
            if (a.stageId == st.stageId) {
                all &= !isUndecided(a);
                outcomes.push_back(
                    {{"action_id", a.id}, {"state", std::string(toText(a.state).data())}});
            }
        if (!all)
            continue;
        StageStateRecord done = st;
        done.state = StageState::Completed;
        done.finishedAt = sql::nowMs();
        auto tx = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
            if (auto r = playbookstore::saveStage(db, runId, done); !r)
                return r;
            auto au = audit::append(
                db, v->run.caseId, actor, QStringLiteral("stage.completed"),
                auditText({{"run_id", runId}, {"stage", s(st.stageId)}, {"actions", outcomes}}));
            return au ? Result<void>() : Result<void>(au.error());
        });
        if (!tx)
            return tx;
    }
    auto after = view(runId);
    if (!after)
        return after.error();
    bool allDone = true;
    bool failed = false;
    bool deciding = false;
    for (const StageStateRecord &st : after->stages) {
        allDone &= isFinished(st.state);
        failed |= st.state == StageState::Failed;
        deciding |= st.state == StageState::AwaitingDecision;
    }
    const RunState state = failed                         ? RunState::Failed
                           : allDone                      ? RunState::Completed
                           : deciding                     ? RunState::AwaitingDecision
                           : !after->waitingFor.isEmpty() ? RunState::AwaitingApproval
                                                          : RunState::Running;
    if (state == after->run.state)
        return {};
    return m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        if (auto r = playbookstore::setRunState(db, runId, state); !r)
            return r;
        auto au = audit::append(
            db, after->run.caseId, actor, QStringLiteral("playbook.run_") + toText(state),
            auditText({{"run_id", runId}, {"waiting_for", s(after->waitingFor)}}));
        return au ? Result<void>() : Result<void>(au.error());
    });
}

Result<RunView> PlaybookEngine::runAll(qint64 runId, const QString &actor)
{
    for (size_t guard = 0; guard <= m_def.stages.size(); ++guard) {
        auto v = view(runId);
        if (!v)
            return v.error();
        if (v->nextStage.isEmpty())
            break;
        auto st = execStage(v->run, *m_def.stage(v->nextStage), actor);
        if (!st)
            return st.error();
        if (st->state == StageState::Failed)
            break;
    }
    if (auto r = refreshRun(runId, actor); !r)
        return r.error();
    return view(runId);
}

Result<StageStateRecord> PlaybookEngine::step(qint64 runId, const QString &actor)
{
    auto v = view(runId);
    if (!v)
        return v.error();
    if (v->nextStage.isEmpty())
        return makeError(errc::kNothingToRun, v->waitingFor.isEmpty()
                                                  ? QStringLiteral("the playbook has finished")
                                                  : v->waitingFor);
    auto st = execStage(v->run, *m_def.stage(v->nextStage), actor);
    if (!st)
        return st.error();
    if (auto r = refreshRun(runId, actor); !r)
        return r.error();
    return st;
}

Result<StageStateRecord> PlaybookEngine::runStage(qint64 runId, const QString &stageId,
                                                  const QString &actor)
{
    const StageDefinition *stage = m_def.stage(stageId);
    if (!stage)
        return makeError(errc::kNoStage,
                         QStringLiteral("playbook %1 has no stage '%2'").arg(m_def.id, stageId));
    auto run = playbookstore::run(m_store, runId);
    if (!run)
        return run.error();
    if (auto r =
            resetAfter(run.value(), stageId, actor, QStringLiteral("stage %1 re-run").arg(stageId));
        !r)
        return r.error();
    auto st = execStage(run.value(), *stage, actor);
    if (!st)
        return st.error();
    if (auto r = refreshRun(runId, actor); !r)
        return r.error();
    return st;
}

Result<void> PlaybookEngine::skipStage(qint64 runId, const QString &stageId, const QString &reason,
                                       const QString &actor)
{
    if (reason.trimmed().isEmpty())
        return makeError(errc::kUsage, QStringLiteral("skipping a stage needs a reason"));
    const StageDefinition *stage = m_def.stage(stageId);
    if (!stage)
        return makeError(errc::kNoStage,
                         QStringLiteral("playbook %1 has no stage '%2'").arg(m_def.id, stageId));
    auto run = playbookstore::run(m_store, runId);
    if (!run)
        return run.error();
    StageStateRecord rec;
    rec.stageId = stageId;
    rec.state = StageState::Skipped;
    rec.actor = actor;
    rec.reason = reason;
    rec.inputs = {{"case_id", run->caseId}, {"playbook_inputs", run->inputs}};
    rec.outputs = {{"skipped", true}, {"reason", s(reason)}, {"manual", true}};
    rec.startedAt = rec.finishedAt = sql::nowMs();
    auto tx = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        if (auto r = playbookstore::saveStage(db, runId, rec); !r)
            return r;
        auto au = audit::append(db, run->caseId, actor, QStringLiteral("stage.skipped"),
                                auditText({{"run_id", runId},
                                           {"stage", s(stageId)},
                                           {"reason", s(reason)},
                                           {"manual", true}}));
        return au ? Result<void>() : Result<void>(au.error());
    });
    if (!tx)
        return tx;
    if (auto r = resetAfter(run.value(), stageId, actor,
                            QStringLiteral("stage %1 skipped").arg(stageId));
        !r)
        return r;
    return refreshRun(runId, actor);
}

Result<void> PlaybookEngine::overrideOutput(qint64 runId, const QString &stageId,
                                            const QString &key, const json &value,
                                            const QString &reason, const QString &actor)
{
    if (reason.trimmed().isEmpty())
        return makeError(errc::kUsage, QStringLiteral("an override needs a reason"));
    auto run = playbookstore::run(m_store, runId);
    if (!run)
        return run.error();
    auto stored = playbookstore::stages(m_store, runId);
    if (!stored)
        return stored.error();
    StageStateRecord rec;
    bool found = false;
    for (const StageStateRecord &st : stored.value())
        if (st.stageId == stageId)
            rec = st, found = true;
    if (!found || rec.state == StageState::Pending || rec.state == StageState::Running)
        return makeError(
            errc::kNotRun,
            QStringLiteral("stage '%1' has not run yet; there is no output to override")
                .arg(stageId));
    const std::string k = js::toStd(key);
    const json previous = rec.outputs.contains(k) ? rec.outputs[k] : json();
    rec.outputs[k] = value;
    rec.outputs["overrides"][k] = {{"previous", previous}, {"reason", s(reason)}, {"by", s(actor)}};
    if (rec.state != StageState::AwaitingApproval)
        rec.state = StageState::Completed;
    rec.actor = actor;
    // The stage's "why" is now the analyst's: the engine's reason stays in the override record.
    const QString shown = value.is_string() ? QString::fromStdString(value.get<std::string>())
                                            : QString::fromStdString(value.dump()).left(80);
    rec.reason =
        QStringLiteral("overridden by %1: %2 = %3 (%4)").arg(actor, key, shown, reason.trimmed());
    auto tx = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        if (auto r = playbookstore::saveStage(db, runId, rec); !r)
            return r;
        auto au = audit::append(db, run->caseId, actor, QStringLiteral("stage.override"),
                                auditText({{"run_id", runId},
                                           {"stage", s(stageId)},
                                           {"key", k},
                                           {"previous", previous},
                                           {"value", value},
                                           {"reason", s(reason)}}));
        return au ? Result<void>() : Result<void>(au.error());
    });
    if (!tx)
        return tx;
    if (auto r = resetAfter(run.value(), stageId, actor,
                            QStringLiteral("output %1.%2 overridden").arg(stageId, key));
        !r)
        return r;
    return refreshRun(runId, actor);
}

Result<ActionRecord> PlaybookEngine::decide(qint64 actionId, const QString &approver, bool approve,
                                            const QString &note)
{
    auto a = actionstore::decide(m_store, actionId, approver, approve, note);
    if (!a)
        return a.error();
    ActionRecord out = a.value();
    if (out.state == ActionState::Approved && connectorFor(out.kind)) {
        auto ex = execute(actionId, approver);
        if (!ex)
            return ex.error();
        out = ex.value();
    }
    if (out.runId > 0)
        if (auto r = refreshRun(out.runId, approver); !r)
            return r.error();
    return actionstore::action(m_store, actionId);
}

Result<ActionRecord> PlaybookEngine::execute(qint64 actionId, const QString &actor)
{
    auto a = actionstore::action(m_store, actionId);
    if (!a)
        return a.error();
    ActionConnector *c = connectorFor(a->kind);
    if (!c)
        return makeError(
            errc::kNoConnector,
            QStringLiteral("no connector configured can carry out '%1' (action %2 stays approved)")
                .arg(a->kind)
                .arg(actionId));
    auto claimed = actionstore::claimForExecution(m_store, actionId, actor, c->name());
    if (!claimed)
        return claimed.error();
    if (!claimed.value())
        return makeError(
            errc::kNotApproved,
            QStringLiteral("action %1 is %2; only an approved action is executed, and only once")
                .arg(actionId)
                .arg(toText(a->state)));
    auto fresh = actionstore::action(m_store, actionId);
    if (!fresh)
        return fresh.error();
    const ConnectorOutcome outcome = c->execute(fresh.value());
    if (auto r = actionstore::finishExecution(m_store, actionId, outcome.succeeded, outcome.result,
                                              actor);
        !r)
        return r.error();
    return actionstore::action(m_store, actionId);
}

Result<json> PlaybookEngine::preview(qint64 actionId) const
{
    auto a = actionstore::action(m_store, actionId);
    if (!a)
        return a.error();
    ActionConnector *c = connectorFor(a->kind);
    if (!c)
        return makeError(errc::kNoConnector,
                         QStringLiteral("no connector configured can carry out '%1'").arg(a->kind));
    return c->preview(a.value());
}

Result<void> PlaybookEngine::addNote(qint64 caseId, const QString &author, const QString &body)
{
    // Notes have their own audited store; the engine only forwards so widgets need one service.
    auto n = notestore::add(m_store, caseId, author, body);
    if (!n)
        return n.error();
    return {};
}

} // namespace causa
