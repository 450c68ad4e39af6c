// Process forest: the real PsExec and Empire runs, the sample case with XDR roles merged into
// Sysmon nodes, PID reuse, hex PIDs, out-of-order events, missing parents, cycles.
#include "eventtestutil.h"
#include "forest/forestbuilder.h"
#include "store/eventqueries.h"

#include <nlohmann/json.hpp>

using namespace causa;

namespace {

QByteArray sysmon1(const char *host, const char *time, const char *guid, int pid, const char *image,
                   const char *cmd, const char *parentGuid, int ppid, const char *parentImage)
{
    nlohmann::json j = {{"EventID", 1},
                        {"Channel", "Microsoft-Windows-Sysmon/Operational"},
                        {"Hostname", host},
                        {"UtcTime", time},
                        {"ProcessGuid", guid},
                        {"ProcessId", pid},
                        {"Image", image},
                        {"CommandLine", cmd},
                        {"ParentProcessGuid", parentGuid},
                        {"ParentProcessId", ppid},
                        {"ParentImage", parentImage},
                        {"User", "CORP\\alice"}};
    return QByteArray::fromStdString(j.dump());
}

QByteArray sec4688(const char *host, const char *time, const char *pidHex, const char *image,
                   const char *ppidHex, const char *parentImage)
{
    nlohmann::json j = {{"EventID", "4688"},          {"Channel", "Security"},
                        {"Computer", host},           {"TimeCreated", time},
                        {"NewProcessId", pidHex},     {"NewProcessName", image},
                        {"ProcessId", ppidHex},       {"ParentProcessName", parentImage},
                        {"CommandLine", image},       {"SubjectUserName", "bob"},
                        {"SubjectDomainName", "CORP"}};
    return QByteArray::fromStdString(j.dump());
}

ScopedForest hostForest(CaseStore &store, const QString &host)
{
    auto f = forestForHost(store, host);
    if (!f)
        qFatal("forest: %s", qPrintable(f.error().toString()));
    return std::move(f.value());
}

} // namespace

class TestProcessForest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void realPsexecRun()
    {
        const QString rel = QStringLiteral(
            "events/otrf-security-datasets/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json");
        CAUSA_REQUIRE_SHARED_DATA(rel);
        test::TempStore ts;
        auto r =
            ImportDispatcher(ts.store()).importFile(test::sharedDataDir() + QLatin1Char('/') + rel);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        const ScopedForest sf = hostForest(ts.store(), QStringLiteral("WORKSTATION5"));
        const ProcessForest &f = sf.forest;
        // Sysmon 1 and Security 4688 (hex PIDs, local time) describe the same PSEXESVC: one node.
        const QList<int> svc = test::nodesNamed(f, QStringLiteral("PSEXESVC.exe"));
        QCOMPARE(svc.size(), 1);
        const ProcessNode ps = f.node(svc.first());
        QVERIFY2(ps.sources().contains(QStringLiteral("sysmon")) &&
                     ps.sources().contains(QStringLiteral("security")),
                 qPrintable(ps.sources().join(QLatin1Char(','))));
        QCOMPARE(test::parentImage(f, svc.first()).toLower(), QStringLiteral("services.exe"));
        QVERIFY(ps.has(ProcessBadge::PsexecService));
        bool sawReg = false;
        for (const int c : f.children(svc.first())) {
            const ProcessNode child = f.node(c);
            if (child.imageName().compare(QLatin1String("reg.exe"), Qt::CaseInsensitive) == 0 &&
                child.commandLine().contains(QLatin1String("save HKLM\\security\\policy\\secrets"),
                                             Qt::CaseInsensitive)) {
                sawReg = true;
                QVERIFY(child.has(ProcessBadge::Lolbin));
            }
        }
        QVERIFY(sawReg);
        // The service install (7045 + 4697) and the \PSEXESVC pipes hang off PSEXESVC.exe.
        QVERIFY(ps.services().size() >= 2);
        for (const int e : ps.services())
            QCOMPARE(f.events()[size_t(e)].name, QStringLiteral("PSEXESVC"));
        bool pipe = false;
        for (const int e : ps.pipes())
            pipe = pipe || f.events()[size_t(e)].name.startsWith(QLatin1String("\\PSEXESVC"),
                                                                 Qt::CaseInsensitive);
        QVERIFY(pipe);
        const QString text = toText(f, sf.roots);
        QVERIFY(text.contains(QLatin1String("PSEXESVC.exe")));
    }

    void empirePsexec()
    {
        const QString rel = QStringLiteral(
            "events/otrf-security-datasets/empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.subset.jsonl");
        CAUSA_REQUIRE_SHARED_DATA(rel);
        test::TempStore ts;
        auto r =
            ImportDispatcher(ts.store()).importFile(test::sharedDataDir() + QLatin1Char('/') + rel);
        QVERIFY(r.ok());
        const ProcessForest f = hostForest(ts.store(), QStringLiteral("WORKSTATION6")).forest;
        bool chain = false;
        for (const int ps : test::nodesNamed(f, QStringLiteral("powershell.exe"))) {
            const int cmd = f.node(ps).parent();
            if (cmd < 0 ||
                f.node(cmd).imageName().compare(QLatin1String("cmd.exe"), Qt::CaseInsensitive) != 0)
                continue;
            if (test::parentImage(f, cmd).compare(QLatin1String("services.exe"),
                                                  Qt::CaseInsensitive) != 0)
                continue;
            chain = true;
            QVERIFY(f.node(ps).commandLine().contains(QLatin1String("-enc"), Qt::CaseInsensitive) ||
                    f.node(ps).commandLine().contains(QLatin1String("-noP"), Qt::CaseInsensitive));
            // The %COMSPEC% service "Updater" is attached to the cmd.exe it started.
            QVERIFY(!f.node(cmd).services().empty());
            QCOMPARE(f.events()[size_t(f.node(cmd).services().front())].name,
                     QStringLiteral("Updater"));
            // Sysmon (no ProcessId in this export) and Security 4688 (hex) are one node.
            QVERIFY(f.node(cmd).sources().contains(QStringLiteral("security")));
            QCOMPARE(f.node(cmd).pid(), qint64(9028));
        }
        QVERIFY(chain);
    }

    void pidReuseHexAndOrder()
    {
        QTemporaryDir dir;
        // Security 4688 only (no GUIDs): pid 0x100 is used by a.exe, then reused by b.exe; the
        // children must hang under the instance running at their start. Lines are out of order.
        const QString path =
            test::writeLines(dir, QStringLiteral("reuse.jsonl"),
                             {
                                 sec4688("HOST7", "2024-01-01 10:10:05.000", "0x300",
                                         "C:\\w\\child2.exe", "0x100", "C:\\w\\b.exe"),
                                 sec4688("HOST7", "2024-01-01 10:00:00.000", "0x100",
                                         "C:\\w\\a.exe", "0x10", "C:\\w\\root.exe"),
                                 sec4688("HOST7", "2024-01-01 10:00:05.000", "0x200",
                                         "C:\\w\\child1.exe", "0x100", "C:\\w\\a.exe"),
                                 sec4688("HOST7", "2024-01-01 10:10:00.000", "0x100",
                                         "C:\\w\\b.exe", "0x10", "C:\\w\\root.exe"),
                             });
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(path).ok());
        const ProcessForest f = hostForest(ts.store(), QStringLiteral("host7")).forest;
        QCOMPARE(test::nodesNamed(f, QStringLiteral("a.exe")).size(), 1);
        QCOMPARE(test::nodesNamed(f, QStringLiteral("b.exe")).size(), 1);
        const int c1 = test::nodesNamed(f, QStringLiteral("child1.exe")).value(0, -1);
        const int c2 = test::nodesNamed(f, QStringLiteral("child2.exe")).value(0, -1);
        QVERIFY(c1 >= 0 && c2 >= 0);
        QCOMPARE(f.node(c1).pid(), qint64(0x200));
        QCOMPARE(test::parentImage(f, c1), QStringLiteral("a.exe"));
        QCOMPARE(test::parentImage(f, c2), QStringLiteral("b.exe"));
        // root.exe (pid 0x10) never had its own 4688: a placeholder root known by name.
        const QList<int> roots = test::nodesNamed(f, QStringLiteral("root.exe"));
        QCOMPARE(roots.size(), 1);
        QVERIFY(f.node(roots.first()).has(ProcessBadge::MissingParent));
        QCOMPARE(f.node(roots.first()).parent(), -1);
        QCOMPARE(f.node(roots.first()).childCount(), 2);
    }

    void outOfOrderAndMissingParent()
    {
        QTemporaryDir dir;
        // The child's Sysmon 1 comes first; its parent's record arrives later and replaces the
        // placeholder. The grandparent never appears: it becomes a root known from ParentImage.
        const QString path =
            test::writeLines(dir, QStringLiteral("order.jsonl"),
                             {
                                 sysmon1("HOST8.corp", "2024-02-02 12:00:02.000", "{C}", 30,
                                         "C:\\Windows\\System32\\whoami.exe", "whoami", "{P}", 20,
                                         "C:\\Windows\\System32\\cmd.exe"),
                                 sysmon1("HOST8.corp", "2024-02-02 12:00:01.000", "{P}", 20,
                                         "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami",
                                         "{G}", 10, "C:\\Tools\\launcher.exe"),
                             });
        test::TempStore ts;
        auto r = ImportDispatcher(ts.store()).importFile(path);
        QVERIFY(r.ok());
        QCOMPARE(r->processes, qint64(2));
        const ProcessForest f = hostForest(ts.store(), QStringLiteral("HOST8")).forest;
        QCOMPARE(f.size(), 3);
        const int cmd = test::nodesNamed(f, QStringLiteral("cmd.exe")).value(0, -1);
        QVERIFY(cmd >= 0);
        QCOMPARE(f.node(cmd).commandLine(), QStringLiteral("cmd.exe /c whoami"));
        QVERIFY(!f.node(cmd).has(ProcessBadge::MissingParent));
        QCOMPARE(test::parentImage(f, test::nodesNamed(f, QStringLiteral("whoami.exe")).value(0)),
                 QStringLiteral("cmd.exe"));
        const int root = f.roots().front();
        QCOMPARE(f.node(root).imageName(), QStringLiteral("launcher.exe"));
        QVERIFY(f.node(root).has(ProcessBadge::MissingParent));
        QCOMPARE(f.node(root).pid(), qint64(10));
        // Re-importing in the other order changes nothing.
        const QString again =
            test::writeLines(dir, QStringLiteral("order2.jsonl"),
                             {
                                 sysmon1("HOST8.corp", "2024-02-02 12:00:01.000", "{P}", 20,
                                         "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami",
                                         "{G}", 10, "C:\\Tools\\launcher.exe"),
                             });
        auto r2 = ImportDispatcher(ts.store()).importFile(again);
        QVERIFY(r2.ok());
        QCOMPARE(r2->processes, qint64(0));
    }

    void cyclesAreBroken()
    {
        ForestInput in;
        for (int i = 0; i < 3; ++i) {
            ProcessRecord p;
            p.key = QStringLiteral("h|guid:%1").arg(i);
            p.parentKey = QStringLiteral("h|guid:%1").arg((i + 1) % 3);
            p.endpointKey = QStringLiteral("h");
            p.imageName = QStringLiteral("x%1.exe").arg(i);
            p.pid = i;
            p.source = QStringLiteral("sysmon");
            in.processes.push_back(p);
        }
        const ProcessForest f = ProcessForest::build(std::move(in));
        QCOMPARE(f.size(), 3);
        QCOMPARE(int(f.roots().size()), 1);
    }

    // The LOLBin badge follows the command-line analyser's catalogue, not a private list.
    void lolbinBadgeFollowsCatalogue()
    {
        QFile f(test::sourceDir() + QStringLiteral("/resources/knowledge/lolbins.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto doc = nlohmann::json::parse(f.readAll().toStdString());
        int binaries = 0;
        for (const auto &e : doc.at("entries")) {
            if (e.value("kind", "") != "binary")
                continue;
            ++binaries;
            const QString name = QString::fromStdString(e.at("name").get<std::string>()).toLower();
            QVERIFY2(ProcessForest::isLolbin(name), qPrintable(name));
        }
        QVERIFY(binaries > 50);
        QVERIFY(ProcessForest::isLolbin(QStringLiteral("appinstaller.exe"))); // not in the old list
        QVERIFY(!ProcessForest::isLolbin(QStringLiteral("notepad.exe")));
        QVERIFY(!ProcessForest::isLolbin(QStringLiteral("winupdsvc.exe")));

        ForestInput in;
        const char *images[] = {"services.exe", "certutil.exe", "notepad.exe"};
        for (int i = 0; i < 3; ++i) {
            ProcessRecord p;
            p.key = QStringLiteral("h|guid:%1").arg(i);
            if (i > 0)
                p.parentKey = QStringLiteral("h|guid:0");
            p.endpointKey = QStringLiteral("h");
            p.imageName = QString::fromLatin1(images[i]).toUpper(); // badges ignore case
            p.pid = 100 + i;
            p.startedAt = 1000 + i;
            p.source = QStringLiteral("sysmon");
            in.processes.push_back(p);
        }
        const ProcessForest forest = ProcessForest::build(std::move(in));
        QCOMPARE(forest.size(), 3);
        QVERIFY(forest.node(forest.indexOf(QStringLiteral("h|guid:1"))).has(ProcessBadge::Lolbin));
        QVERIFY(!forest.node(forest.indexOf(QStringLiteral("h|guid:2"))).has(ProcessBadge::Lolbin));
        QVERIFY(!forest.node(forest.indexOf(QStringLiteral("h|guid:0"))).has(ProcessBadge::Lolbin));
        QCOMPARE(forest.indexOf(QStringLiteral("h|guid:3")), -1);
    }

    void sampleCaseMergesXdrAndSysmon()
    {
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        test::TempStore ts;
        ImportDispatcher importer(ts.store());
        QVERIFY(importer.importFile(samples + QStringLiteral("fin-ws-042-incident.json")).ok());
        QVERIFY(importer.importFile(samples + QStringLiteral("fin-ws-042-events.jsonl")).ok());
        auto caseId = ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242"));
        QVERIFY(caseId.ok() && caseId.value() > 0);
        auto sf = forestForCase(ts.store(), caseId.value());
        QVERIFY2(sf.ok(), sf.ok() ? "" : qPrintable(sf.error().toString()));
        const ProcessForest &f = sf->forest;
        QCOMPARE(test::nodesNamed(f, QStringLiteral("winupdsvc.exe")).size(), 1);
        QCOMPARE(test::nodesNamed(f, QStringLiteral("powershell.exe")).size(), 1);
        QCOMPARE(test::nodesNamed(f, QStringLiteral("rundll32.exe")).size(), 1);
        QCOMPARE(test::nodesNamed(f, QStringLiteral("cmd.exe")).size(), 2); // pids 6112 and 6980
        const int ps = test::nodesNamed(f, QStringLiteral("powershell.exe")).first();
        const int cmd = f.node(ps).parent();
        QVERIFY(cmd >= 0);
        QCOMPARE(f.node(cmd).imageName(), QStringLiteral("cmd.exe"));
        const int svc = f.node(cmd).parent();
        QVERIFY(svc >= 0);
        QCOMPARE(f.node(svc).imageName(), QStringLiteral("winupdsvc.exe"));
        QCOMPARE(test::parentImage(f, svc), QStringLiteral("services.exe"));
        QCOMPARE(sf->roots.size(), size_t(1));
        QCOMPARE(f.node(sf->roots.front()).imageName(), QStringLiteral("services.exe"));
        // Merged: XDR's signature verdict and alerts, Sysmon's GUIDs, pipes and network.
        const ProcessNode w = f.node(svc);
        QVERIFY(w.sources().contains(QStringLiteral("xdr")) &&
                w.sources().contains(QStringLiteral("sysmon")));
        QVERIFY(w.has(ProcessBadge::Unsigned));
        QVERIFY(w.has(ProcessBadge::PsexecService));
        QCOMPARE(int(w.pipes().size()), 2);
        QCOMPARE(int(w.services().size()), 1);
        const ProcessNode pn = f.node(ps);
        QVERIFY(pn.has(ProcessBadge::Alert));
        QVERIFY(pn.has(ProcessBadge::Network));
        QVERIFY(pn.has(ProcessBadge::Lolbin));
        QCOMPARE(f.events()[size_t(pn.network().front())].remoteIp,
                 QStringLiteral("185.220.101.42"));
        const nlohmann::json j = toJson(f, sf->roots);
        QCOMPARE(j.size(), size_t(1));
        QCOMPARE(j[0]["image"].get<std::string>(), std::string("services.exe"));
        QCOMPARE(j[0]["children"][0]["image"].get<std::string>(), std::string("winupdsvc.exe"));
        QVERIFY(!j[0]["children"][0]["pipes"].empty());
    }
};

QTEST_GUILESS_MAIN(TestProcessForest)
#include "tst_processforest.moc"
