// The PsExec lateral-movement chain (source host → victim) on real public event logs, on the
// project's sample case, with only the victim's logs, with the source's logs, and hostile input.
#include "eventtestutil.h"
#include "investigation/lateralchain.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

using namespace causa;

namespace {

const char *kOtrfPsexec =
    "events/otrf-security-datasets/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json";
const char *kSrvDefender =
    "events/evtx-to-mitre-attack/ID4688_4697_5140-5145_PSexec_remote_execution_admin_share.jsonl";

QString sharedFile(const char *rel)
{
    return test::sharedDataDir() + QLatin1Char('/') + QLatin1String(rel);
}

void importOk(CaseStore &store, const QString &path)
{
    auto run = test::importWithWarnings(store, path);
    QVERIFY2(run.counts.ok(), run.counts.ok() ? "" : qPrintable(run.counts.error().toString()));
}

QList<int> codesOf(const ChainHop &h)
{
    QList<int> codes;
    for (const ChainEvent &e : h.events)
        if (!codes.contains(e.code))
            codes << e.code;
    std::sort(codes.begin(), codes.end());
    return codes;
}

QString summaries(const ChainHop &h)
{
    QStringList s;
    for (const ChainEvent &e : h.events)
        s << e.summary;
    return s.join(QLatin1Char('\n'));
}

// One row per hop: found, the event codes it must hold, text its events or detail must show.
void addHopRows(const char *dataset,
                const QList<std::tuple<ChainHopKind, bool, QList<int>, QString>> &rows)
{
    for (const auto &[kind, found, codes, text] : rows)
        QTest::newRow(
            qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(dataset), hopKindId(kind))))
            << QString::fromLatin1(dataset) << kind << found << codes << text;
}

// Source-host events for the sample case: PsExec.exe on WKS-ADMIN-07 aimed at FIN-WS-042.
QList<QByteArray> sourceHostLines(qint64 pid, const QByteArray &commandLine, bool withProcess)
{
    QList<QByteArray> lines;
    const QByteArray head =
        R"({"EventID": %1, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "WKS-ADMIN-07.corp.example", "SourceName": "Microsoft-Windows-Sysmon", )";
    if (withProcess)
        lines
            << QByteArray(head).replace("%1", "1") +
                   R"("UtcTime": "2026-11-19 08:53:52.100", "ProcessGuid": "{11111111-0000-0000-0000-000000000001}", "ProcessId": )" +
                   QByteArray::number(pid) +
                   R"(, "Image": "C:\\Tools\\PsExec64.exe", "CommandLine": )" +
                   QByteArray::fromStdString(nlohmann::json(commandLine.toStdString()).dump()) +
                   R"(, "User": "CORP\\svc_backup", "ParentProcessGuid": "{11111111-0000-0000-0000-000000000000}", "ParentProcessId": 900, "ParentImage": "C:\\Windows\\System32\\cmd.exe"})";
    lines
        << QByteArray(head).replace("%1", "3") +
               R"("UtcTime": "2026-11-19 08:53:53.000", "ProcessGuid": "{11111111-0000-0000-0000-000000000001}", "ProcessId": )" +
               QByteArray::number(pid) +
               R"(, "Image": "C:\\Tools\\PsExec64.exe", "Protocol": "tcp", "Initiated": "true", "SourceIp": "10.20.30.15", "SourcePort": "50413", "DestinationIp": "10.20.40.42", "DestinationHostname": "FIN-WS-042.corp.example", "DestinationPort": "445"})";
    // Noise: another process on the source at the same time.
    lines
        << QByteArray(head).replace("%1", "1") +
               R"("UtcTime": "2026-11-19 08:53:50.000", "ProcessGuid": "{11111111-0000-0000-0000-000000000009}", "ProcessId": 5000, "Image": "C:\\Windows\\System32\\notepad.exe", "CommandLine": "notepad FIN-WS-042.txt", "ParentProcessId": 900, "ParentImage": "C:\\Windows\\explorer.exe"})";
    return lines;
}

} // namespace

class TestLateralChain : public QObject
{
    Q_OBJECT

private:
    ChainReport chainOf(const QString &dataset)
    {
        if (dataset == QLatin1String("otrf"))
            return m_otrf;
        if (dataset == QLatin1String("srvdefender"))
            return m_srv;
        return m_sample;
    }

    std::unique_ptr<test::TempStore> m_otrfStore, m_srvStore, m_sampleStore;
    ChainReport m_otrf, m_srv, m_sample;

private Q_SLOTS:
    void initTestCase()
    {
        m_sampleStore = std::make_unique<test::TempStore>();
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        importOk(m_sampleStore->store(), samples + QStringLiteral("fin-ws-042-incident.json"));
        importOk(m_sampleStore->store(), samples + QStringLiteral("fin-ws-042-events.jsonl"));
        const qint64 caseId =
            m_sampleStore->store().findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
        auto sample = buildChainsForCase(m_sampleStore->store(), caseId);
        QVERIFY2(sample.ok(), sample.ok() ? "" : qPrintable(sample.error().toString()));
        m_sample = sample.value();
        if (test::sharedDataDir().isEmpty() || !QFileInfo::exists(sharedFile(kOtrfPsexec)))
            return;
        m_otrfStore = std::make_unique<test::TempStore>();
        importOk(m_otrfStore->store(), sharedFile(kOtrfPsexec));
        auto otrf = buildChainsForHost(m_otrfStore->store(), QStringLiteral("WORKSTATION5"));
        QVERIFY2(otrf.ok(), otrf.ok() ? "" : qPrintable(otrf.error().toString()));
        m_otrf = otrf.value();
        m_srvStore = std::make_unique<test::TempStore>();
        importOk(m_srvStore->store(), sharedFile(kSrvDefender));
        auto srv =
            buildChainsForHost(m_srvStore->store(), QStringLiteral("srvdefender01.offsec.lan"));
        QVERIFY2(srv.ok(), srv.ok() ? "" : qPrintable(srv.error().toString()));
        m_srv = srv.value();
    }

    // The OTRF Sysinternals PsExec run: PsExec.exe on WORKSTATION5 runs `reg save` through
    // PSEXESVC on WORKSTATION5 itself (it connects to its own address over SMB).
    void otrfChainEnds()
    {
        CAUSA_REQUIRE_SHARED_DATA(QLatin1String(kOtrfPsexec));
        QCOMPARE(m_otrf.chains.size(), size_t(1));
        const LateralChain &c = m_otrf.chains.front();
        QCOMPARE(c.victimHost, QStringLiteral("WORKSTATION5"));
        QCOMPARE(c.sourceHost, QStringLiteral("WORKSTATION5"));
        QCOMPARE(c.sourceIp, QStringLiteral("fe80::90e:17af:263c:5209"));
        QCOMPARE(c.serviceName, QStringLiteral("PSEXESVC"));
        QCOMPARE(c.tool, QStringLiteral("PsExec"));
        QCOMPARE(c.user, QStringLiteral("WORKSTATION5\\wardog"));
        QVERIFY(c.sourceLogsPresent);
        QVERIFY(c.victimProcessKey.contains(QLatin1String("39e4a257-40a6-5f8d-a105-000000000700"),
                                            Qt::CaseInsensitive));
        QVERIFY(c.sourceProcessKey.contains(QLatin1String("39e4a257-40a6-5f8d-a005-000000000700"),
                                            Qt::CaseInsensitive));
        // The export writes Security/System times in local time (UTC-4) and Sysmon's in UTC; the
        // importer learns the host's offset from the Sysmon lines, so both logs agree here.
        QVERIFY2(!c.notes.join(QLatin1Char('\n')).contains(QLatin1String("differ by")),
                 qPrintable(c.notes.join(QLatin1Char('\n'))));
        QCOMPARE(c.unknownHops(), QStringList{QStringLiteral("logon")});
    }

    // "When (UTC)" of every hop of the OTRF run: the whole run took under a second on
    // WORKSTATION5 (Sysmon UtcTime 07:30:46.251 to 07:30:46.660); its Security and System
    // events (5140/5145, 4697, 7045, 4688), written in local time, land there too, not 4 h
    // earlier, and the hops follow the run: PsExec first, the service's children last.
    void otrfHopTimes()
    {
        CAUSA_REQUIRE_SHARED_DATA(QLatin1String(kOtrfPsexec));
        QCOMPARE(m_otrf.chains.size(), size_t(1));
        const LateralChain &c = m_otrf.chains.front();
        const ChainHop *source = c.hop(ChainHopKind::SourceProcess);
        const ChainHop *children = c.hop(ChainHopKind::ServiceChildren);
        QVERIFY(source && source->found && children && children->found);
        const auto when = [](qint64 ms) {
            return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz"));
        };
        QCOMPARE(when(source->first), QStringLiteral("2020-10-19 07:30:46.251"));
        QCOMPARE(when(children->first), QStringLiteral("2020-10-19 07:30:46.660"));
        QStringList table;
        for (const ChainHop &h : c.hops)
            table
                << QStringLiteral("%1 %2..%3").arg(hopKindId(h.kind), when(h.first), when(h.last));
        const QString shown = table.join(QLatin1Char('\n'));
        for (const ChainHop &h : c.hops) {
            if (!h.found)
                continue;
            QVERIFY2(h.first >= source->first && h.first <= children->first, qPrintable(shown));
            QVERIFY2(h.last - source->first < 60 * 1000, qPrintable(shown));
            for (const ChainEvent &e : h.events) // each event, Security and System ones included
                QVERIFY2(
                    qAbs(e.ts - children->first) < 60 * 1000,
                    qPrintable(QStringLiteral("%1 at %2\n%3").arg(e.code).arg(when(e.ts), shown)));
        }
        const ChainHop *install = c.hop(ChainHopKind::ServiceInstall);
        // 7045, 03:30:46.416 local
        QCOMPARE(when(install->first), QStringLiteral("2020-10-19 07:30:46.416"));
        QCOMPARE(when(c.hop(ChainHopKind::ShareAccess)->first),
                 QStringLiteral("2020-10-19 07:30:46.625"));
    }

    void hops_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<ChainHopKind>("kind");
        QTest::addColumn<bool>("found");
        QTest::addColumn<QList<int>>("codes");
        QTest::addColumn<QString>("text");
        using K = ChainHopKind;
        addHopRows(
            "otrf",
            {
                {K::SourceProcess,
                 true,
                 {1, 4688},
                 QStringLiteral("PsExec.exe  -accepteula -s reg save")},
                // The run has no 4624 at all: the hop is unknown, never invented.
                {K::Logon, false, {}, QStringLiteral("no network logon")},
                {K::ShareAccess, true, {5140, 5145}, QStringLiteral("IPC$\\PSEXESVC")},
                {K::ServiceBinary,
                 true,
                 {11},
                 QStringLiteral("written by C:\\Users\\wardog\\Downloads\\PSTools\\PsExec.exe")},
                {K::ServiceInstall,
                 true,
                 {1, 4688, 4697, 7045},
                 QStringLiteral("PSEXESVC: %SystemRoot%\\PSEXESVC.exe")},
                {K::Pipes, true, {17, 18}, QStringLiteral("\\PSEXESVC-WORKSTATION5-7256-stdin")},
                {K::ServiceChildren,
                 true,
                 {1, 4688},
                 QStringLiteral("reg.exe: \"reg\" save HKLM\\security\\policy\\secrets")},
            });
        // srvdefender01: Security only, PsExec from WEC01 whose logs are not in the store.
        addHopRows(
            "srvdefender",
            {
                {K::SourceProcess, false, {}, QStringLiteral("no events from WEC01 in the store")},
                {K::Logon, true, {4624}, QStringLiteral("OFFSEC.LAN\\admmig from 10.23.42.22")},
                {K::ShareAccess, true, {5140, 5145}, QStringLiteral("ADMIN$\\PSEXESVC.exe")},
                {K::ServiceBinary, true, {5145}, QStringLiteral("5145 WriteData; no Sysmon 11")},
                {K::ServiceInstall,
                 true,
                 {4688, 4697},
                 QStringLiteral("PSEXESVC: %SystemRoot%\\PSEXESVC.exe")},
                {K::Pipes, false, {}, QStringLiteral("no named-pipe events")},
                {K::ServiceChildren, true, {4688}, QStringLiteral("whoami.exe: whoami")},
            });
        // The sample case: only FIN-WS-042's logs; the source WKS-ADMIN-07 is named, not seen.
        addHopRows(
            "sample",
            {
                {K::SourceProcess,
                 false,
                 {},
                 QStringLiteral("no events from WKS-ADMIN-07 in the store")},
                {K::Logon,
                 true,
                 {4624},
                 QStringLiteral("CORP\\svc_backup from 10.20.30.15 (WKS-ADMIN-07)")},
                {K::ShareAccess, true, {5145}, QStringLiteral("ADMIN$\\winupdsvc.exe")},
                {K::ServiceBinary, true, {5145}, QStringLiteral("winupdsvc.exe written through")},
                {K::ServiceInstall,
                 true,
                 {1, 7045},
                 QStringLiteral("WinUpdSvc: %SystemRoot%\\winupdsvc.exe")},
                {K::Pipes, true, {17}, QStringLiteral("\\winupdsvc-WKS-ADMIN-07-4412-stdin")},
                {K::ServiceChildren, true, {1}, QStringLiteral("powershell.exe")},
            });
    }

    void hops()
    {
        QFETCH(QString, dataset);
        QFETCH(ChainHopKind, kind);
        QFETCH(bool, found);
        QFETCH(QList<int>, codes);
        QFETCH(QString, text);
        if (dataset != QLatin1String("sample"))
            CAUSA_REQUIRE_SHARED_DATA(
                QLatin1String(dataset == QLatin1String("otrf") ? kOtrfPsexec : kSrvDefender));
        const ChainReport report = chainOf(dataset);
        QCOMPARE(report.chains.size(), size_t(1));
        const ChainHop *h = report.chains.front().hop(kind);
        QVERIFY(h);
        QCOMPARE(h->found, found);
        QCOMPARE(codesOf(*h), codes);
        const QString shown =
            h->detail + QLatin1Char('\n') + h->unknown + QLatin1Char('\n') + summaries(*h);
        QVERIFY2(shown.contains(text), qPrintable(shown));
        if (found) {
            QVERIFY(h->first > 0 && h->last >= h->first);
            QVERIFY(h->unknown.isEmpty() || kind == ChainHopKind::ServiceInstall);
        } else {
            QVERIFY(h->events.empty());
            QVERIFY(!h->unknown.isEmpty());
        }
    }

    void sampleCaseEnds()
    {
        QCOMPARE(m_sample.chains.size(), size_t(1));
        const LateralChain &c = m_sample.chains.front();
        // the endpoint as the XDR incident named it
        QCOMPARE(c.victimHost, QStringLiteral("FIN-WS-042"));
        QCOMPARE(c.sourceHost, QStringLiteral("WKS-ADMIN-07"));
        QCOMPARE(c.sourceIp, QStringLiteral("10.20.30.15"));
        QCOMPARE(c.user, QStringLiteral("CORP\\svc_backup"));
        QVERIFY(!c.sourceLogsPresent);
        QCOMPARE(c.unknownHops(), QStringList{QStringLiteral("source_process")});
    }

    void srvdefenderNamesSource()
    {
        CAUSA_REQUIRE_SHARED_DATA(QLatin1String(kSrvDefender));
        const LateralChain &c = m_srv.chains.front();
        QCOMPARE(c.sourceHost, QStringLiteral("WEC01"));
        QCOMPARE(c.sourceIp, QStringLiteral("10.23.42.22"));
        QCOMPARE(c.user, QStringLiteral("OFFSEC.LAN\\admmig"));
        // whoami and hostname ran under the PSEXESVC-started cmd.exe, not the monitoring cscript.
        const QString kids = summaries(*c.hop(ChainHopKind::ServiceChildren));
        QVERIFY(kids.contains(QLatin1String("HOSTNAME.EXE")));
        QVERIFY(!kids.contains(QLatin1String("cscript")));
    }

    // With the source host's own logs the chain reaches its PsExec process, by the client PID
    // in the pipe names, by the victim's name on its command line, or by its SMB connection.
    void sourceLogs_data()
    {
        QTest::addColumn<qint64>("pid");
        QTest::addColumn<QByteArray>("commandLine");
        QTest::addColumn<bool>("withProcess");
        QTest::addColumn<int>("expectedCode");
        QTest::newRow("pipe pid") << qint64(4412) << QByteArray("PsExec64.exe -accepteula -s cmd")
                                  << true << 1;
        QTest::newRow("victim on command line")
            << qint64(4999) << QByteArray("PsExec64.exe \\\\FIN-WS-042 -accepteula -s cmd") << true
            << 1;
        QTest::newRow("smb connection only") << qint64(4999) << QByteArray() << false << 3;
    }

    void sourceLogs()
    {
        QFETCH(qint64, pid);
        QFETCH(QByteArray, commandLine);
        QFETCH(bool, withProcess);
        QFETCH(int, expectedCode);
        test::TempStore store;
        QTemporaryDir dir;
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        importOk(store.store(), samples + QStringLiteral("fin-ws-042-incident.json"));
        importOk(store.store(), samples + QStringLiteral("fin-ws-042-events.jsonl"));
        // The victim's address is known to the store through the incident's host_ip.
        importOk(store.store(), test::writeLines(dir, QStringLiteral("src.jsonl"),
                                                 sourceHostLines(pid, commandLine, withProcess)));
        auto r = buildChainsForHost(store.store(), QStringLiteral("FIN-WS-042"));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->chains.size(), size_t(1));
        const LateralChain &c = r->chains.front();
        // The store's endpoint of the pipes' client name (short or FQDN, as first imported).
        QVERIFY2(c.sourceHost.startsWith(QLatin1String("WKS-ADMIN-07")), qPrintable(c.sourceHost));
        QVERIFY(c.sourceEndpointId > 0);
        QVERIFY(c.sourceLogsPresent);
        const ChainHop *h = c.hop(ChainHopKind::SourceProcess);
        QVERIFY2(h->found, qPrintable(h->unknown));
        QCOMPARE(h->events.front().code, expectedCode);
        QVERIFY(h->detail.contains(QLatin1String("PsExec64.exe")));
        QVERIFY(!summaries(*h).contains(QLatin1String("notepad")));
        QCOMPARE(h->host, c.sourceHost);
        QVERIFY(c.unknownHops().isEmpty());
    }

    // Ordinary service installs (drivers, updates in System32) make no chain.
    void benignServicesMakeNoChain()
    {
        test::TempStore store;
        QTemporaryDir dir;
        const QList<QByteArray> lines = {
            R"({"EventID": 7045, "Channel": "System", "Hostname": "WS1", "EventTime": "2026-01-01 10:00:00", "ServiceName": "Windows Update Medic", "ImagePath": "%SystemRoot%\\system32\\svchost.exe -k wusvcs -p"})",
            R"({"EventID": 7045, "Channel": "System", "Hostname": "WS1", "EventTime": "2026-01-01 10:05:00", "ServiceName": "vmci", "ImagePath": "System32\\drivers\\vmci.sys"})",
        };
        importOk(store.store(), test::writeLines(dir, QStringLiteral("svc.jsonl"), lines));
        auto r = buildChainsForHost(store.store(), QStringLiteral("WS1"));
        QVERIFY(r.ok());
        QVERIFY(r->chains.empty());
        QVERIFY(toText(r.value()).contains(
            QLatin1String("no PsExec-like service execution found on WS1")));
        QVERIFY(!buildChainsForHost(store.store(), QStringLiteral("nosuchhost")).ok());
    }

    // causa-cli chain on a real SQLite store: by case and by host, JSON contract and text.
    void cliEndToEnd()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("cases.sqlite"));
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        QStringList files{samples + QStringLiteral("fin-ws-042-incident.json"),
                          samples + QStringLiteral("fin-ws-042-events.jsonl")};
        const bool real =
            !test::sharedDataDir().isEmpty() && QFileInfo::exists(sharedFile(kOtrfPsexec));
        if (real)
            files << sharedFile(kOtrfPsexec);
        QCOMPARE(
            test::runCli(QStringList{QStringLiteral("--db"), db, QStringLiteral("import")} + files)
                .exitCode,
            0);

        auto json = test::runCli({QStringLiteral("--db"), db, QStringLiteral("chain"),
                                  QStringLiteral("xdr:4242"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const auto j = nlohmann::json::parse(json.out.toStdString());
        QCOMPARE(j["chains"].size(), size_t(1));
        const auto &c = j["chains"][0];
        QCOMPARE(c["source"]["host"].get<std::string>(), std::string("WKS-ADMIN-07"));
        QCOMPARE(c["source"]["ip"].get<std::string>(), std::string("10.20.30.15"));
        QCOMPARE(c["source"]["logs_present"].get<bool>(), false);
        QCOMPARE(c["user"].get<std::string>(), std::string("CORP\\svc_backup"));
        QCOMPARE(c["service"]["name"].get<std::string>(), std::string("WinUpdSvc"));
        QVERIFY(c["unknown"] == nlohmann::json::array({"source_process"}));
        QStringList hopIds;
        for (const auto &h : c["hops"]) {
            hopIds << QString::fromStdString(h["hop"].get<std::string>());
            for (const char *k : {"title", "host", "found", "first", "last", "user", "detail",
                                  "unknown", "process_key", "events"})
                QVERIFY2(h.contains(k), k);
            for (const auto &e : h["events"])
                for (const char *k : {"id", "code", "ts", "host", "user", "summary", "process_key"})
                    QVERIFY2(e.contains(k), k);
        }
        QCOMPARE(hopIds,
                 (QStringList{QStringLiteral("source_process"), QStringLiteral("logon"),
                              QStringLiteral("share_access"), QStringLiteral("service_binary"),
                              QStringLiteral("service_install"), QStringLiteral("pipes"),
                              QStringLiteral("service_children")}));
        QCOMPARE(c["hops"][1]["events"][0]["code"].get<int>(), 4624);

        // The report's JSON carries the same chain as `chain --json`.
        const QString reportPath = dir.filePath(QStringLiteral("report.json"));
        auto rep = test::runCli({QStringLiteral("--db"), db, QStringLiteral("report"),
                                 QStringLiteral("xdr:4242"), QStringLiteral("--json"), reportPath});
        QVERIFY2(rep.exitCode == 0, rep.err.constData());
        QFile rf(reportPath);
        QVERIFY(rf.open(QIODevice::ReadOnly));
        const auto rj = nlohmann::json::parse(rf.readAll().toStdString());
        QVERIFY(rj.contains("lateral_movement"));
        QVERIFY(rj["lateral_movement"]["chains"] == j["chains"]);

        auto text = test::runCli({QStringLiteral("--db"), db, QStringLiteral("chain"),
                                  QStringLiteral("--host"), QStringLiteral("FIN-WS-042")});
        QCOMPARE(text.exitCode, 0);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.contains(QLatin1String("WKS-ADMIN-07 (10.20.30.15) -> FIN-WS-042")),
                 qPrintable(out));
        QVERIFY(out.contains(QLatin1String(
            "[unknown] Source process on WKS-ADMIN-07: no events from WKS-ADMIN-07")));
        if (real) {
            auto w5 = test::runCli({QStringLiteral("--db"), db, QStringLiteral("chain"),
                                    QStringLiteral("--host"), QStringLiteral("WORKSTATION5"),
                                    QStringLiteral("--json")});
            QCOMPARE(w5.exitCode, 0);
            const auto k = nlohmann::json::parse(w5.out.toStdString());
            QCOMPARE(k["chains"][0]["victim"]["host"].get<std::string>(),
                     std::string("WORKSTATION5"));
            QCOMPARE(k["chains"][0]["hops"][0]["found"].get<bool>(), true);
        }
        // Usage errors exit 2, an unknown host or case 1.
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("chain")}).exitCode, 2);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("chain"),
                               QStringLiteral("1"), QStringLiteral("--host"), QStringLiteral("x")})
                     .exitCode,
                 2);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("chain"),
                               QStringLiteral("--bogus")})
                     .exitCode,
                 2);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("chain"),
                               QStringLiteral("--host"), QStringLiteral("nosuchhost")})
                     .exitCode,
                 1);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("chain"),
                               QStringLiteral("xdr:999999")})
                     .exitCode,
                 1);
    }

    // Hostile text in host names, service names and pipes stays data: JSON escapes it and
    // nothing in the chain is taken from it but text.
    void hostileInput()
    {
        test::TempStore store;
        QTemporaryDir dir;
        const QList<QByteArray> lines = {
            R"({"EventID": 7045, "Channel": "System", "Hostname": "<b>EVIL</b>", "EventTime": "2026-01-01 10:00:00", "ServiceName": "PSEXESVC", "ImagePath": "%SystemRoot%\\PSEXESVC.exe <script>alert(1)</script>"})",
            R"({"EventID": 5145, "Channel": "Security", "Hostname": "<b>EVIL</b>", "EventTime": "2026-01-01 09:59:59", "ShareName": "\\\\*\\IPC$", "RelativeTargetName": "PSEXESVC-<img src=x>-12-stdin", "IpAddress": "10.0.0.9><x", "SubjectUserName": "a&b", "SubjectDomainName": "D"})",
        };
        importOk(store.store(), test::writeLines(dir, QStringLiteral("evil.jsonl"), lines));
        auto r = buildChainsForHost(store.store(), QStringLiteral("<b>EVIL</b>"));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->chains.size(), size_t(1));
        QCOMPARE(r->chains.front().sourceHost, QStringLiteral("<img src=x>"));
        const std::string dumped = toJson(r.value()).dump();
        QVERIFY(nlohmann::json::parse(dumped)["chains"][0]["source"]["host"] == "<img src=x>");
    }
};

QTEST_GUILESS_MAIN(TestLateralChain)
#include "tst_lateralchain.moc"
