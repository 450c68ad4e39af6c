#include "reportcomposer.h"

#include "reportformat.h"
#include "reportparts.h"

#include "core/jsonutil.h"

#include <QMap>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace causa {

namespace {

using report::displayTime;
using report::displayTimeOfDay;
using Block = ReportBlock;

Block paragraph(const QString &text, Block::Kind kind = Block::Kind::Paragraph)
{
    Block b;
    b.kind = kind;
    b.text = text;
    return b;
}

Block note(const QString &text)
{
    return paragraph(text, Block::Kind::Note);
}

Block table(QStringList columns, std::vector<QStringList> rows, QList<int> mono = {})
{
    Block b;
    b.kind = Block::Kind::Table;
    b.table.columns = std::move(columns);
    b.table.rows = std::move(rows);
    b.table.monospaceColumns = std::move(mono);
    return b;
}

QString orDash(const QString &s)
{
    return s.trimmed().isEmpty() ? QStringLiteral("-") : s;
}

// A connector's JSON result as "key: value" lines; other text as it is.
QString resultText(const QString &text)
{
    const nlohmann::json j = nlohmann::json::parse(text.toStdString(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return text;
    QStringList lines;
    for (auto it = j.begin(); it != j.end(); ++it)
        lines << QString::fromStdString(it.key()) + QStringLiteral(": ") +
                     js::toQString(it.value());
    return lines.join(QLatin1Char('\n'));
}

QString verdictText(const QString &v)
{
    if (v.isEmpty())
        return QStringLiteral("not yet decided");
    QString t = v;
    t.replace(QLatin1Char('_'), QLatin1Char(' '));
    return t;
}

ReportSection summarySection(const ReportData &d)
{
    ReportSection s{reportsection::kSummary, QStringLiteral("Summary"), {}};
    const CaseSummary &c = d.summary;
    qint64 first = 0, last = 0;
    for (const StoredAlert &a : d.alerts) {
        if (a.alert.detectedAt <= 0)
            continue;
        first = first == 0 ? a.alert.detectedAt : std::min(first, a.alert.detectedAt);
        last = std::max(last, a.alert.detectedAt);
    }
    Block kv;
    kv.kind = Block::Kind::KeyValues;
    kv.pairs = {
        {QStringLiteral("Case"),
         QStringLiteral("#%1 (%2:%3)").arg(c.id).arg(c.source, c.sourceRef)},
        {QStringLiteral("Title"), orDash(c.title)},
        {QStringLiteral("Verdict"), verdictText(c.verdict)},
        {QStringLiteral("Severity"), severityName(c.severity)},
        {QStringLiteral("Status"), orDash(c.status)},
        {QStringLiteral("TLP / PAP"), QStringLiteral("TLP:%1 / PAP:%2").arg(c.tlp, d.detail.pap)},
        {QStringLiteral("Hosts"), orDash(c.hosts.join(QStringLiteral(", ")))},
        {QStringLiteral("Users"), orDash(c.users.join(QStringLiteral(", ")))},
        {QStringLiteral("Assignee"), orDash(c.assignee)},
        {QStringLiteral("Alerts"), QString::number(d.alerts.size())},
        {QStringLiteral("First alert"), displayTime(first)},
        {QStringLiteral("Last alert"), displayTime(last)},
        {QStringLiteral("Case created"), displayTime(c.createdAt)},
        {QStringLiteral("Case updated"), displayTime(c.updatedAt)},
        {QStringLiteral("Case closed"), displayTime(d.detail.closedAt)},
        {QStringLiteral("Source link"), orDash(d.detail.sourceUrl)},
        {QStringLiteral("Report generated"),
         displayTime(d.generatedAt) + QStringLiteral(" by ") + d.generator},
    };
    s.blocks.push_back(kv);
    if (!d.detail.description.trimmed().isEmpty())
        s.blocks.push_back(paragraph(d.detail.description));
    if (!d.detail.resolutionNote.trimmed().isEmpty()) {
        s.blocks.push_back(paragraph(QStringLiteral("Resolution"), Block::Kind::Subheading));
        s.blocks.push_back(paragraph(d.detail.resolutionNote));
    }
    s.blocks.push_back(paragraph(QStringLiteral("Severity history"), Block::Kind::Subheading));
    if (d.severityHistory.empty()) {
        s.blocks.push_back(
            note(QStringLiteral("No severity change has been recorded; the severity is "
                                "the one the source reported (%1).")
                     .arg(severityName(c.severity))));
    } else {
        std::vector<QStringList> rows;
        for (const ReportSeverityChange &h : d.severityHistory)
            rows.push_back({displayTime(h.changedAt),
                            severityName(static_cast<Severity>(h.severity)), orDash(h.changedBy),
                            orDash(h.reason)});
        s.blocks.push_back(table({QStringLiteral("When"), QStringLiteral("Severity"),
                                  QStringLiteral("By"), QStringLiteral("Reason")},
                                 std::move(rows)));
    }
    Block chart;
    chart.kind = Block::Kind::Chart;
    chart.chart = report::timelineChart(d);
    if (chart.chart.isEmpty())
        s.blocks.push_back(note(QStringLiteral("No timed alerts or events to chart.")));
    else
        s.blocks.push_back(chart);
    if (d.eventCount > qint64(d.events.size()))
        s.blocks.push_back(
            note(QStringLiteral("The timeline shows the first %1 of %2 events in the window.")
                     .arg(d.events.size())
                     .arg(d.eventCount)));
    return s;
}

ReportSection alertsSection(const ReportData &d)
{
    ReportSection s{reportsection::kAlerts, QStringLiteral("Alerts"), {}};
    if (d.alerts.empty()) {
        s.blocks.push_back(note(QStringLiteral("The case has no alerts.")));
        return s;
    }
    std::vector<QStringList> rows;
    for (const StoredAlert &sa : d.alerts) {
        const AlertRecord &a = sa.alert;
        QString remote = a.remoteIp;
        if (!remote.isEmpty() && a.remotePort > 0)
            remote += QLatin1Char(':') + QString::number(a.remotePort);
        rows.push_back({displayTime(a.detectedAt), a.name, a.alertId, severityName(a.severity),
                        orDash(a.actionPretty.isEmpty() ? a.action : a.actionPretty),
                        orDash(a.hostName), orDash(a.user), orDash(remote)});
    }
    s.blocks.push_back(
        table({QStringLiteral("Detected"), QStringLiteral("Alert"), QStringLiteral("ID"),
               QStringLiteral("Severity"), QStringLiteral("Action"), QStringLiteral("Host"),
               QStringLiteral("User"), QStringLiteral("Remote")},
              std::move(rows)));
    std::vector<QStringList> mitre;
    for (const StoredAlert &sa : d.alerts)
        mitre.push_back({sa.alert.name, orDash(sa.alert.mitreTactics.join(QStringLiteral("; "))),
                         orDash(sa.alert.mitreTechniques.join(QStringLiteral("; "))),
                         orDash(sa.alert.ruleId)});
    s.blocks.push_back(paragraph(QStringLiteral("MITRE ATT&CK"), Block::Kind::Subheading));
    s.blocks.push_back(table({QStringLiteral("Alert"), QStringLiteral("Tactics"),
                              QStringLiteral("Techniques"), QStringLiteral("Rule")},
                             std::move(mitre), {3}));
    Block chart;
    chart.kind = Block::Kind::Chart;
    chart.chart = report::tacticChart(d);
    if (!chart.chart.isEmpty())
        s.blocks.push_back(chart);
    return s;
}

ReportSection commandLineSection(const ReportData &d)
{
    ReportSection s{reportsection::kCommandLines, QStringLiteral("Command lines"), {}};
    if (d.commandLines.empty()) {
        s.blocks.push_back(note(QStringLiteral("No process of the case recorded a command line.")));
        return s;
    }
    bool anyAnalysis = false;
    for (const ReportCommandLine &c : d.commandLines)
        anyAnalysis = anyAnalysis || !c.analysis.is_null();
    if (!anyAnalysis && !d.commandLineAnalysisNote.isEmpty())
        s.blocks.push_back(note(d.commandLineAnalysisNote));
    for (const ReportCommandLine &c : d.commandLines) {
        s.blocks.push_back(paragraph(
            QStringLiteral("%1 (%2)").arg(orDash(c.image), c.roles.join(QStringLiteral(", "))),
            Block::Kind::Subheading));
        s.blocks.push_back(paragraph(c.commandLine, Block::Kind::Preformatted));
        if (!c.analysis.is_null())
            report::appendAnalysisBlocks(c.analysis, s.blocks);
    }
    return s;
}

ReportSection indicatorSection(const ReportData &d)
{
    ReportSection s{reportsection::kIndicators, QStringLiteral("Indicators and enrichment"), {}};
    if (d.indicators.empty()) {
        s.blocks.push_back(note(QStringLiteral("The case has no indicators.")));
        return s;
    }
    const auto verdicts = report::indicatorVerdicts(d);
    std::vector<QStringList> rows;
    for (const CaseIndicator &i : d.indicators) {
        const auto v = verdicts.value(i.indicatorId);
        const QString verdict =
            v.source.isEmpty()
                ? QStringLiteral("unknown (no verdict)")
                : QStringLiteral("%1 (%2)").arg(scoreName(static_cast<Score>(v.score)), v.source);
        rows.push_back({i.type, i.value,
                        i.internal ? QStringLiteral("internal") : QStringLiteral("external"),
                        verdict, i.contexts.join(QStringLiteral(", "))});
    }
    s.blocks.push_back(
        table({QStringLiteral("Type"), QStringLiteral("Value"), QStringLiteral("Scope"),
               QStringLiteral("Verdict"), QStringLiteral("Seen as")},
              std::move(rows), {1}));
    QHash<qint64, QString> valueOf;
    for (const CaseIndicator &i : d.indicators)
        valueOf.insert(i.indicatorId, i.value);
    s.blocks.push_back(paragraph(QStringLiteral("Enrichment results"), Block::Kind::Subheading));
    if (d.enrichments.empty()) {
        s.blocks.push_back(
            note(QStringLiteral("No enrichment results are stored for this case's indicators "
                                "(enrichment has not run, or no provider answered).")));
    } else {
        std::vector<QStringList> er;
        for (const ReportEnrichment &e : d.enrichments)
            er.push_back({valueOf.value(e.indicatorId), e.provider, orDash(e.verdict),
                          scoreName(static_cast<Score>(e.score)), e.reliability,
                          displayTime(e.fetchedAt)});
        s.blocks.push_back(table({QStringLiteral("Indicator"), QStringLiteral("Provider"),
                                  QStringLiteral("Verdict"), QStringLiteral("Score"),
                                  QStringLiteral("Reliability"), QStringLiteral("Fetched")},
                                 std::move(er), {0}));
    }
    s.blocks.push_back(
        paragraph(QStringLiteral("Threat-intelligence matches"), Block::Kind::Subheading));
    if (d.intel.empty()) {
        s.blocks.push_back(note(
            QStringLiteral("No imported intelligence feed lists any of the case's indicators.")));
    } else {
        std::vector<QStringList> ir;
        for (const ReportIntelMatch &m : d.intel)
            ir.push_back({valueOf.value(m.indicatorId), m.feed,
                          scoreName(static_cast<Score>(m.score)), QString::number(m.confidence),
                          m.tlp, orDash(m.description)});
        s.blocks.push_back(table({QStringLiteral("Indicator"), QStringLiteral("Feed"),
                                  QStringLiteral("Score"), QStringLiteral("Confidence"),
                                  QStringLiteral("TLP"), QStringLiteral("Description")},
                                 std::move(ir), {0}));
    }
    return s;
}

ReportSection relatedSection(const ReportData &d)
{
    ReportSection s{reportsection::kRelated, QStringLiteral("Related alerts and hunt hits"), {}};
    s.blocks.push_back(
        paragraph(QStringLiteral("Other alerts on the same endpoints"), Block::Kind::Subheading));
    if (d.relatedAlerts.empty()) {
        s.blocks.push_back(
            note(QStringLiteral("No alert of another case was found on the case's endpoints "
                                "between %1 and %2.")
                     .arg(displayTime(d.windowFrom), displayTime(d.windowTo))));
    } else {
        std::vector<QStringList> rows;
        for (const ReportRelatedAlert &a : d.relatedAlerts)
            rows.push_back({displayTime(a.detectedAt), a.name, QStringLiteral("#%1").arg(a.caseId),
                            severityName(static_cast<Severity>(a.severity)), orDash(a.hostName),
                            orDash(a.mitreTactics.split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                                       .join(QStringLiteral("; ")))});
        s.blocks.push_back(
            table({QStringLiteral("Detected"), QStringLiteral("Alert"), QStringLiteral("Case"),
                   QStringLiteral("Severity"), QStringLiteral("Host"), QStringLiteral("Tactics")},
                  std::move(rows)));
    }
    s.blocks.push_back(
        paragraph(QStringLiteral("Evidence and hunt hits"), Block::Kind::Subheading));
    if (d.evidence.empty()) {
        s.blocks.push_back(
            note(QStringLiteral("No evidence has been tagged (by an analyst, or as hits of the "
                                "threat-hunting stage).")));
    } else {
        std::vector<QStringList> rows;
        for (const ReportEvidence &e : d.evidence)
            rows.push_back({displayTime(e.createdAt), e.kind, e.ref, orDash(e.label),
                            orDash(e.detail), orDash(e.createdBy)});
        s.blocks.push_back(table({QStringLiteral("Tagged"), QStringLiteral("Kind"),
                                  QStringLiteral("Reference"), QStringLiteral("Label"),
                                  QStringLiteral("Comment / detail"), QStringLiteral("By")},
                                 std::move(rows), {2}));
    }
    return s;
}

// How the analyst closed the case, beside what the close stage proposed: the same resolution,
// another one, none for want of evidence (the stage ran and listed what is missing), or none
// because the case was closed before the playbook reached the stage.
QString closingDecision(const nlohmann::json &closeOutputs, const nlohmann::json &decision)
{
    const QString chosen = js::str(decision, "resolution");
    const QString proposed = js::str(closeOutputs, "proposed_resolution");
    if (!proposed.isEmpty())
        return proposed == chosen ? QStringLiteral("closed as %1, as the playbook proposed")
                                        .arg(verdictText(chosen))
                                  : QStringLiteral("closed as %1 (the playbook proposed %2)")
                                        .arg(verdictText(chosen), verdictText(proposed));
    if (closeOutputs.contains("missing"))
        return QStringLiteral("closed as %1 (the playbook proposed none: evidence was missing)")
            .arg(verdictText(chosen));
    return QStringLiteral("closed as %1 before the playbook proposed a resolution")
        .arg(verdictText(chosen));
}

// What the analysts decided in the latest run, read from its stage outputs: skips with their
// reason, overridden outputs, the remediation checklist and how the case was closed.
std::vector<Block> decisionBlocks(const ReportPlaybookRun &r)
{
    std::vector<QStringList> rows;
    auto text = [](const nlohmann::json &j) {
        return j.is_string() ? QString::fromStdString(j.get<std::string>())
                             : QString::fromStdString(j.dump(
                                   -1, ' ', false, nlohmann::json::error_handler_t::replace));
    };
    for (const ReportStage &st : r.stages) {
        const nlohmann::json o = nlohmann::json::parse(st.outputs.toStdString(), nullptr, false);
        if (!o.is_object())
            continue;
        if (o.value("manual", false) && o.value("skipped", false))
            rows.push_back(
                {st.stageId, QStringLiteral("skipped"), orDash(st.actor), js::str(o, "reason")});
        // items() needs a live object
        const nlohmann::json overrides = o.value("overrides", nlohmann::json::object());
        for (const auto &[key, ov] : overrides.items())
            rows.push_back(
                {st.stageId,
                 QStringLiteral("override %1: %2 → %3")
                     .arg(QString::fromStdString(key), text(ov.value("previous", nlohmann::json())),
                          text(o.value(key, nlohmann::json()))),
                 js::str(ov, "by"), js::str(ov, "reason")});
        for (const nlohmann::json &c : o.value("checklist", nlohmann::json::array()))
            if (c.is_object() && c.contains("by"))
                rows.push_back({st.stageId,
                                QStringLiteral("%1 checklist: %2")
                                    .arg(c.value("done", false) ? QStringLiteral("ticked")
                                                                : QStringLiteral("unticked"),
                                         js::str(c, "item")),
                                js::str(c, "by"), orDash(js::str(c, "note"))});
        if (o.contains("decision")) {
            const nlohmann::json &dec = o["decision"];
            rows.push_back(
                {st.stageId, closingDecision(o, dec), js::str(dec, "by"), js::str(dec, "note")});
        } else if (o.value("automatic", false)) {
            rows.push_back({st.stageId,
                            QStringLiteral("closed automatically as %1 (AutoRemediation)")
                                .arg(verdictText(js::str(o, "resolution"))),
                            QStringLiteral("playbook"), js::str(o, "resolution_note")});
        }
    }
    if (rows.empty())
        return {};
    return {paragraph(QStringLiteral("Analyst decisions in run #%1").arg(r.id),
                      Block::Kind::Subheading),
            table({QStringLiteral("Stage"), QStringLiteral("Decision"), QStringLiteral("By"),
                   QStringLiteral("Reason / note")},
                  std::move(rows))};
}

ReportSection actionsSection(const ReportData &d)
{
    ReportSection s{reportsection::kActions, QStringLiteral("Playbook, actions and approvals"), {}};
    s.blocks.push_back(paragraph(QStringLiteral("Playbook runs"), Block::Kind::Subheading));
    if (d.playbookRuns.empty()) {
        s.blocks.push_back(note(QStringLiteral("No playbook has been run on this case.")));
    } else {
        for (const ReportPlaybookRun &r : d.playbookRuns) {
            // The stage times are on the run's day as a rule: the table shows the time of day
            // under a line that gives the date (a stage on another day shows its own).
            s.blocks.push_back(paragraph(QStringLiteral("Run #%1: %2 %3, %4, started %5 by %6")
                                             .arg(r.id)
                                             .arg(r.playbookId, r.playbookVersion, r.state,
                                                  displayTime(r.startedAt), orDash(r.startedBy))));
            std::vector<QStringList> rows;
            for (const ReportStage &st : r.stages)
                rows.push_back({st.stageId, st.state, orDash(st.actor),
                                displayTimeOfDay(st.startedAt, r.startedAt),
                                displayTimeOfDay(st.finishedAt, r.startedAt), orDash(st.reason)});
            if (!rows.empty())
                s.blocks.push_back(table({QStringLiteral("Stage"), QStringLiteral("State"),
                                          QStringLiteral("By"), QStringLiteral("Started"),
                                          QStringLiteral("Finished"), QStringLiteral("Reason")},
                                         std::move(rows)));
            for (Block &b : decisionBlocks(r))
                s.blocks.push_back(std::move(b));
        }
    }
    s.blocks.push_back(paragraph(QStringLiteral("Actions"), Block::Kind::Subheading));
    if (d.actions.empty()) {
        s.blocks.push_back(
            note(QStringLiteral("No response action has been proposed for this case.")));
        return s;
    }
    // Six columns, not eight: the connector and the time it ran go under the state, so the result
    // (export paths, a connector's reply) gets the width A4 portrait has left.
    std::vector<QStringList> rows;
    for (const ReportAction &a : d.actions) {
        QStringList approvals;
        for (const ReportApproval &p : a.approvals)
            approvals << QStringLiteral("%1 by %2%3\n%4")
                             .arg(p.decision, p.approver,
                                  p.note.isEmpty() ? QString() : QStringLiteral(": ") + p.note,
                                  displayTime(p.decidedAt));
        QStringList state{a.state};
        if (!a.connector.isEmpty())
            state << QStringLiteral("via ") + a.connector;
        if (a.executedAt > 0)
            state << displayTime(a.executedAt);
        rows.push_back(
            {QStringLiteral("#%1").arg(a.id), a.kind, a.target, state.join(QLatin1Char('\n')),
             approvals.isEmpty() ? QStringLiteral("none (%1 required)").arg(a.requiredApprovals)
                                 : approvals.join(QLatin1Char('\n')),
             orDash(resultText(a.result))});
    }
    s.blocks.push_back(
        table({QStringLiteral("#"), QStringLiteral("Action"), QStringLiteral("Target"),
               QStringLiteral("State"), QStringLiteral("Approvals"), QStringLiteral("Result")},
              std::move(rows), {2}));
    return s;
}

ReportSection notesSection(const ReportData &d)
{
    ReportSection s{reportsection::kNotes, QStringLiteral("Notes"), {}};
    if (d.notes.empty())
        s.blocks.push_back(note(QStringLiteral("No analyst notes.")));
    for (const ReportNote &n : d.notes) {
        s.blocks.push_back(
            paragraph(QStringLiteral("%1, %2").arg(orDash(n.author), displayTime(n.createdAt)),
                      Block::Kind::Subheading));
        s.blocks.push_back(paragraph(n.body));
    }
    return s;
}

ReportSection auditSection(const ReportData &d)
{
    ReportSection s{reportsection::kAudit, QStringLiteral("Audit trail"), {}};
    const AuditVerification &v = d.auditVerification;
    Block kv;
    kv.kind = Block::Kind::KeyValues;
    kv.pairs = {
        {QStringLiteral("Entries"), QString::number(v.entries)},
        {QStringLiteral("Hash-chain head"), v.head},
        {QStringLiteral("Verification"),
         v.intact ? QStringLiteral("intact: every entry follows the previous one and is unmodified")
                  : QStringLiteral("BROKEN at entry %1: %2").arg(v.firstBadSeq).arg(v.problem)}};
    s.blocks.push_back(kv);
    std::vector<QStringList> rows;
    for (const AuditEntry &e : d.audit)
        rows.push_back({QString::number(e.seq), displayTime(e.timestamp), e.actor, e.kind, e.hash});
    if (!rows.empty())
        s.blocks.push_back(
            table({QStringLiteral("#"), QStringLiteral("When"), QStringLiteral("Actor"),
                   QStringLiteral("Event"), QStringLiteral("Hash")},
                  std::move(rows), {4}));
    return s;
}

} // namespace

ReportDocument composeReport(ReportData data)
{
    auto shared = std::make_shared<const ReportData>(std::move(data));
    const ReportData &d = *shared;
    std::vector<ReportSection> sections;
    sections.push_back(summarySection(d));
    sections.push_back(alertsSection(d));
    sections.push_back(report::processTreeSection(d));
    sections.push_back(report::lateralChainSection(d));
    sections.push_back(commandLineSection(d));
    sections.push_back(indicatorSection(d));
    sections.push_back(relatedSection(d));
    sections.push_back(actionsSection(d));
    sections.push_back(notesSection(d));
    sections.push_back(auditSection(d));
    for (size_t i = 0; i < sections.size(); ++i)
        sections[i].heading = QStringLiteral("%1. %2").arg(i + 1).arg(sections[i].heading);
    const QString title =
        d.summary.title.isEmpty() ? QStringLiteral("Case #%1").arg(d.summary.id) : d.summary.title;
    return ReportDocument(shared, title,
                          d.summary.tlp.isEmpty() ? QStringLiteral("AMBER") : d.summary.tlp,
                          std::move(sections));
}

} // namespace causa
