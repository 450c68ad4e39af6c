// The analyst's decisions on a case and its run: closing and reopening with a resolution,
// ticking the remediation checklist, and proposing ad-hoc actions (split from
// playbookengine.cpp, which runs the stages).
#include "playbookengine.h"

#include "core/errorcodes.h"
#include "engineinternal.h"
#include "stageexecutors.h"

#include "core/indicatorutil.h"
#include "core/jsonutil.h"
#include "store/actionstore.h"
#include "store/auditlog.h"
#include "store/casestore.h"
#include "store/eventqueries.h"
#include "store/notestore.h"
#include "store/playbookstore.h"
#include "store/sqlutil.h"

#include <QRegularExpression>
#include <QUrl>

namespace causa {

using nlohmann::json;
using namespace engineinternal;

const QStringList &PlaybookEngine::resolutions()
{
    static const QStringList list = {QStringLiteral("true_positive"),
                                     QStringLiteral("false_positive"),
                                     QStringLiteral("benign_true_positive"),
                                     QStringLiteral("duplicate"), QStringLiteral("other")};
    return list;
}

namespace {

// Why the case cannot be closed now, if it cannot: an unknown resolution, no note or analyst,
// already closed, or actions still awaiting a decision.
Result<void> checkClosable(CaseStore &store, qint64 caseId, const QString &resolution,
                           const QString &note, const QString &actor)
{
    if (!PlaybookEngine::resolutions().contains(resolution))
        return makeError(errc::kUsage, QStringLiteral("unknown resolution '%1' (one of %2)")
                                           .arg(resolution, PlaybookEngine::resolutions().join(
                                                                QStringLiteral(", "))));
    if (note.trimmed().isEmpty())
        return makeError(errc::kUsage, QStringLiteral("closing a case needs a note"));
    if (actor.trimmed().isEmpty())
        return makeError(errc::kUsage, QStringLiteral("closing a case names its analyst"));
    auto cs = store.caseSummary(caseId);
    if (!cs)
        return cs.error();
    if (cs->status == QLatin1String("closed"))
        return makeError(errc::kAlreadyClosed,
                         QStringLiteral("case %1 is already closed (%2); reopen it first")
                             .arg(caseId)
                             .arg(cs->verdict));
    int undecided = 0;
    auto actions = actionstore::actionsOfCase(store, caseId);
    if (!actions)
        return actions.error();
    for (const ActionRecord &a : actions.value())
        undecided += isUndecided(a) && a.state != ActionState::Approved ? 1 : 0;
    if (undecided > 0)
        return makeError(
            errc::kActionsPending,
            QStringLiteral(
                "%1 action(s) of case %2 await a decision: approve or reject them before closing")
                .arg(undecided)
                .arg(caseId));
    return {};
}

} // namespace

Result<void> PlaybookEngine::closeCase(qint64 caseId, const QString &resolution,
                                       const QString &note, const QString &actor)
{
    if (auto r = checkClosable(m_store, caseId, resolution, note, actor); !r)
        return r;
    auto last = latestRun(caseId);
    if (!last)
        return last.error();
    std::vector<StageStateRecord> toSave;
    QString proposed;
    qint64 runId = 0;
    if (last->has_value()) {
        runId = last->value().id;
        auto stored = playbookstore::stages(m_store, runId);
        if (!stored)
            return stored.error();
        const qint64 now = sql::nowMs();
        for (StageStateRecord st : stored.value()) {
            const StageDefinition *def = m_def.stage(st.stageId);
            if (def && def->executor == QLatin1String("close")) {
                proposed = js::str(st.outputs, "proposed_resolution");
                st.outputs["decision"] = {{"resolution", s(resolution)},
                                          {"note", s(note)},
                                          {"by", s(actor)},
                                          {"at", now},
                                          {"automatic", false}};
                st.state = StageState::Completed;
                st.reason =
                    QStringLiteral("closed by %1 as %2")
                        .arg(actor,
                             QString(resolution).replace(QLatin1Char('_'), QLatin1Char(' ')));
            } else if (st.state == StageState::Pending || st.state == StageState::Running) {
                st.state = StageState::Skipped;
                st.reason =
                    QStringLiteral("the case was closed by %1 before this stage ran").arg(actor);
                st.outputs = {{"skipped", true}, {"reason", s(st.reason)}, {"manual", true}};
            } else {
                continue;
            }
            st.actor = actor;
            st.finishedAt = now;
            toSave.push_back(std::move(st));
        }
    }
    auto tx = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        if (auto r = playbookstore::closeCase(db, caseId, resolution, note, actor); !r)
            return r;
        for (const StageStateRecord &st : toSave)
            if (auto r = playbookstore::saveStage(db, runId, st); !r)
                return r;
        auto au = audit::append(db, caseId, actor, QStringLiteral("case.closed"),
                                auditText({{"resolution", s(resolution)},
                                           {"verdict", s(resolution)},
                                           {"resolution_note", s(note)},
                                           {"automatic", false},
                                           {"proposed", s(proposed)},
                                           {"run_id", runId}}));
        return au ? Result<void>() : Result<void>(au.error());
    });
    if (!tx)
        return tx;
    return runId > 0 ? refreshRun(runId, actor) : Result<void>();
}

Result<void> PlaybookEngine::reopenCase(qint64 caseId, const QString &reason, const QString &actor)
{
    if (reason.trimmed().isEmpty())
        return makeError(errc::kUsage, QStringLiteral("reopening a case needs a reason"));
    auto cs = m_store.caseSummary(caseId);
    if (!cs)
        return cs.error();
    if (cs->status != QLatin1String("closed"))
        return makeError(errc::kNotClosed,
                         QStringLiteral("case %1 is not closed (%2)").arg(caseId).arg(cs->status));
    auto last = latestRun(caseId);
    if (!last)
        return last.error();
    std::optional<StageStateRecord> closeStage;
    const qint64 runId = last->has_value() ? last->value().id : 0;
    if (runId > 0) {
        auto stored = playbookstore::stages(m_store, runId);
        if (!stored)
            return stored.error();
        for (StageStateRecord st : stored.value()) {
            const StageDefinition *def = m_def.stage(st.stageId);
            if (def && def->executor == QLatin1String("close") &&
                st.state == StageState::Completed) {
                // The proposal stands; the analyst's earlier decision moves to the history.
                st.outputs["previous_decisions"].push_back(
                    st.outputs.value("decision", json::object()));
                st.outputs.erase("decision");
                st.state = StageState::AwaitingDecision;
                st.reason = QStringLiteral("reopened by %1: %2").arg(actor, reason);
                closeStage = std::move(st);
            }
        }
    }
    auto tx = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        if (auto r = playbookstore::reopenCase(db, caseId); !r)
            return r;
        if (closeStage)
            if (auto r = playbookstore::saveStage(db, runId, *closeStage); !r)
                return r;
        auto au = audit::append(db, caseId, actor, QStringLiteral("case.reopened"),
                                auditText({{"reason", s(reason)},
                                           {"previous_resolution", s(cs->verdict)},
                                           {"previous_note", s(cs->resolutionNote)},
                                           {"run_id", runId}}));
        return au ? Result<void>() : Result<void>(au.error());
    });
    if (!tx)
        return tx;
    return runId > 0 ? refreshRun(runId, actor) : Result<void>();
}

Result<void> PlaybookEngine::tickChecklist(qint64 runId, int index, bool done, const QString &note,
                                           const QString &actor)
{
    auto run = playbookstore::run(m_store, runId);
    if (!run)
        return run.error();
    auto stored = playbookstore::stages(m_store, runId);
    if (!stored)
        return stored.error();
    for (StageStateRecord st : stored.value()) {
        json &list = st.outputs["checklist"];
        if (!list.is_array() || list.empty())
            continue;
        if (index < 0 || size_t(index) >= list.size())
            return makeError(errc::kUsage,
                             QStringLiteral("the checklist has items 1 to %1").arg(list.size()));
        json &item = list[size_t(index)];
        if (!item.is_object()) // runs from before the checklist had ticks: plain strings
            item = {{"item", item.is_string() ? item.get<std::string>() : item.dump()}};
        item["done"] = done;
        item["by"] = s(actor);
        item["at"] = sql::nowMs();
        item["note"] = s(note);
        const std::string text = item.value("item", std::string());
        return m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
            if (auto r = playbookstore::saveStage(db, runId, st); !r)
                return r;
            auto au = audit::append(db, run->caseId, actor,
                                    done ? QStringLiteral("checklist.ticked")
                                         : QStringLiteral("checklist.unticked"),
                                    auditText({{"run_id", runId},
                                               {"stage", s(st.stageId)},
                                               {"item", text},
                                               {"index", index},
                                               {"note", s(note)}}));
            return au ? Result<void>() : Result<void>(au.error());
        });
    }
    return makeError(
        errc::kNotRun,
        QStringLiteral("run %1 has no checklist yet: the remediation stage has not run")
            .arg(runId));
}

Result<ActionRecord> PlaybookEngine::proposeAction(qint64 caseId, const QString &kind,
                                                   const QString &target, const QString &rationale,
                                                   const QString &actor)
{
    if (rationale.trimmed().isEmpty())
        return makeError(errc::kUsage, QStringLiteral("an action needs a reason"));
    auto payload = adhocPayload(caseId, kind, target.trimmed());
    if (!payload)
        return payload.error();
    auto last = latestRun(caseId);
    if (!last)
        return last.error();
    json inputs = m_def.defaultInputs();
    if (last->has_value())
        inputs = last->value().inputs;
    else if (auto in = m_def.applyInputs(inputs, m_inputDefaults))
        inputs = in.value();
    ActionRecord a;
    a.caseId = caseId;
    a.runId = last->has_value() ? last->value().id : 0;
    a.stageId = QStringLiteral("adhoc");
    a.kind = kind;
    a.target = target.trimmed();
    a.payload = payload.value();
    a.rationale = QStringLiteral("Proposed by %1: %2").arg(actor, rationale);
    a.idempotencyKey = detail::idempotencyKey(caseId, kind, a.target);
    a.requiredApprovals = js::boolean(inputs, "TwoPersonRule", false) ? 2 : 1;
    ActionRecord out;
    auto tx = m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        bool created = false;
        auto stored = actionstore::insert(db, a, &created);
        if (!stored)
            return stored.error();
        out = stored.value();
        if (!created)
            return makeError(
                errc::kExists,
                QStringLiteral("action %1 (%2 %3) already exists for this case: it is %4")
                    .arg(out.id)
                    .arg(kind, a.target, toText(out.state)));
        if (auto r = actionstore::markAwaiting(db, out.id); !r)
            return r;
        auto au = audit::append(db, caseId, actor, QStringLiteral("action.proposed_by_analyst"),
                                auditText({{"action_id", out.id},
                                           {"kind", s(kind)},
                                           {"target", s(a.target)},
                                           {"reason", s(rationale)}}));
        return au ? Result<void>() : Result<void>(au.error());
    });
    if (!tx)
        return tx.error();
    return actionstore::action(m_store, out.id);
}

Result<json> PlaybookEngine::adhocPayload(qint64 caseId, const QString &kind,
                                          const QString &target) const
{
    auto bad = [&](const QString &why) {
        return makeError(errc::kBadInput,
                         QStringLiteral("%1 '%2': %3").arg(kind, target.left(200), why));
    };
    if (target.isEmpty() || target.size() > 4096)
        return bad(QStringLiteral("the target is empty or too long"));
    if (std::any_of(target.begin(), target.end(),
                    [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; }))
        return bad(QStringLiteral("the target holds control characters"));
    auto cs = m_store.caseSummary(caseId);
    if (!cs)
        return cs.error();
    json payload = {
        {"comment", s(QStringLiteral("Causa case %1: proposed by an analyst").arg(caseId))},
        {"incident_id", s(cs->sourceRef)}};
    if (kind == QLatin1String("block_hash")) {
        static const QRegularExpression sha(QStringLiteral("^[0-9a-fA-F]{64}$"));
        if (!sha.match(target).hasMatch())
            return bad(QStringLiteral("the XDR blocklist takes a SHA-256 (64 hex digits)"));
        payload["sha256"] = s(target.toLower());
    } else if (kind == QLatin1String("block_ip")) {
        QString type;
        const QString ip = indicator::normaliseIp(target, &type);
        if (ip.isEmpty())
            return bad(QStringLiteral("not an IP address"));
        payload["ip"] = s(ip);
    } else if (kind == QLatin1String("block_url")) {
        const QUrl url(target, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return bad(QStringLiteral("not an http(s) URL"));
        payload["url"] = s(target);
    } else if (kind == QLatin1String("block_domain")) {
        static const QRegularExpression dom(
            QStringLiteral("^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\\.)+[A-Za-z]{2,63}$"));
        if (!dom.match(target).hasMatch())
            return bad(QStringLiteral("not a domain name"));
        payload["domain"] = s(target.toLower());
    } else if (kind == QLatin1String("disable_user")) {
        payload["user"] = s(target);
    } else if (kind == QLatin1String("isolate_endpoint")) {
        auto alerts = m_store.alertsOfCase(caseId);
        if (!alerts)
            return alerts.error();
        const QString host = target.section(QLatin1Char(' '), 0, 0);
        for (const StoredAlert &a : alerts.value())
            if (a.alert.hostName.compare(host, Qt::CaseInsensitive) == 0 &&
                !a.alert.endpoint.agentId.isEmpty())
                payload["agent_id"] = s(a.alert.endpoint.agentId);
        if (!payload.contains("agent_id"))
            return bad(QStringLiteral("no alert of this case names an agent on that host"));
        payload["host"] = s(host);
    } else {
        return makeError(
            errc::kUsage,
            QStringLiteral("unknown action kind '%1' (block_hash, block_ip, block_url, "
                           "block_domain, disable_user, isolate_endpoint)")
                .arg(kind));
    }
    return payload;
}

} // namespace causa
