#include "reportexporters.h"
#include "reportformat.h"

#include "core/jsonutil.h"
#include "investigation/lateralchain.h"
#include "store/storejson.h"

#include <algorithm>

namespace causa::report {

using nlohmann::json;

namespace {

// Stored JSON text (payloads, stage outputs, action results) embedded as JSON when it parses.
json embedded(const QString &text)
{
    if (text.trimmed().isEmpty())
        return nullptr;
    json j = json::parse(text.toStdString(), nullptr, false);
    return j.is_discarded() ? json(js::toStd(text)) : j;
}

json caseJson(const ReportData &d)
{
    json c = toJson(d.summary);
    c["description"] = toJson(d.detail.description);
    c["pap"] = toJson(d.detail.pap);
    c["source_url"] = toJson(d.detail.sourceUrl);
    c["resolution_note"] = toJson(d.detail.resolutionNote);
    c["closed_at"] = d.detail.closedAt;
    return c;
}

json processesJson(const ReportData &d)
{
    json out = json::array();
    for (const StoredProcess &p : d.processes) {
        json pj = toJson(p);
        pj["parent_pid"] = p.process.parentPid;
        pj["sha1"] = toJson(p.process.sha1);
        pj["ended_at"] = p.process.endedAt;
        pj["endpoint"] = toJson(p.process.endpointKey);
        pj["causality_id"] = toJson(p.process.causalityId);
        pj["source"] = toJson(p.process.source);
        out.push_back(pj);
    }
    return out;
}

// Each indicator with its verdict, enrichments and intel matches.
json indicatorsJson(const ReportData &d)
{
    const auto verdicts = indicatorVerdicts(d);
    json out = json::array();
    for (const CaseIndicator &i : d.indicators) {
        json ij = toJson(i);
        const IndicatorVerdict v = verdicts.value(i.indicatorId);
        ij["score"] = v.score;
        ij["verdict"] = toJson(v.source.isEmpty() ? QStringLiteral("unknown")
                                                  : scoreName(static_cast<Score>(v.score)));
        ij["verdict_source"] = toJson(v.source);
        ij["enrichments"] = json::array();
        for (const ReportEnrichment &e : d.enrichments)
            if (e.indicatorId == i.indicatorId)
                ij["enrichments"].push_back({{"provider", toJson(e.provider)},
                                             {"verdict", toJson(e.verdict)},
                                             {"score", e.score},
                                             {"reliability", toJson(e.reliability)},
                                             {"fetched_at", e.fetchedAt}});
        ij["intel"] = json::array();
        for (const ReportIntelMatch &m : d.intel)
            if (m.indicatorId == i.indicatorId)
                ij["intel"].push_back({{"feed", toJson(m.feed)},
                                       {"kind", toJson(m.kind)},
                                       {"score", m.score},
                                       {"confidence", m.confidence},
                                       {"tlp", toJson(m.tlp)},
                                       {"description", toJson(m.description)}});
        out.push_back(ij);
    }
    return out;
}

json relatedAlertsJson(const ReportData &d)
{
    json related = json::array();
    for (const ReportRelatedAlert &a : d.relatedAlerts)
        related.push_back(
            {{"id", a.id},
             {"case_id", a.caseId},
             {"alert_id", toJson(a.alertId)},
             {"name", toJson(a.name)},
             {"severity", toJson(severityName(static_cast<Severity>(a.severity)))},
             {"host_name", toJson(a.hostName)},
             {"mitre_tactics", toJson(a.mitreTactics.split(QLatin1Char('\n'), Qt::SkipEmptyParts))},
             {"detected_at", a.detectedAt}});
    return related;
}

json playbookRunsJson(const ReportData &d)
{
    json runs = json::array();
    for (const ReportPlaybookRun &r : d.playbookRuns) {
        json stages = json::array();
        for (const ReportStage &s : r.stages)
            stages.push_back({{"stage_id", toJson(s.stageId)},
                              {"state", toJson(s.state)},
                              {"actor", toJson(s.actor)},
                              {"reason", toJson(s.reason)},
                              {"outputs", embedded(s.outputs)},
                              {"started_at", s.startedAt},
                              {"finished_at", s.finishedAt}});
        runs.push_back({{"id", r.id},
                        {"playbook_id", toJson(r.playbookId)},
                        {"playbook_version", toJson(r.playbookVersion)},
                        {"state", toJson(r.state)},
                        {"started_by", toJson(r.startedBy)},
                        {"started_at", r.startedAt},
                        {"updated_at", r.updatedAt},
                        {"stages", stages}});
    }
    return runs;
}

json actionsJson(const ReportData &d)
{
    json actions = json::array();
    for (const ReportAction &a : d.actions) {
        json approvals = json::array();
        for (const ReportApproval &p : a.approvals)
            approvals.push_back({{"approver", toJson(p.approver)},
                                 {"decision", toJson(p.decision)},
                                 {"note", toJson(p.note)},
                                 {"decided_at", p.decidedAt}});
        actions.push_back({{"id", a.id},
                           {"stage_id", toJson(a.stageId)},
                           {"kind", toJson(a.kind)},
                           {"target", toJson(a.target)},
                           {"payload", embedded(a.payload)},
                           {"rationale", toJson(a.rationale)},
                           {"state", toJson(a.state)},
                           {"connector", toJson(a.connector)},
                           {"result", embedded(a.result)},
                           {"required_approvals", a.requiredApprovals},
                           {"approvals", approvals},
                           {"created_at", a.createdAt},
                           {"updated_at", a.updatedAt},
                           {"executed_at", a.executedAt}});
    }
    return actions;
}

json evidenceJson(const ReportData &d)
{
    json ev = json::array();
    for (const ReportEvidence &e : d.evidence)
        ev.push_back({{"id", e.id},
                      {"kind", toJson(e.kind)},
                      {"ref", toJson(e.ref)},
                      {"label", toJson(e.label)},
                      {"detail", toJson(e.detail)},
                      {"created_by", toJson(e.createdBy)},
                      {"created_at", e.createdAt}});
    return ev;
}

json notesJson(const ReportData &d)
{
    json notes = json::array();
    for (const ReportNote &n : d.notes)
        notes.push_back({{"id", n.id},
                         {"author", toJson(n.author)},
                         {"body", toJson(n.body)},
                         {"created_at", n.createdAt},
                         {"updated_at", n.updatedAt}});
    return notes;
}

// The case's audit trail and what verifying it found.
json auditJson(const ReportData &d)
{
    json entries = json::array();
    for (const AuditEntry &e : d.audit)
        entries.push_back({{"seq", e.seq},
                           {"ts", e.timestamp},
                           {"actor", toJson(e.actor)},
                           {"kind", toJson(e.kind)},
                           {"payload", embedded(e.payload)},
                           {"prev_hash", toJson(e.prevHash)},
                           {"hash", toJson(e.hash)}});
    const AuditVerification &v = d.auditVerification;
    return {{"entries", entries}, {"head", toJson(v.head)},         {"intact", v.intact},
            {"count", v.entries}, {"first_bad_seq", v.firstBadSeq}, {"problem", toJson(v.problem)}};
}

// The same contract as `causa-cli chain --json`, for the case's hosts; the note says why it is
// missing when the events could not be read.
json lateralMovementJson(const ReportData &d)
{
    ChainReport chains;
    chains.scope = QStringLiteral("case %1").arg(d.summary.id);
    chains.chains = d.lateralChains;
    for (const LateralChain &c : d.lateralChains)
        if (!chains.victimHosts.contains(c.victimHost))
            chains.victimHosts << c.victimHost;
    json out = toJson(chains);
    if (!d.lateralChainNote.isEmpty())
        out["note"] = js::toStd(d.lateralChainNote);
    return out;
}

} // namespace

json toReportJson(const ReportData &d)
{
    json j;
    j["format"] = "causa-report";
    j["version"] = 1;
    j["generated_at"] = d.generatedAt;
    j["generator"] = toJson(d.generator);
    j["case"] = caseJson(d);
    json sev = json::array();
    for (const ReportSeverityChange &h : d.severityHistory)
        sev.push_back({{"severity", toJson(severityName(static_cast<Severity>(h.severity)))},
                       {"reason", toJson(h.reason)},
                       {"changed_by", toJson(h.changedBy)},
                       {"changed_at", h.changedAt}});
    j["severity_history"] = sev;
    j["alerts"] = json::array();
    for (const StoredAlert &a : d.alerts)
        j["alerts"].push_back(toJson(a));
    j["processes"] = processesJson(d);
    json lines = json::array();
    for (const ReportCommandLine &cl : d.commandLines)
        lines.push_back({{"process_key", toJson(cl.processKey)},
                         {"image", toJson(cl.image)},
                         {"roles", toJson(cl.roles)},
                         {"command_line", toJson(cl.commandLine)},
                         {"analysis", cl.analysis}});
    j["command_lines"] = lines;
    j["command_line_analysis"] = {
        {"available", std::any_of(d.commandLines.begin(), d.commandLines.end(),
                                  [](const auto &c) { return !c.analysis.is_null(); })},
        {"note", toJson(d.commandLineAnalysisNote)}};
    j["indicators"] = indicatorsJson(d);
    j["related_alerts"] = relatedAlertsJson(d);
    j["window"] = {{"from", d.windowFrom}, {"to", d.windowTo}, {"event_count", d.eventCount}};
    j["evidence"] = evidenceJson(d);
    j["playbook_runs"] = playbookRunsJson(d);
    j["actions"] = actionsJson(d);
    j["notes"] = notesJson(d);
    j["lateral_movement"] = lateralMovementJson(d);
    j["audit"] = auditJson(d);
    return j;
}

QString csvField(const QString &value)
{
    QString v = value;
    if (!v.isEmpty()) {
        const QChar c = v.at(0);
        if (c == QLatin1Char('=') || c == QLatin1Char('+') || c == QLatin1Char('-') ||
            c == QLatin1Char('@') || c == QLatin1Char('\t') || c == QLatin1Char('\r'))
            v.prepend(QLatin1Char('\''));
    }
    const bool quote = v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) ||
                       v.contains(QLatin1Char('\n')) || v.contains(QLatin1Char('\r')) ||
                       (!v.isEmpty() && (v.front().isSpace() || v.back().isSpace()));
    if (!quote)
        return v;
    v.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

QByteArray indicatorsCsv(const ReportData &d)
{
    const auto verdicts = indicatorVerdicts(d);
    QString out = QStringLiteral(
        "type,value,as_written,internal,score,verdict,verdict_source,contexts,case_id,case_ref\r\n");
    const QString caseRef = d.summary.source + QLatin1Char(':') + d.summary.sourceRef;
    for (const CaseIndicator &i : d.indicators) {
        const IndicatorVerdict v = verdicts.value(i.indicatorId);
        const QStringList fields{i.type,
                                 i.value,
                                 i.asWritten,
                                 i.internal ? QStringLiteral("true") : QStringLiteral("false"),
                                 QString::number(v.score),
                                 v.source.isEmpty() ? QStringLiteral("unknown")
                                                    : scoreName(static_cast<Score>(v.score)),
                                 v.source,
                                 i.contexts.join(QLatin1Char(';')),
                                 QString::number(d.summary.id),
                                 caseRef};
        QStringList cells;
        for (const QString &f : fields)
            cells << csvField(f);
        out += cells.join(QLatin1Char(',')) + QLatin1String("\r\n");
    }
    return out.toUtf8();
}

} // namespace causa::report
