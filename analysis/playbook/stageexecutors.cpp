#include "stageexecutors.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "store/eventqueries.h"
#include "xdr/xdrmapper.h"

#include <QCryptographicHash>

namespace causa::detail {

using nlohmann::json;

namespace {

const json kEmpty = json::object();

std::string s(const QString &v)
{
    return js::toStd(v);
}

qint64 inputInt(const StageContext &ctx, const char *name, qint64 fallback)
{
    return js::int64(ctx.run.inputs, name, fallback);
}

bool inputBool(const StageContext &ctx, const char *name)
{
    return js::boolean(ctx.run.inputs, name, false);
}

StageEffects unavailable(const QString &why)
{
    StageEffects e;
    e.state = StageState::Unavailable;
    e.reason = why;
    e.outputs = {{"available", false}, {"reason", s(why)}};
    return e;
}

StageEffects failed(const Error &error, const QString &what)
{
    StageEffects e;
    e.state = StageState::Failed;
    e.reason = QStringLiteral("%1: %2").arg(what, error.message);
    e.outputs = {{"error", s(e.reason)}};
    return e;
}

ActionRecord proposal(const StageContext &ctx, const QString &kind, const QString &target,
                      json payload, const QString &rationale)
{
    ActionRecord a;
    a.caseId = ctx.run.caseId;
    a.runId = ctx.run.id;
    a.stageId = ctx.stage.id;
    a.kind = kind;
    a.target = target;
    a.payload = std::move(payload);
    a.rationale = rationale;
    a.idempotencyKey = idempotencyKey(ctx.run.caseId, kind, target);
    a.requiredApprovals = inputBool(ctx, "TwoPersonRule") ? 2 : 1;
    return a;
}

json proposalJson(const ActionRecord &a)
{
    return {{"kind", s(a.kind)},
            {"target", s(a.target)},
            {"idempotency_key", s(a.idempotencyKey)},
            {"payload", a.payload},
            {"rationale", s(a.rationale)}};
}

// --- 1 -------------------------------------------------------------------------------------
StageEffects triage(const StageContext &ctx)
{
    const StoredAlert *p = ctx.primaryAlert();
    if (!p)
        return unavailable(QStringLiteral("the case has no alert to triage"));
    StageEffects e;
    const AlertRecord &a = p->alert;
    const bool blocked = xdr::isBlocked(a.action, a.actionPretty);
    e.outputs = {
        {"alert_id", s(a.alertId)},           {"alert_name", s(a.name)}, {"action", s(a.action)},
        {"action_pretty", s(a.actionPretty)}, {"blocked", blocked},      {"host", s(a.hostName)},
        {"agent_id", s(a.endpoint.agentId)}};
    e.reason = blocked ? QStringLiteral("the agent blocked it (%1)")
                             .arg(a.actionPretty.isEmpty() ? a.action : a.actionPretty)
                       : QStringLiteral("not blocked (%1)")
                             .arg(a.actionPretty.isEmpty() ? a.action : a.actionPretty);
    return e;
}

// --- 2 -------------------------------------------------------------------------------------
StageEffects containment(const StageContext &ctx)
{
    const StoredAlert *p = ctx.primaryAlert();
    if (!p)
        return unavailable(QStringLiteral("the case has no alert"));
    const AlertRecord &a = p->alert;
    const StoredProcess *osActor = ctx.processInRole(QStringLiteral("os_actor"), a.alertId);
    const StoredProcess *action = ctx.processInRole(QStringLiteral("action"), a.alertId);
    if (!osActor || osActor->process.pid <= 0)
        return unavailable(
            QStringLiteral("the alert names no OS actor process (PID) to terminate"));
    const ProcessRecord &os = osActor->process;
    const QString agent = a.endpoint.agentId;
    json payload = {{"host", s(a.hostName)},
                    {"agent_id", s(agent)},
                    {"pid", os.pid},
                    {"image", s(os.imageName)},
                    {"causality_id", s(os.causalityId)},
                    {"alert_id", s(a.alertId)},
                    {"incident_id", s(ctx.caseSummary.sourceRef)}};
    const QString spawned = action ? action->process.imageName : QString();
    const QString why =
        QStringLiteral("Alert %1 on %2 was not blocked (stage 1): %3 (PID %4)%5 runs the "
                       "remote command; terminating it stops the LOLBin chain.")
            .arg(a.alertId, a.hostName, os.imageName)
            .arg(os.pid)
            .arg(spawned.isEmpty() ? QString() : QStringLiteral(" spawning ") + spawned);
    ActionRecord act =
        !agent.isEmpty() && !os.causalityId.isEmpty()
            ? proposal(ctx, QStringLiteral("terminate_causality"),
                       QStringLiteral("%1 causality %2").arg(a.hostName, os.causalityId), payload,
                       why)
            : proposal(
                  ctx, QStringLiteral("terminate_process"),
                  QStringLiteral("%1 PID %2 (%3)").arg(a.hostName).arg(os.pid).arg(os.imageName),
                  payload,
                  why + QStringLiteral(" No causality id: taskkill /F /PID %1 through run_script.")
                            .arg(os.pid));
    StageEffects e;
    e.reason = QStringLiteral("proposes %1: %2").arg(act.kind, act.target);
    e.outputs = {{"proposed", json::array({proposalJson(act)})},
                 {"auto_remediation", inputBool(ctx, "AutoRemediation")}};
    e.proposals.push_back(std::move(act));
    return e;
}

// --- 3 -------------------------------------------------------------------------------------
StageEffects enrichment(const StageContext &ctx)
{
    if (!ctx.services.enrichCase)
        return unavailable(QStringLiteral("no enrichment service available"));
    auto r = ctx.services.enrichCase(ctx.run.caseId);
    if (!r)
        return failed(r.error(), QStringLiteral("enrichment"));
    StageEffects e;
    e.outputs = r.value();
    e.outputs["available"] = true;
    return e;
}

// --- 4a ------------------------------------------------------------------------------------
StageEffects cmdline(const StageContext &ctx)
{
    if (!ctx.services.analyzeCommandLine)
        return unavailable(QStringLiteral("no command-line analyser available"));
    const StoredAlert *p = ctx.primaryAlert();
    if (!p)
        return unavailable(QStringLiteral("the case has no alert"));
    json results = json::array();
    QStringList seen;
    QString worst = QStringLiteral("benign");
    bool anyFlag = false;
    for (const char *role : {"action", "actor", "os_actor", "causality"}) {
        const StoredProcess *proc = ctx.processInRole(QLatin1String(role), p->alert.alertId);
        if (!proc || proc->process.commandLine.trimmed().isEmpty() ||
            seen.contains(proc->process.commandLine))
            continue;
        seen << proc->process.commandLine;
        auto r = ctx.services.analyzeCommandLine(proc->process.commandLine);
        if (!r)
            return failed(r.error(), QStringLiteral("command-line analysis"));
        const QString verdict = js::str(r.value(), "verdict");
        if (verdict == QLatin1String("malicious") ||
            (verdict == QLatin1String("suspicious") && worst == QLatin1String("benign")))
            worst = verdict;
        const auto flags = r.value().find("flags");
        if (flags != r.value().end() && flags->is_object())
            for (const auto &[k, v] : flags->items())
                anyFlag |= v.is_boolean() && v.get<bool>();
        results.push_back({{"role", role},
                           {"command_line", s(proc->process.commandLine)},
                           {"analysis", r.value()}});
    }
    if (results.empty())
        return unavailable(QStringLiteral("the alert carries no command line"));
    StageEffects e;
    e.outputs = {{"available", true},
                 {"results", results},
                 {"worst_verdict", s(worst)},
                 {"any_flag", anyFlag}};
    return e;
}

// --- 4b ------------------------------------------------------------------------------------
StageEffects endpoint(const StageContext &ctx)
{
    if (!ctx.services.investigateEndpoint)
        return unavailable(QStringLiteral("no endpoint investigation available"));
    const qint64 windowMs = parseDurationMs(js::str(ctx.run.inputs, "RelatedAlertsWindow"));
    auto r = ctx.services.investigateEndpoint(ctx.run.caseId, windowMs);
    if (!r)
        return failed(r.error(), QStringLiteral("endpoint investigation"));
    StageEffects e;
    e.outputs = r.value();
    e.outputs["available"] = true;
    e.outputs["window_ms"] = windowMs;
    return e;
}

// --- 4c ------------------------------------------------------------------------------------
StageEffects hunt(const StageContext &ctx)
{
    if (!ctx.services.huntCase)
        return unavailable(QStringLiteral("no threat hunting available"));
    auto r = ctx.services.huntCase(ctx.run.caseId);
    if (!r)
        return failed(r.error(), QStringLiteral("threat hunting"));
    StageEffects e;
    e.outputs = r.value();
    e.outputs["available"] = true;
    for (const json &h : r.value().value("hits", json::array()))
        e.evidence.push_back(
            {js::str(h, "kind").isEmpty() ? QStringLiteral("hunt_hit") : js::str(h, "kind"),
             js::str(h, "ref"), QStringLiteral("Found additional evidence"), js::str(h, "detail")});
    // Sigma matches are tagged with the rule's ATT&CK tags and its credit (the rule's licence).
    const json sigmaOut = r.value().value("sigma", json::object());
    for (const json &m : sigmaOut.value("matches", json::array())) {
        QStringList tags;
        for (const json &t : m.value("tags", json::array()))
            if (t.is_string())
                tags << QString::fromStdString(t.get<std::string>());
        // "event:<events.id>:<rule>", or "alert:<alerts.id>:<rule>" for a rule that matched an
        // XDR alert: what the Evidence page's "Go to item" opens.
        const bool onAlert = js::str(m, "source") == QLatin1String("alert");
        e.evidence.push_back({QStringLiteral("sigma_hit"),
                              QStringLiteral("%1:%2:%3")
                                  .arg(onAlert ? QStringLiteral("alert") : QStringLiteral("event"))
                                  .arg(js::int64(m, onAlert ? "alert_row" : "event"))
                                  .arg(js::str(m, "rule_id")),
                              QStringLiteral("Sigma: ") + js::str(m, "title"),
                              QStringLiteral("%1 on %2 at %3 [%4] — %5")
                                  .arg(js::str(m, "level"), js::str(m, "host"), js::str(m, "ts"),
                                       tags.join(QStringLiteral(", ")), js::str(m, "credit"))});
    }
    return e;
}

// Verdict reasons from the command-line stage: a malicious line, or under the xsoar-flags rule
// any XSOAR flag raised.
void cmdlineReasons(const StageContext &ctx, bool flagsRule, json &reasons)
{
    for (const json &r : ctx.outputsOf(QStringLiteral("cmdline")).value("results", json::array())) {
        const json &an = r.value("analysis", kEmpty);
        const QString v = js::str(an, "verdict");
        if (v == QLatin1String("malicious"))
            reasons.push_back(s(QStringLiteral("the %1 command line is malicious (score %2)")
                                    .arg(js::str(r, "role"))
                                    .arg(js::int64(an, "score"))));
        else if (flagsRule) {
            QStringList flags;
            if (an.contains("flags") && an["flags"].is_object())
                for (const auto &[k, fv] : an["flags"].items())
                    if (fv.is_boolean() && fv.get<bool>())
                        flags << QString::fromStdString(k);
            if (!flags.isEmpty())
                reasons.push_back(
                    s(QStringLiteral("the %1 command line raised XSOAR flags: %2")
                          .arg(js::str(r, "role"), flags.join(QStringLiteral(", ")))));
        }
    }
}

// Verdict reasons from the endpoint stage: other high or critical alerts over their thresholds.
void endpointReasons(const StageContext &ctx, json &reasons)
{
    const json &ep = ctx.outputsOf(QStringLiteral("endpoint"));
    const qint64 high = js::int64(ep, "high"), critical = js::int64(ep, "critical");
    const qint64 highT = inputInt(ctx, "HighAlertsThreshold", 1);
    const qint64 critT = inputInt(ctx, "CriticalAlertsThreshold", 1);
    if (highT > 0 && high >= highT)
        reasons.push_back(
            s(QStringLiteral("%1 additional high-severity alert(s) on the endpoint (threshold %2)")
                  .arg(high)
                  .arg(highT)));
    if (critT > 0 && critical >= critT)
        reasons.push_back(
            s(QStringLiteral(
                  "%1 additional critical-severity alert(s) on the endpoint (threshold %2)")
                  .arg(critical)
                  .arg(critT)));
}

// --- 5 -------------------------------------------------------------------------------------
StageEffects verdict(const StageContext &ctx)
{
    const bool flagsRule = js::str(ctx.run.inputs, "VerdictRule") == QLatin1String("xsoar-flags");
    json reasons = json::array();
    json missing = json::array();
    auto note = [&](const QString &stageId) {
        const StageState st = ctx.stateOf(stageId);
        if (st != StageState::Completed)
            missing.push_back(
                {{"stage", s(stageId)},
                 {"state", toText(st).data()},
                 {"reason", ctx.stages.count(stageId) ? s(ctx.stages.at(stageId).reason) : ""}});
        return st == StageState::Completed;
    };
    if (note(QStringLiteral("cmdline")))
        cmdlineReasons(ctx, flagsRule, reasons);
    if (note(QStringLiteral("endpoint")))
        endpointReasons(ctx, reasons);
    if (note(QStringLiteral("hunt"))) {
        const qsizetype hits =
            qsizetype(ctx.outputsOf(QStringLiteral("hunt")).value("hits", json::array()).size());
        if (hits > 0)
            reasons.push_back(
                s(QStringLiteral("threat hunting found %1 hit(s) elsewhere").arg(hits)));
    }
    const bool malicious = !reasons.empty();
    StageEffects e;
    e.outputs = {{"verdict", malicious ? "malicious" : "not_malicious"},
                 {"rule", flagsRule ? "xsoar-flags" : "score"},
                 {"reasons", reasons},
                 {"missing", missing}};
    if (malicious) {
        e.outputs["severity"] = "high";
        e.raiseSeverityTo = Severity::High;
        QStringList why;
        for (const json &r : reasons)
            why << QString::fromStdString(r.get<std::string>());
        e.severityReason =
            QStringLiteral("playbook verdict malicious: ") + why.join(QStringLiteral("; "));
        e.evidence.push_back({QStringLiteral("verdict"),
                              QStringLiteral("case:%1").arg(ctx.run.caseId),
                              QStringLiteral("Malicious verdict"), why.join(QStringLiteral("; "))});
        e.reason = e.severityReason;
    } else {
        e.reason =
            missing.empty()
                ? QStringLiteral("no rule matched")
                : QStringLiteral("no rule matched; %1 evidence stage(s) had nothing to work with")
                      .arg(missing.size());
    }
    return e;
}

// --- 6 -------------------------------------------------------------------------------------
// A malicious verdict on the victim endpoint: isolate it (the same approval flow as blocks).
std::optional<ActionRecord> isolationProposal(const StageContext &ctx)
{
    const StoredAlert *p = ctx.primaryAlert();
    if (!p || p->alert.endpoint.agentId.isEmpty())
        return std::nullopt;
    const AlertRecord &a = p->alert;
    json payload = {{"agent_id", s(a.endpoint.agentId)},
                    {"host", s(a.hostName)},
                    {"incident_id", s(ctx.caseSummary.sourceRef)},
                    {"alert_id", s(a.alertId)}};
    const QString why =
        QStringLiteral(
            "The verdict is malicious (stage 5) and %1 is the host the remote command ran on: "
            "isolating it cuts the attacker off while the compromise is investigated.")
            .arg(a.hostName);
    return proposal(ctx, QStringLiteral("isolate_endpoint"),
                    QStringLiteral("%1 (agent %2)").arg(a.hostName, a.endpoint.agentId), payload,
                    why);
}

// The manual checklist with the ticks already given in this run (a re-run keeps them).
json checklistCarriedOver(const StageContext &ctx)
{
    std::map<std::string, json> ticked;
    for (const json &c : ctx.outputsOf(ctx.stage.id).value("checklist", json::array()))
        if (c.is_object())
            ticked[c.value("item", std::string())] = c;
    json checklist = json::array();
    for (const QString &c : ctx.stage.checklist) {
        const auto it = ticked.find(s(c));
        checklist.push_back(it != ticked.end() ? it->second
                                               : json{{"item", s(c)}, {"done", false}});
    }
    return checklist;
}

StageEffects remediation(const StageContext &ctx)
{
    const qint64 minScore = inputInt(ctx, "MinimumScoreToBlock", 3);
    std::map<qint64, std::pair<int, QString>> scores; // indicator id -> score, source
    for (const json &i :
         ctx.outputsOf(QStringLiteral("enrichment")).value("indicators", json::array()))
        scores[js::int64(i, "indicator_id")] = {int(js::int64(i, "score")),
                                                QStringLiteral("enrichment")};
    json proposed = json::array();
    StageEffects e;
    int considered = 0, below = 0;
    for (const CaseIndicator &ind : ctx.indicators) {
        QString kind, field;
        if (ind.type == QLatin1String("sha256"))
            kind = QStringLiteral("block_hash"), field = QStringLiteral("sha256");
        else if (ind.type == QLatin1String("ipv4") || ind.type == QLatin1String("ipv6"))
            kind = QStringLiteral("block_ip"), field = QStringLiteral("ip");
        else if (ind.type == QLatin1String("url"))
            kind = QStringLiteral("block_url"), field = QStringLiteral("url");
        else if (ind.type == QLatin1String("domain"))
            kind = QStringLiteral("block_domain"), field = QStringLiteral("domain");
        else if (ind.type == QLatin1String("user"))
            kind = QStringLiteral("disable_user"), field = QStringLiteral("user");
        else
            continue;
        ++considered;
        auto it = scores.find(ind.indicatorId);
        int score = it != scores.end() ? it->second.first : 0;
        QString source = it != scores.end() ? it->second.second : QStringLiteral("unscored");
        if (ind.manualScore >= 0)
            score = ind.manualScore, source = QStringLiteral("manual verdict");
        if (score < minScore) {
            ++below;
            continue;
        }
        json payload = {{s(field), s(ind.value)},
                        {"indicator_id", ind.indicatorId},
                        {"score", score},
                        {"comment", s(QStringLiteral("Causa case %1: score %2 (%3)")
                                          .arg(ctx.run.caseId)
                                          .arg(score)
                                          .arg(source))},
                        {"incident_id", s(ctx.caseSummary.sourceRef)}};
        const QString why =
            QStringLiteral("%1 %2 scored %3 by %4 (minimum to block: %5); seen as %6.")
                .arg(ind.type, ind.value)
                .arg(score)
                .arg(source)
                .arg(minScore)
                .arg(ind.contexts.join(QStringLiteral(", ")));
        ActionRecord a = proposal(ctx, kind, ind.value, payload, why);
        proposed.push_back(proposalJson(a));
        e.proposals.push_back(std::move(a));
    }
    if (auto iso = isolationProposal(ctx)) {
        proposed.push_back(proposalJson(*iso));
        e.proposals.push_back(std::move(*iso));
    }
    const json checklist = checklistCarriedOver(ctx);
    e.outputs = {{"proposed", proposed},
                 {"checklist", checklist},
                 {"indicators_considered", considered},
                 {"below_threshold", below},
                 {"minimum_score", minScore}};
    e.reason =
        e.proposals.empty()
            ? QStringLiteral("no indicator scored %1 or more; manual checklist only").arg(minScore)
            : QStringLiteral("%1 block action(s) proposed; manual checklist")
                  .arg(e.proposals.size());
    if (ctx.stateOf(QStringLiteral("enrichment")) != StageState::Completed)
        e.outputs["note"] = "enrichment did not run: only manual verdicts were available as scores";
    return e;
}

// --- 7 -------------------------------------------------------------------------------------
// What the evidence stages could not establish. A proposal of "not malicious" rests on them, so
// any gap keeps the run from proposing (or closing as) benign.
json missingEvidence(const StageContext &ctx)
{
    json missing = json::array();
    for (const char *id : {"enrichment", "cmdline", "endpoint", "hunt"}) {
        const QString stageId = QLatin1String(id);
        const StageState st = ctx.stateOf(stageId);
        if (st != StageState::Completed)
            missing.push_back(
                {{"stage", id},
                 {"state", toText(st).data()},
                 {"reason", ctx.stages.count(stageId) ? s(ctx.stages.at(stageId).reason) : ""}});
    }
    if (ctx.stateOf(QStringLiteral("enrichment")) == StageState::Completed &&
        js::boolean(ctx.outputsOf(QStringLiteral("enrichment")), "offline", false))
        missing.push_back({{"stage", "enrichment"},
                           {"state", "completed"},
                           {"reason", "enrichment ran offline: no online provider was asked"}});
    if (ctx.endpointEvents == 0)
        missing.push_back(
            {{"stage", "events"},
             {"state", "none"},
             {"reason", "the store holds no endpoint events for the case's host(s)"}});
    return missing;
}

QString resolutionTitle(const QString &r)
{
    if (r == QLatin1String("true_positive"))
        return QStringLiteral("true positive");
    if (r == QLatin1String("false_positive"))
        return QStringLiteral("false positive");
    if (r == QLatin1String("benign_true_positive"))
        return QStringLiteral("benign true positive");
    return r;
}

StageEffects close(const StageContext &ctx)
{
    const json &v = ctx.outputsOf(QStringLiteral("verdict"));
    const bool malicious = js::str(v, "verdict") == QLatin1String("malicious");
    const json missing = missingEvidence(ctx);
    QString proposed;
    QStringList basis;
    for (const json &r : v.value("reasons", json::array()))
        if (r.is_string())
            basis << QString::fromStdString(r.get<std::string>());
    if (malicious) {
        proposed = QStringLiteral("true_positive");
    } else if (missing.empty()) {
        proposed = QStringLiteral("benign_true_positive");
        basis << QStringLiteral(
            "no command line was malicious, no related high/critical alert reached its threshold "
            "and hunting found nothing beyond the alert's own chain");
    }
    QStringList gaps;
    for (const json &m : missing)
        gaps << QStringLiteral("%1 (%2): %3")
                    .arg(js::str(m, "stage"), js::str(m, "state"), js::str(m, "reason"));
    StageEffects e;
    e.outputs = {{"proposed_resolution", s(proposed)},
                 {"basis", json::array()},
                 {"missing", missing},
                 {"case_status", s(ctx.caseSummary.status)}};
    for (const QString &b : basis)
        e.outputs["basis"].push_back(s(b));
    if (ctx.caseSummary.status == QLatin1String("closed")) {
        e.reason = QStringLiteral("the case is already closed (%1)")
                       .arg(resolutionTitle(ctx.caseSummary.verdict));
        e.outputs["automatic"] = false;
        return e;
    }
    const bool automatic = inputBool(ctx, "AutoRemediation") && !proposed.isEmpty();
    e.outputs["automatic"] = automatic;
    if (automatic) {
        e.closeCase = true;
        e.closeVerdict = proposed;
        e.resolutionNote =
            QStringLiteral("Closed automatically by the playbook (AutoRemediation=true) as %1: %2")
                .arg(resolutionTitle(proposed), basis.join(QStringLiteral("; ")));
        e.outputs["resolution"] = s(proposed);
        e.outputs["resolution_note"] = s(e.resolutionNote);
        e.reason = QStringLiteral("closed automatically as %1 (AutoRemediation)")
                       .arg(resolutionTitle(proposed));
        return e;
    }
    e.state = StageState::AwaitingDecision;
    e.reason =
        proposed.isEmpty()
            ? QStringLiteral("no resolution proposed, evidence is missing: %1; the analyst decides")
                  .arg(gaps.join(QStringLiteral("; ")))
            : QStringLiteral("proposes %1; the analyst closes the case")
                  .arg(resolutionTitle(proposed));
    return e;
}

} // namespace

const json &StageContext::outputsOf(const QString &stageId) const
{
    const auto it = stages.find(stageId);
    return it == stages.end() ? kEmpty : it->second.outputs;
}

StageState StageContext::stateOf(const QString &stageId) const
{
    const auto it = stages.find(stageId);
    return it == stages.end() ? StageState::Pending : it->second.state;
}

const StoredAlert *StageContext::primaryAlert() const
{
    for (bool byName : {false, true})
        for (const StoredAlert &a : alerts)
            if (eventq::isPsexecRule(a.alert.ruleId, a.alert.name, byName))
                return &a;
    return alerts.empty() ? nullptr : &alerts.front();
}

const StoredProcess *StageContext::processInRole(const QString &role, const QString &alertId) const
{
    const QString want = role + QLatin1Char('@') + alertId;
    for (const StoredProcess &p : processes)
        if (p.roles.contains(want))
            return &p;
    return nullptr;
}

StageEffects runExecutor(const StageContext &ctx)
{
    const QString &x = ctx.stage.executor;
    if (x == QLatin1String("triage"))
        return triage(ctx);
    if (x == QLatin1String("containment"))
        return containment(ctx);
    if (x == QLatin1String("enrichment"))
        return enrichment(ctx);
    if (x == QLatin1String("cmdline"))
        return cmdline(ctx);
    if (x == QLatin1String("endpoint"))
        return endpoint(ctx);
    if (x == QLatin1String("hunt"))
        return hunt(ctx);
    if (x == QLatin1String("verdict"))
        return verdict(ctx);
    if (x == QLatin1String("remediation"))
        return remediation(ctx);
    if (x == QLatin1String("close"))
        return close(ctx);
    return failed(makeError(errc::kPlaybook, QStringLiteral("unknown executor '%1'").arg(x)),
                  QStringLiteral("stage %1").arg(ctx.stage.id));
}

QString idempotencyKey(qint64 caseId, const QString &kind, const QString &target)
{
    const QByteArray h = QCryptographicHash::hash(
        QStringLiteral("%1\x1f%2\x1f%3").arg(caseId).arg(kind, target).toUtf8(),
        QCryptographicHash::Sha256);
    return QStringLiteral("case%1-%2-%3")
        .arg(caseId)
        .arg(kind, QString::fromLatin1(h.toHex().left(24)));
}

} // namespace causa::detail
