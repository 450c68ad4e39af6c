// The team policy in the store (offline mode, providers) holds wherever enrichment runs: playbook
// stage 3, `causa-cli enrich` and its preview. Keys and a loopback provider are set in the
// environment; with the store offline the provider sees zero requests. Case markings (TLP/PAP RED)
// keep a case's indicators home too. SQLite and PostgreSQL.
#include "httptestserver.h"
#include "import/importdispatcher.h"
#include "playbook/playbookengine.h"
#include "playbook/workbenchsettings.h"
#include "store/markingstore.h"
#include "testasserts.h"
#include "testutils.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace causa;
using Server = test::HttpTestServer;

namespace {

const QString kVtKey = QStringLiteral("vt-POLICY-5e2a9d");

Server::Response emptyAnswer(const Server::Request &)
{
    Server::Response r;
    r.body =
        R"({"data": {"attributes": {"last_analysis_stats": {"malicious": 0, "suspicious": 0, "harmless": 1}}}})";
    r.headers.insert("Content-Type", "application/json");
    return r;
}

// Keys and endpoints in the environment, as an analyst's shell would have them.
struct ProviderEnvironment
{
    explicit ProviderEnvironment(const QString &baseUrl)
    {
        qputenv("CAUSA_VT_API_KEY", kVtKey.toUtf8());
        qputenv("CAUSA_ABUSEIPDB_API_KEY", "abuse-POLICY-key");
        qputenv("CAUSA_VT_BASE_URL", baseUrl.toUtf8());
        qputenv("CAUSA_ABUSEIPDB_BASE_URL", baseUrl.toUtf8());
        qputenv("CAUSA_SECRET_STORE", "file");
        qputenv("CAUSA_SECRETS_FILE", QByteArray("/nonexistent/causa-secrets.json"));
        // The loopback server has no quota: no waiting between requests (the public 4/min is
        // tested in the provider tests).
        qputenv("CAUSA_VT_RATE_PER_MINUTE", "0");
        qputenv("CAUSA_ABUSEIPDB_RATE_PER_MINUTE", "0");
        qunsetenv("CAUSA_OFFLINE");
    }
    ~ProviderEnvironment()
    {
        for (const char *v :
             {"CAUSA_VT_API_KEY", "CAUSA_ABUSEIPDB_API_KEY", "CAUSA_VT_BASE_URL",
              "CAUSA_ABUSEIPDB_BASE_URL", "CAUSA_SECRET_STORE", "CAUSA_SECRETS_FILE",
              "CAUSA_VT_RATE_PER_MINUTE", "CAUSA_ABUSEIPDB_RATE_PER_MINUTE"})
            qunsetenv(v);
    }
};

void setOffline(CaseStore &store, bool offline)
{
    auto s = WorkbenchSettings::load(store);
    QVERIFY(s.ok());
    s->offline = offline;
    QVERIFY(s->save(store).ok());
}

qint64 importCase(CaseStore &store)
{
    auto r = ImportDispatcher(store).importFile(test::fixturesDir() +
                                                QStringLiteral("/intel/case-public.json"));
    if (!r)
        return -1;
    return store.cases()->front().id;
}

} // namespace

class TestEnrichmentPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void playbookStageFollowsTheStorePolicy()
    {
        Server server(emptyAnswer);
        ProviderEnvironment env(server.baseUrl());
        test::TempStore ts;
        const qint64 caseId = importCase(ts.store());
        QVERIFY(caseId > 0);
        auto def = PlaybookDefinition::load(QStringLiteral("remote-psexec-lolbin"));
        PlaybookEngine engine(ts.store(), def.value(),
                              composeStageServices(ts.store(), {QString(), false, 0}));

        setOffline(ts.store(), true);
        auto run = engine.start(caseId, {}, QStringLiteral("alice"));
        auto st = engine.runStage(run->id, QStringLiteral("enrichment"), QStringLiteral("alice"));
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().toString()));
        QCOMPARE(st->state, StageState::Completed);
        QCOMPARE(st->outputs.value("offline", false), true);
        QCOMPARE(server.requestCount(), 0);

        // The same run with the policy online does ask the provider: the test can fail.
        setOffline(ts.store(), false);
        st = engine.runStage(run->id, QStringLiteral("enrichment"), QStringLiteral("alice"));
        QVERIFY(st.ok());
        QVERIFY2(server.requestCount() > 0, "online policy should reach the loopback provider");
        for (const auto &r : server.requests())
            // the key travels in a header, never in a URL
            QVERIFY(!r.path.contains(kVtKey.toUtf8()));
    }

    void cliEnrichAndPreviewFollowTheStorePolicy()
    {
        Server server(emptyAnswer);
        ProviderEnvironment env(server.baseUrl());
        test::TempStore ts;
        const qint64 caseId = importCase(ts.store());
        setOffline(ts.store(), true);
        const QStringList db = ts.cliArgs();
        auto preview =
            test::runCli(db + QStringList{QStringLiteral("enrich"), QString::number(caseId),
                                          QStringLiteral("--preview")});
        QVERIFY2(preview.exitCode == 0, preview.err.constData());
        QVERIFY2(preview.out.contains("nothing would be sent"), preview.out.constData());
        auto enrich =
            test::runCli(db + QStringList{QStringLiteral("enrich"), QString::number(caseId),
                                          QStringLiteral("--json")});
        QVERIFY2(enrich.exitCode == 0, enrich.err.constData());
        QCOMPARE(
            QJsonDocument::fromJson(enrich.out).object().value(QStringLiteral("offline")).toBool(),
            true);
        QCOMPARE(server.requestCount(), 0);
        setOffline(ts.store(), false);
        preview = test::runCli(db + QStringList{QStringLiteral("enrich"), QString::number(caseId),
                                                QStringLiteral("--preview")});
        QVERIFY2(!preview.out.contains("nothing would be sent"), preview.out.constData());
        QCOMPARE(server.requestCount(), 0); // a preview sends nothing either way
    }

    void redCaseMarkingKeepsIndicatorsHome()
    {
        Server server(emptyAnswer);
        ProviderEnvironment env(server.baseUrl());
        test::TempStore ts;
        const qint64 caseId = importCase(ts.store());
        QVERIFY(!markings::markCase(ts.store(), caseId, QStringLiteral("PURPLE"), {},
                                    QStringLiteral("alice"))
                     .ok());
        QVERIFY(markings::markCase(ts.store(), caseId, QStringLiteral("tlp:red"), {},
                                   QStringLiteral("alice"))
                    .ok());
        QCOMPARE(ts.store().caseSummary(caseId)->tlp, QStringLiteral("RED"));
        const QStringList db = ts.cliArgs();
        auto preview =
            test::runCli(db + QStringList{QStringLiteral("enrich"), QString::number(caseId),
                                          QStringLiteral("--preview")});
        QVERIFY2(preview.out.contains("nothing would be sent"), preview.out.constData());
        auto enrich =
            test::runCli(db + QStringList{QStringLiteral("enrich"), QString::number(caseId)});
        QVERIFY2(enrich.out.contains("TLP:RED (case)"), enrich.out.constData());
        QCOMPARE(server.requestCount(), 0);
        // One indicator marked GREEN on a case back at AMBER goes out; a RED one stays.
        auto cli = test::runCli(db + QStringList{QStringLiteral("mark"), QString::number(caseId),
                                                 QStringLiteral("--tlp"), QStringLiteral("AMBER")});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const auto indicators = ts.store().indicatorsOfCase(caseId).value();
        QString ip;
        for (const CaseIndicator &i : indicators)
            if (i.type == QLatin1String("ipv4") && !i.internal)
                ip = i.value;
        QVERIFY(!ip.isEmpty());
        cli = test::runCli(db + QStringList{QStringLiteral("mark"), QString::number(caseId),
                                            QStringLiteral("--indicator"), ip,
                                            QStringLiteral("--pap"), QStringLiteral("RED")});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        preview = test::runCli(db + QStringList{QStringLiteral("enrich"), QString::number(caseId),
                                                QStringLiteral("--preview")});
        QVERIFY2(!preview.out.contains(ip.toUtf8()), preview.out.constData());
        QCOMPARE(test::runCli(db + QStringList{QStringLiteral("mark"), QString::number(caseId),
                                               QStringLiteral("--tlp"), QStringLiteral("<b>x</b>")})
                     .exitCode,
                 2);
        // Each marking is in the audit trail.
        auto audit =
            test::runCli(db + QStringList{QStringLiteral("verify-audit"), QString::number(caseId)});
        QCOMPARE(audit.exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestEnrichmentPolicy)
#include "tst_enrichmentpolicy.moc"
