// Report composition and the core exporters: HTML escaping, JSON completeness, CSV quoting and
// formula guard, STIX 2.1 structure (SPEC §10).
#include "reportfixture.h"
#include "testutils.h"

#include "report/htmlescape.h"
#include "report/reportcomposer.h"
#include "report/reportexporters.h"
#include "report/reportparts.h"
#include "store/auditlog.h"
#include "store/reportqueries.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <nlohmann/json.hpp>

using namespace causa;
using nlohmann::json;

namespace {

ReportDocument sampleReport(test::TempStore &ts, bool withRecords = true)
{
    const qint64 id = test::importSampleCase(ts.store());
    if (withRecords)
        test::addInvestigationRecords(ts.store(), id);
    ReportOptions o;
    o.generatedAt = 1795080000000;
    auto data = loadReportData(ts.store(), id, o);
    if (!data)
        qFatal("%s", qPrintable(data.error().toString()));
    return composeReport(std::move(data).value());
}

// Splits RFC 4180 CSV into rows of fields (quoted fields may hold commas, quotes, newlines).
std::vector<QStringList> parseCsv(const QString &text)
{
    std::vector<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() &&
                text.at(i + 1) == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() &&
                   text.at(i + 1) == QLatin1Char('\n')) {
            row << field;
            field.clear();
            rows.push_back(row);
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

QString q(const json &j)
{
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString();
}

} // namespace

class TestReportExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sampleHasEverySectionInOrder()
    {
        test::TempStore ts;
        const ReportDocument doc = sampleReport(ts);
        QStringList ids;
        for (const ReportSection &s : doc.sections())
            ids << s.id;
        QCOMPARE(ids, (QStringList{reportsection::kSummary, reportsection::kAlerts,
                                   reportsection::kProcessTree, reportsection::kLateralChain,
                                   reportsection::kCommandLines, reportsection::kIndicators,
                                   reportsection::kRelated, reportsection::kActions,
                                   reportsection::kNotes, reportsection::kAudit}));
        QVERIFY(
            doc.section(reportsection::kSummary)->heading.startsWith(QLatin1String("1. Summary")));
        QCOMPARE(doc.tlp(), QStringLiteral("AMBER"));
        // Each command line comes with its decoded layers and findings from the analyser.
        const ReportSection *cl = doc.section(reportsection::kCommandLines);
        bool sawPowershell = false, sawDecoded = false, sawAmsi = false;
        for (const ReportBlock &b : cl->blocks) {
            sawPowershell = sawPowershell || (b.kind == ReportBlock::Kind::Preformatted &&
                                              b.text.contains(QLatin1String("-enc")));
            sawDecoded = sawDecoded || b.text.contains(QLatin1String("amsiInit"));
            sawAmsi = sawAmsi || b.text.contains(QLatin1String("amsi_bypass")) ||
                      b.text.contains(QLatin1String("AMSI"));
            // The decoded layers are rows of the layers table (the last one is the final text).
            for (const auto &row : b.table.rows)
                for (const QString &cell : row) {
                    sawAmsi = sawAmsi || cell.contains(QLatin1String("amsi_bypass"));
                    sawDecoded = sawDecoded || cell.contains(QLatin1String("amsiInit"));
                }
        }
        QVERIFY(sawPowershell);
        QVERIFY2(sawDecoded, "the decoded AMSI bypass must appear in the report");
        QVERIFY2(sawAmsi, "the amsi_bypass finding must appear in the report");
    }

    void processTreeIndentsChildrenUnderParents()
    {
        test::TempStore ts;
        const ReportDocument doc = sampleReport(ts, false);
        const ReportSection *s = doc.section(reportsection::kProcessTree);
        const ReportTable &t = s->blocks.front().table;
        QCOMPARE(int(t.rows.size()), int(doc.data().processes.size()));
        // Each row's indentation is at most one level deeper than the row before, and a child's
        // parent appears above it.
        int prev = -2;
        bool sawChild = false;
        for (const QStringList &row : t.rows) {
            const int indent = int(row.at(0).size() - row.at(0).trimmed().size());
            QVERIFY2(indent <= prev + 2 || prev < 0, qPrintable(row.at(0)));
            sawChild = sawChild || indent > 0;
            prev = indent;
        }
        QVERIFY(sawChild);
    }

    void escapeHtml_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("tags") << QStringLiteral("<h1>x</h1>")
                              << QStringLiteral("&lt;h1&gt;x&lt;/h1&gt;");
        QTest::newRow("entity stays literal")
            << QStringLiteral("&lt;") << QStringLiteral("&amp;lt;");
        QTest::newRow("attribute quotes")
            << QStringLiteral("a\"b'c") << QStringLiteral("a&quot;b&#39;c");
        QTest::newRow("NUL and controls")
            << QString::fromUtf8("a\0b\x01", 4) << QStringLiteral("a\uFFFDb\uFFFD");
        QTest::newRow("newline kept") << QStringLiteral("a\nb") << QStringLiteral("a\nb");
        QTest::newRow("unicode kept") << QStringLiteral("Ünïcødé ✓") << QStringLiteral("Ünïcødé ✓");
    }
    // One tactic, three spellings (the analyser's, XDR's and an ATT&CK id prefix): one bar each
    // would show the same tactic twice in the report's chart.
    void tacticChartMergesSpellings()
    {
        ReportData d;
        ReportCommandLine cl;
        cl.analysis["findings"] = nlohmann::json::array({{{"tactic", "Credential access"}},
                                                         {{"tactic", "command-and-control"}},
                                                         {{"tactic", ""}}});
        d.commandLines.push_back(cl);
        StoredAlert a;
        a.alert.mitreTactics = {QStringLiteral("Credential Access"),
                                QStringLiteral("TA0011 - Command and Control")};
        StoredAlert b;
        b.alert.mitreTactics = {QStringLiteral("TA0006 - Credential Access")};
        d.alerts = {a, b};
        const ReportChart c = report::tacticChart(d);
        QCOMPARE(c.categories,
                 (QStringList{QStringLiteral("Command and Control"),
                              QStringLiteral("Credential Access"), QStringLiteral("Unmapped")}));
        QCOMPARE(c.series.size(), size_t(2));
        QCOMPARE(c.series[0].second, (std::vector<double>{1, 1, 1})); // findings
        QCOMPARE(c.series[1].second, (std::vector<double>{1, 2, 0})); // alerts
    }

    // The runs table gives each stage's time of day under the run's line, which gives the date:
    // a full timestamp in each of two narrow columns wrapped to three lines. A stage on another
    // day keeps its date.
    void runsTableShowsTimeOfDayUnderTheRunsDate()
    {
        const qint64 start =
            QDateTime(QDate(2026, 12, 7), QTime(1, 55, 49), Qt::UTC).toMSecsSinceEpoch();
        ReportData d;
        ReportPlaybookRun run;
        run.id = 1;
        run.playbookId = QStringLiteral("remote-psexec-lolbin");
        run.state = QStringLiteral("completed");
        run.startedAt = start;
        ReportStage same;
        same.stageId = QStringLiteral("triage");
        same.state = QStringLiteral("completed");
        same.startedAt = start;
        same.finishedAt = start + 2000;
        ReportStage nextDay = same;
        nextDay.stageId = QStringLiteral("close");
        nextDay.finishedAt = start + 24 * 3600 * 1000;
        run.stages = {same, nextDay};
        d.playbookRuns = {run};
        const ReportDocument doc = composeReport(d);
        const ReportSection *actions = doc.section(reportsection::kActions);
        QVERIFY(actions);
        bool sawRunLine = false;
        const ReportTable *stages = nullptr;
        for (const ReportBlock &b : actions->blocks) {
            sawRunLine =
                sawRunLine || b.text.contains(QLatin1String("started 2026-12-07 01:55:49 UTC"));
            if (!stages && b.table.columns.contains(QLatin1String("Finished")))
                stages = &b.table;
        }
        QVERIFY(sawRunLine);
        QVERIFY(stages);
        const int started = int(stages->columns.indexOf(QLatin1String("Started")));
        const int finished = int(stages->columns.indexOf(QLatin1String("Finished")));
        QCOMPARE(stages->rows.size(), size_t(2));
        QCOMPARE(stages->rows[0][started], QStringLiteral("01:55:49"));
        QCOMPARE(stages->rows[0][finished], QStringLiteral("01:55:51"));
        QCOMPARE(stages->rows[1][finished], QStringLiteral("2026-12-08 01:55:49 UTC"));
    }

    // The report lists a run's stages in the order they ran. The close stage has a finishing time
    // and no starting one: it came first when stages were ordered by their starting time.
    void runsTableListsStagesInTheOrderTheyRan()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSampleCase(ts.store());
        auto conn = ts.store().connection();
        QVERIFY(conn);
        QSqlQuery q(conn.value());
        QVERIFY(q.prepare(QStringLiteral("INSERT INTO playbook_runs (case_id, playbook_id, state, "
                                         "started_by, started_at) VALUES (?, 'p', 'completed', "
                                         "'alice', 1000)")));
        q.addBindValue(caseId);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        const qint64 runId = q.lastInsertId().toLongLong();
        // stage id, started, finished: stored in an order that is none of the expected ones.
        const std::tuple<const char *, qint64, qint64> stages[] = {
            {"close", 0, 9000},     {"verdict", 5000, 5100}, {"remediation", 0, 0},
            {"triage", 1000, 1200}, {"enrich", 3000, 3500},
        };
        for (const auto &[id, started, finished] : stages) {
            QVERIFY(q.prepare(QStringLiteral("INSERT INTO stage_states (run_id, stage_id, state, "
                                             "started_at, finished_at) VALUES (?, ?, 'x', ?, ?)")));
            q.addBindValue(runId);
            q.addBindValue(QString::fromLatin1(id));
            q.addBindValue(started);
            q.addBindValue(finished);
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        }
        auto runs = reportq::playbookRuns(ts.store(), caseId);
        QVERIFY(runs);
        QCOMPARE(runs->size(), size_t(1));
        QStringList order;
        for (const ReportStage &st : runs->front().stages)
            order << st.stageId;
        QCOMPARE(order, (QStringList{QStringLiteral("triage"), QStringLiteral("enrich"),
                                     QStringLiteral("verdict"), QStringLiteral("close"),
                                     QStringLiteral("remediation")}));
    }

    // "Analyst decisions" says how the close relates to what the playbook proposed: the same,
    // another resolution, none for want of evidence, or closed before the stage proposed any.
    void closingDecisionSaysWhatThePlaybookProposed()
    {
        const std::pair<const char *, const char *> cases[] = {
            {R"({"proposed_resolution":"true_positive","missing":[],)"
             R"("decision":{"resolution":"true_positive","by":"alice"}})",
             "closed as true positive, as the playbook proposed"},
            {R"({"proposed_resolution":"true_positive","missing":[],)"
             R"("decision":{"resolution":"false_positive","by":"alice"}})",
             "closed as false positive (the playbook proposed true positive)"},
            {R"({"proposed_resolution":"","missing":[{"stage":"enrich"}],)"
             R"("decision":{"resolution":"true_positive","by":"alice"}})",
             "closed as true positive (the playbook proposed none: evidence was missing)"},
            {R"({"decision":{"resolution":"benign_true_positive","by":"alice"}})",
             "closed as benign true positive before the playbook proposed a resolution"},
        };
        for (const auto &[outputs, expected] : cases) {
            ReportData d;
            ReportPlaybookRun run;
            run.id = 3;
            run.playbookId = QStringLiteral("remote-psexec-lolbin");
            run.state = QStringLiteral("completed");
            ReportStage close;
            close.stageId = QStringLiteral("close");
            close.state = QStringLiteral("completed");
            close.outputs = QString::fromUtf8(outputs);
            run.stages = {close};
            d.playbookRuns = {run};
            const ReportDocument doc = composeReport(d);
            const ReportSection *actions = doc.section(reportsection::kActions);
            QVERIFY(actions);
            QStringList decisions;
            for (const ReportBlock &b : actions->blocks)
                if (b.kind == ReportBlock::Kind::Table &&
                    b.table.columns.value(1) == QLatin1String("Decision"))
                    for (const QStringList &row : b.table.rows)
                        decisions << row.value(1);
            QCOMPARE(decisions, QStringList{QString::fromUtf8(expected)});
        }
    }

    void escapeHtml()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(report::escapeHtml(in), out);
    }

    void htmlShowsHostileCommandLineLiterally()
    {
        test::TempStore ts;
        const qint64 id = test::addCaseWithCommandLine(
            ts.store(), QStringLiteral("<script>x</script>"), test::hostileCommandLine());
        auto data = loadReportData(ts.store(), id);
        QVERIFY(data.ok());
        const QByteArray html = report::toHtml(composeReport(std::move(data).value()));
        QVERIFY(html.contains("&lt;h1&gt;pwned&lt;/h1&gt;"));
        QVERIFY(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        QVERIFY(html.contains("&amp;lt;b&amp;gt;"));
        QVERIFY(html.contains("&lt;script&gt;x&lt;/script&gt;")); // the case title
        QVERIFY(!html.contains("<h1>pwned"));
        QVERIFY(!html.contains("<img"));
        QVERIFY(!html.contains("<script"));
        // Self-contained: no external resource and nothing executable.
        QVERIFY(!html.contains("src=\"http"));
        QVERIFY(!html.contains("<link"));
        QVERIFY(html.startsWith("<!DOCTYPE html>"));
    }

    void htmlHasEverySectionAndKeyValues()
    {
        test::TempStore ts;
        const ReportDocument doc = sampleReport(ts);
        const QString html = QString::fromUtf8(report::toHtml(doc));
        for (const ReportSection &s : doc.sections())
            QVERIFY2(html.contains(QStringLiteral("id=\"%1\"").arg(s.id)), qPrintable(s.id));
        QVERIFY(html.contains(QLatin1String("FIN-WS-042")));
        for (const StoredAlert &a : doc.data().alerts)
            QVERIFY2(html.contains(report::escapeHtml(a.alert.name)), qPrintable(a.alert.name));
        for (const CaseIndicator &i : doc.data().indicators)
            QVERIFY2(html.contains(report::escapeHtml(i.value)), qPrintable(i.value));
        QVERIFY(html.contains(doc.data().auditVerification.head));
        QVERIFY(html.contains(QLatin1String("&lt;b&gt;not&lt;/b&gt;"))); // the note
    }

    void jsonIsComplete()
    {
        test::TempStore ts;
        const ReportDocument doc = sampleReport(ts);
        const json j = json::parse(report::toReportJson(doc.data()).dump());
        QCOMPARE(q(j["format"]), QStringLiteral("causa-report"));
        for (const char *key :
             {"case", "severity_history", "alerts", "processes", "command_lines", "indicators",
              "related_alerts", "evidence", "playbook_runs", "actions", "notes", "audit", "window"})
            QVERIFY2(j.contains(key), key);
        const CaseSummary &c = doc.data().summary;
        QCOMPARE(q(j["case"]["title"]), c.title);
        QCOMPARE(q(j["case"]["tlp"]), c.tlp);
        QCOMPARE(j["alerts"].size(), doc.data().alerts.size());
        QCOMPARE(j["processes"].size(), doc.data().processes.size());
        QCOMPARE(j["indicators"].size(), doc.data().indicators.size());
        QCOMPARE(j["actions"].size(), size_t(1));
        QCOMPARE(q(j["actions"][0]["approvals"][0]["approver"]), QStringLiteral("bob"));
        QCOMPARE(q(j["actions"][0]["result"]["status"]), QStringLiteral("COMPLETED_SUCCESSFULLY"));
        QCOMPARE(q(j["severity_history"].back()["severity"]), QStringLiteral("high"));
        QCOMPARE(j["command_line_analysis"]["available"].get<bool>(), true);
        bool malicious = false;
        for (const auto &cl : j["command_lines"])
            malicious = malicious || cl["analysis"].value("verdict", std::string()) == "malicious";
        QVERIFY2(malicious,
                 "the sample's PowerShell line is analysed as malicious in the JSON report");
        // The audit head is the chain's real head, and verification is reported.
        auto v = audit::verify(ts.store().connection().value(), c.id);
        QVERIFY(v.ok());
        QCOMPARE(q(j["audit"]["head"]), v->head);
        QCOMPARE(j["audit"]["intact"].get<bool>(), true);
        QCOMPARE(qint64(j["audit"]["entries"].size()), v->entries);
        // The hash that the feed and an enrichment know is scored malicious with both sources listed.
        bool found = false;
        for (const json &i : j["indicators"])
            if (!i["enrichments"].empty()) {
                found = true;
                QCOMPARE(q(i["verdict"]), QStringLiteral("malicious"));
                QCOMPARE(i["intel"].size(), size_t(1));
            }
        QVERIFY(found);
    }

    void csvField_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("abc");
        QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::newRow("quote") << QStringLiteral("a\"b") << QStringLiteral("\"a\"\"b\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::newRow("formula =") << QStringLiteral("=1+1") << QStringLiteral("'=1+1");
        QTest::newRow("formula +") << QStringLiteral("+cmd") << QStringLiteral("'+cmd");
        QTest::newRow("formula -") << QStringLiteral("-enc AAA") << QStringLiteral("'-enc AAA");
        QTest::newRow("formula @") << QStringLiteral("@SUM(A1)") << QStringLiteral("'@SUM(A1)");
        QTest::newRow("formula with comma")
            << QStringLiteral("=HYPERLINK(\"x\",\"y\")")
            << QStringLiteral("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        QTest::newRow("tab lead") << QStringLiteral("\t=1") << QStringLiteral("'\t=1");
        QTest::newRow("empty") << QString() << QString();
    }
    void csvField()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(report::csvField(in), out);
    }

    void csvOfIndicatorsRoundTrips()
    {
        test::TempStore ts;
        const ReportDocument doc = sampleReport(ts);
        const QByteArray csv = report::indicatorsCsv(doc.data());
        const auto rows = parseCsv(QString::fromUtf8(csv));
        QCOMPARE(int(rows.size()), int(doc.data().indicators.size()) + 1);
        QCOMPARE(rows.front().first(), QStringLiteral("type"));
        const int width = int(rows.front().size());
        for (size_t r = 1; r < rows.size(); ++r) {
            QCOMPARE(int(rows[r].size()), width);
            const CaseIndicator &i = doc.data().indicators[r - 1];
            QCOMPARE(rows[r].at(0), i.type);
            QCOMPARE(rows[r].at(1), i.value);
            for (const QString &cell : rows[r])
                QVERIFY2(cell.isEmpty() || !QStringLiteral("=+-@").contains(cell.at(0)),
                         qPrintable(cell));
        }
    }

    void stixBundleIsStructurallyValid()
    {
        test::TempStore ts;
        const ReportDocument doc = sampleReport(ts);
        const json bundle = json::parse(report::toStixBundle(doc.data()).dump());
        static const QRegularExpression idRe(QStringLiteral(
            "^([a-z0-9-]+)--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        static const QRegularExpression timeRe(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$"));
        QCOMPARE(q(bundle["type"]), QStringLiteral("bundle"));
        QVERIFY(idRe.match(q(bundle["id"])).hasMatch());
        QSet<QString> ids;
        QHash<QString, QString> typeOf;
        for (const json &o : bundle["objects"]) {
            const QString id = q(o["id"]);
            const auto m = idRe.match(id);
            QVERIFY2(m.hasMatch(), qPrintable(id));
            QCOMPARE(m.captured(1), q(o["type"]));
            QCOMPARE(q(o["spec_version"]), QStringLiteral("2.1"));
            QVERIFY2(!ids.contains(id), qPrintable(id));
            ids.insert(id);
            typeOf.insert(id, q(o["type"]));
        }
        static const QSet<QString> scoTypes{
            QStringLiteral("file"),      QStringLiteral("ipv4-addr"),
            QStringLiteral("ipv6-addr"), QStringLiteral("domain-name"),
            QStringLiteral("url"),       QStringLiteral("user-account")};
        // Every *_ref and *_refs names an object in the bundle; SDO/SRO timestamps are valid.
        QHash<QString, int> counts;
        for (const json &o : bundle["objects"]) {
            const QString type = q(o["type"]);
            ++counts[type];
            for (auto it = o.begin(); it != o.end(); ++it) {
                const QString key = QString::fromStdString(it.key());
                if (key.endsWith(QLatin1String("_ref")))
                    QVERIFY2(ids.contains(q(*it)), qPrintable(key + QLatin1Char(' ') + q(*it)));
                if (key.endsWith(QLatin1String("_refs"))) {
                    QVERIFY(it->is_array() && !it->empty());
                    for (const json &r : *it)
                        QVERIFY2(ids.contains(q(r)), qPrintable(key + QLatin1Char(' ') + q(r)));
                }
            }
            if (!scoTypes.contains(type)) {
                QVERIFY2(timeRe.match(q(o["created"])).hasMatch(), qPrintable(type));
                if (type != QLatin1String("marking-definition")) {
                    QVERIFY(timeRe.match(q(o["modified"])).hasMatch());
                    QVERIFY(q(o["modified"]) >= q(o["created"]));
                }
            }
            if (type == QLatin1String("sighting"))
                QCOMPARE(typeOf.value(q(o["sighting_of_ref"])), QStringLiteral("indicator"));
            if (type == QLatin1String("observed-data")) {
                QVERIFY(o["number_observed"].get<int>() >= 1);
                for (const json &r : o["object_refs"])
                    QVERIFY(scoTypes.contains(typeOf.value(q(r))));
            }
            if (type == QLatin1String("relationship")) {
                QCOMPARE(typeOf.value(q(o["source_ref"])), QStringLiteral("indicator"));
                QCOMPARE(typeOf.value(q(o["target_ref"])), QStringLiteral("attack-pattern"));
            }
        }
        // Pattern syntax per indicator type.
        const QString lit = QStringLiteral("'(?:[^'\\\\]|\\\\.)*'");
        const QHash<QString, QRegularExpression> patterns{
            {QStringLiteral("sha256"), QRegularExpression(QStringLiteral(
                                           "^\\[file:hashes\\.'SHA-256' = '[0-9a-f]{64}'\\]$"))},
            {QStringLiteral("sha1"),
             QRegularExpression(QStringLiteral("^\\[file:hashes\\.'SHA-1' = '[0-9a-f]{40}'\\]$"))},
            {QStringLiteral("md5"),
             QRegularExpression(QStringLiteral("^\\[file:hashes\\.MD5 = '[0-9a-f]{32}'\\]$"))},
            {QStringLiteral("ipv4"),
             QRegularExpression(
                 QStringLiteral("^\\[ipv4-addr:value = '(\\d{1,3}\\.){3}\\d{1,3}(/\\d+)?'\\]$"))},
            {QStringLiteral("ipv6"),
             QRegularExpression(QStringLiteral("^\\[ipv6-addr:value = '[0-9a-fA-F:.]+'\\]$"))},
            {QStringLiteral("domain"),
             QRegularExpression(QStringLiteral("^\\[domain-name:value = '[^'\\\\ ]+'\\]$"))},
            {QStringLiteral("url"),
             QRegularExpression(QStringLiteral("^\\[url:value = %1\\]$").arg(lit))},
            {QStringLiteral("user"),
             QRegularExpression(
                 QStringLiteral("^\\[user-account:account_login = %1\\]$").arg(lit))},
            {QStringLiteral("path"),
             QRegularExpression(QStringLiteral("^\\[file:name = %1\\]$").arg(lit))},
        };
        int checked = 0;
        for (const json &o : bundle["objects"]) {
            if (q(o["type"]) != QLatin1String("indicator"))
                continue;
            QCOMPARE(q(o["pattern_type"]), QStringLiteral("stix"));
            QVERIFY(timeRe.match(q(o["valid_from"])).hasMatch());
            const QString type = q(o["name"]).section(QLatin1Char(' '), 0, 0);
            QVERIFY2(patterns.contains(type), qPrintable(type));
            QVERIFY2(patterns.value(type).match(q(o["pattern"])).hasMatch(),
                     qPrintable(q(o["pattern"])));
            ++checked;
        }
        int expected = 0;
        for (const CaseIndicator &i : doc.data().indicators)
            expected += report::stixPattern(i.type, i.value).isEmpty() ? 0 : 1;
        QCOMPARE(checked, expected);
        QVERIFY(checked > 0);
        for (const char *t : {"identity", "indicator", "observed-data", "sighting",
                              "attack-pattern", "relationship", "report"})
            QVERIFY2(counts.value(QLatin1String(t)) > 0, t);
        // Deterministic: the same case gives byte-identical bundles.
        QCOMPARE(report::toStixBundle(doc.data()).dump(), bundle.dump());
    }

    void stixPatternEscapesQuotesAndBackslashes()
    {
        QCOMPARE(report::stixPattern(QStringLiteral("user"), QStringLiteral("CORP\\o'brien")),
                 QStringLiteral("[user-account:account_login = 'CORP\\\\o\\'brien']"));
        QCOMPARE(report::stixPattern(QStringLiteral("host"), QStringLiteral("x")), QString());
    }
};

QTEST_GUILESS_MAIN(TestReportExport)
#include "tst_reportexport.moc"
