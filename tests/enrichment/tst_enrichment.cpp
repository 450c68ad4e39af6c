// The enrichment service end to end on a real store: intel decides scores, the policy keeps
// offline / internal / TLP:RED / PAP:RED indicators on the machine, online providers run against
// a loopback server, results are cached with their TTL, manual verdicts win and are audited, API
// keys never reach the store, logs or reports (SPEC §8).
#include "httptestserver.h"
#include "testutils.h"

#include "enrichment/enrichmentservice.h"
#include "import/importdispatcher.h"
#include "store/auditlog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QSqlQuery>
#include <QThread>

#include <nlohmann/json.hpp>

using namespace causa;
using Server = test::HttpTestServer;

namespace {

const QString kVtKey = QStringLiteral("vt-SECRET-4c1d8e2f9a");
const QString kAbuseKey = QStringLiteral("abuse-SECRET-0b7e3a91");
const QString kWinupdsvc =
    QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e");
const QString kPowershell =
    QStringLiteral("de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c");

QMutex s_logMutex;
QStringList s_log;
QtMessageHandler s_previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    {
        QMutexLocker lock(&s_logMutex);
        s_log << msg;
    }
    if (s_previousHandler)
        s_previousHandler(type, ctx, msg);
}

QString fixture(const char *name)
{
    return test::fixturesDir() + QStringLiteral("/intel/") + QLatin1String(name);
}
QString sample(const char *name)
{
    return test::sourceDir() + QStringLiteral("/resources/samples/") + QLatin1String(name);
}

bool importAll(CaseStore &store, const QStringList &files)
{
    for (const QString &f : files) {
        auto r = ImportDispatcher(store).importFile(f);
        if (!r) {
            qWarning() << r.error().toString();
            return false;
        }
    }
    return true;
}

qint64 caseOf(CaseStore &store, const char *ref)
{
    auto id = store.findCase(QStringLiteral("xdr"), QLatin1String(ref));
    return id ? id.value() : 0;
}

QByteArray vtBody(int malicious, int harmless, const char *type)
{
    return QByteArrayLiteral(R"({"data": {"id": "x", "type": ")") + type +
           R"(", "attributes": {"reputation": 0, "last_analysis_stats": {"malicious": )" +
           QByteArray::number(malicious) + R"(, "suspicious": 0, "harmless": )" +
           QByteArray::number(harmless) + R"(, "undetected": 20, "timeout": 0}}}})";
}

Server::Response apiAnswer(const Server::Request &r)
{
    if (r.path.startsWith("/api/v3/files/"))
        return {200, vtBody(33, 0, "file"), {}, 0, false};
    if (r.path.startsWith("/api/v3/ip_addresses/"))
        return {200, vtBody(0, 55, "ip_address"), {}, 0, false};
    if (r.path.startsWith("/api/v3/domains/"))
        return {404,
                R"({"error": {"code": "NotFoundError", "message": "Domain not found"}})",
                {},
                0,
                false};
    if (r.path.startsWith("/api/v2/check"))
        return {
            200,
            R"({"data": {"ipAddress": "x", "isPublic": true, "isWhitelisted": false, "abuseConfidenceScore": 97, "totalReports": 311}})",
            {},
            0,
            false};
    return {404, "{}", {}, 0, false};
}

EnrichmentSettings onlineSettings(const Server &server)
{
    EnrichmentSettings s;
    s.offline = false;
    s.virusTotal.baseUrl = server.baseUrl();
    s.virusTotal.apiKey = kVtKey;
    s.virusTotal.ratePerMinute = 0;
    s.virusTotal.timeoutMs = 5000;
    s.abuseIpDb.baseUrl = server.baseUrl();
    s.abuseIpDb.apiKey = kAbuseKey;
    s.abuseIpDb.ratePerMinute = 0;
    s.abuseIpDb.timeoutMs = 5000;
    return s;
}

EnrichmentSettings offlineSettings()
{
    EnrichmentSettings s;
    s.offline = true;
    return s;
}

const IndicatorEnrichment *find(const EnrichmentReport &r, const char *type, const QString &value)
{
    return r.find(QLatin1String(type), value);
}

QByteArray storeBytes(const QString &dbPath)
{
    QByteArray all;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-journal")}) {
        QFile f(dbPath + suffix);
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

} // namespace

class TestEnrichment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("causa.*=true"));
        s_previousHandler = qInstallMessageHandler(captureLog);
    }
    void cleanupTestCase() { qInstallMessageHandler(s_previousHandler); }

    void sampleFeedMakesWinupdsvcMalicious()
    {
        test::TempStore ts;
        QVERIFY(importAll(ts.store(),
                          {sample("fin-ws-042-incident.json"), sample("fin-ws-042-iocs.csv")}));
        const qint64 caseId = caseOf(ts.store(), "4242");
        QVERIFY(caseId > 0);
        EnrichmentService service(ts.store(), offlineSettings());
        auto report = service.enrichCase(caseId);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        const auto *w = find(report.value(), "sha256", kWinupdsvc);
        QVERIFY(w);
        QCOMPARE(w->mergedScore, Score::Malicious);
        QCOMPARE(w->decidedBy, QStringLiteral("local-intel"));
        // Built-in knowledge: the internal remote IP and a Microsoft-signed binary are good.
        const auto *ip = find(report.value(), "ipv4", QStringLiteral("10.20.30.15"));
        QVERIFY(ip);
        QCOMPARE(ip->mergedScore, Score::Good);
        QCOMPARE(ip->decidedBy, QStringLiteral("builtin"));
        const auto *ps = find(report.value(), "sha256", kPowershell);
        QVERIFY(ps);
        QCOMPARE(ps->mergedScore, Score::Good);
        QVERIFY(report->notes.join(QLatin1Char(' ')).contains(QStringLiteral("offline")));
        // The report JSON carries the same answer.
        const nlohmann::json j = report->toJson();
        bool seen = false;
        for (const auto &i : j["indicators"])
            if (i["value"] == kWinupdsvc.toStdString()) {
                seen = true;
                QCOMPARE(i["score"].get<int>(), 3);
                QCOMPARE(i["verdict"].get<std::string>(), std::string("malicious"));
            }
        QVERIFY(seen);
    }

    void stixMarksIpAndHashMalicious()
    {
        test::TempStore ts;
        QVERIFY(importAll(ts.store(), {fixture("case-public.json"), fixture("stix-bundle.json")}));
        const qint64 caseId = caseOf(ts.store(), "9001");
        QVERIFY(caseId > 0);
        EnrichmentService service(ts.store(), offlineSettings());
        // Before the bundle was imported nothing would be malicious: check against a store without it.
        auto report = service.enrichCase(caseId);
        QVERIFY(report.ok());
        const auto *ip = find(report.value(), "ipv4", QStringLiteral("45.137.21.9"));
        const auto *sha = find(report.value(), "sha256", kWinupdsvc);
        QVERIFY(ip && sha);
        QCOMPARE(ip->mergedScore, Score::Malicious);
        QCOMPARE(sha->mergedScore, Score::Malicious);
        QVERIFY(ip->results.front().verdict.contains(QStringLiteral("Causa Test CTI")));
        const auto *dom =
            find(report.value(), "domain", QStringLiteral("cdn-update.example-bad.net"));
        QVERIFY(dom);
        QCOMPARE(dom->mergedScore, Score::Suspicious);

        test::TempStore bare;
        QVERIFY(importAll(bare.store(), {fixture("case-public.json")}));
        auto without = EnrichmentService(bare.store(), offlineSettings())
                           .enrichCase(caseOf(bare.store(), "9001"));
        QVERIFY(without.ok());
        QCOMPARE(find(without.value(), "ipv4", QStringLiteral("45.137.21.9"))->mergedScore,
                 Score::Unknown);
        QCOMPARE(find(without.value(), "sha256", kWinupdsvc)->mergedScore, Score::Unknown);
    }

    void allowlistMakesGood()
    {
        test::TempStore ts;
        QVERIFY(importAll(ts.store(), {fixture("case-public.json"), fixture("stix-bundle.json"),
                                       fixture("corp-allowlist.csv")}));
        EnrichmentService service(ts.store(), offlineSettings());
        auto report = service.enrichCase(caseOf(ts.store(), "9001"));
        QVERIFY(report.ok());
        // The allowlist (grade A) beats the STIX bundle (grade B) that calls the IP malicious.
        const auto *ip = find(report.value(), "ipv4", QStringLiteral("45.137.21.9"));
        QVERIFY(ip);
        QCOMPARE(ip->mergedScore, Score::Good);
        QCOMPARE(ip->decidedBy, QStringLiteral("local-intel"));
        QCOMPARE(ip->results.front().reliability, QStringLiteral("A"));
        QVERIFY(ip->results.front().verdict.startsWith(
            QStringLiteral("allowlisted by corp-allowlist.csv")));
        // Untouched by the allowlist, the hash stays malicious.
        QCOMPARE(find(report.value(), "sha256", kWinupdsvc)->mergedScore, Score::Malicious);
    }

    void manualVerdictWinsAndIsAudited()
    {
        test::TempStore ts;
        QVERIFY(importAll(ts.store(), {fixture("case-public.json"), fixture("stix-bundle.json")}));
        const qint64 caseId = caseOf(ts.store(), "9001");
        EnrichmentService service(ts.store(), offlineSettings());
        auto before = service.enrichCase(caseId);
        QVERIFY(before.ok());
        const auto *ip = find(before.value(), "ipv4", QStringLiteral("45.137.21.9"));
        QCOMPARE(ip->mergedScore, Score::Malicious);
        const qint64 indicatorId = ip->indicatorId;
        QVERIFY(!service
                     .setManualVerdict(indicatorId, Score::Good, QStringLiteral("  "),
                                       QStringLiteral("alice"))
                     .ok());
        QVERIFY(
            !service.setManualVerdict(indicatorId, Score::Good, QStringLiteral("why"), QString())
                 .ok());
        auto set = service.setManualVerdict(indicatorId, Score::Good,
                                            QStringLiteral("our own pentest box, ticket SEC-1234"),
                                            QStringLiteral("alice"));
        QVERIFY2(set.ok(), qPrintable(set.ok() ? QString() : set.error().toString()));
        auto after = service.enrichCase(caseId);
        QVERIFY(after.ok());
        ip = find(after.value(), "ipv4", QStringLiteral("45.137.21.9"));
        QCOMPARE(ip->mergedScore, Score::Good);
        QCOMPARE(ip->decidedBy, QStringLiteral("manual"));
        QCOMPARE(ip->manualBy, QStringLiteral("alice"));
        auto cached = service.cachedReport(caseId);
        QVERIFY(cached.ok());
        QCOMPARE(find(cached.value(), "ipv4", QStringLiteral("45.137.21.9"))->mergedScore,
                 Score::Good);
        auto db = ts.store().connection();
        QVERIFY(db.ok());
        auto entries = audit::entries(db.value(), caseId);
        QVERIFY(entries.ok());
        bool audited = false;
        for (const AuditEntry &e : entries.value())
            if (e.kind == QLatin1String("manual_verdict")) {
                audited = true;
                QCOMPARE(e.actor, QStringLiteral("alice"));
                QVERIFY(e.payload.contains(QStringLiteral("ticket SEC-1234")));
                QVERIFY(e.payload.contains(QStringLiteral("45.137.21.9")));
            }
        QVERIFY(audited);
        auto verify = audit::verify(db.value(), caseId);
        QVERIFY(verify.ok() && verify->intact);
    }

    void offlineAttemptsNoConnection()
    {
        Server server(apiAnswer);
        test::TempStore ts;
        QVERIFY(importAll(ts.store(), {fixture("case-public.json")}));
        const qint64 caseId = caseOf(ts.store(), "9001");
        EnrichmentSettings settings = onlineSettings(server);
        settings.offline = true;
        EnrichmentService offline(ts.store(), settings);
        QVERIFY(offline.preview(caseId).empty());
        auto report = offline.enrichCase(caseId);
        QVERIFY(report.ok());
        QCOMPARE(server.requestCount(), 0);
        for (const auto &i : report->indicators)
            for (const auto &r : i.results)
                QVERIFY2(r.provider != QLatin1String("virustotal") &&
                             r.provider != QLatin1String("abuseipdb"),
                         qPrintable(r.provider));
        // The same settings online do reach the server: the zero above is not an accident.
        settings.offline = false;
        EnrichmentService online(ts.store(), settings);
        QVERIFY(!online.preview(caseId).empty());
        QVERIFY(online.enrichCase(caseId).ok());
        QVERIFY(server.requestCount() > 0);
    }

    void onlinePolicyPreviewCacheAndSecrets()
    {
        {
            QMutexLocker lock(&s_logMutex);
            s_log.clear();
        }
        Server server(apiAnswer);
        test::TempStore ts;
        QVERIFY(importAll(ts.store(), {fixture("case-public.json"), fixture("stix-bundle.json")}));
        const qint64 caseId = caseOf(ts.store(), "9001");
        EnrichmentService service(ts.store(), onlineSettings(server));

        const std::vector<OutboundRequest> preview = service.preview(caseId);
        QVERIFY(!preview.empty());
        QSet<QByteArray> previewed;
        for (const OutboundRequest &r : preview) {
            for (const auto &[h, v] : r.headers) {
                QVERIFY(v != kVtKey.toUtf8() && v != kAbuseKey.toUtf8());
                if (h == "x-apikey" || h == "Key")
                    QCOMPARE(v, QByteArray("<redacted>"));
            }
            previewed.insert(r.method + ' ' +
                             r.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority));
        }
        QCOMPARE(server.requestCount(), 0); // a preview sends nothing

        auto report = service.enrichCase(caseId);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QSet<QByteArray> sent;
        for (const auto &r : server.requests()) {
            sent.insert(r.method + ' ' + r.path);
            // Internal addresses, TLP:RED intel, users and hosts never leave.
            QVERIFY2(!r.path.contains("10.20."), r.path.constData());
            QVERIFY2(!r.path.contains("91.215.85.17"), r.path.constData());
            QVERIFY2(!r.path.toLower().contains("fin-ws-042"), r.path.constData());
        }
        QCOMPARE(sent, previewed); // the preview was exactly what got sent
        QVERIFY(sent.contains("GET /api/v3/ip_addresses/45.137.21.9"));
        QVERIFY(sent.contains("GET /api/v2/check?ipAddress=45.137.21.9&maxAgeInDays=90"));
        QVERIFY(sent.contains("GET /api/v3/files/" + kWinupdsvc.toLatin1()));
        QVERIFY(sent.contains("GET /api/v3/domains/cdn-update.example-bad.net"));

        const auto *red = find(report.value(), "ipv4", QStringLiteral("91.215.85.17"));
        QVERIFY(red);
        QCOMPARE(red->withheld.size(), size_t(2));
        QCOMPARE(red->withheld.front().reason, QStringLiteral("TLP:RED (stix-bundle.json)"));
        // the TLP:RED intel itself still counts locally
        QCOMPARE(red->mergedScore, Score::Malicious);
        const auto *internal = find(report.value(), "ipv4", QStringLiteral("10.20.40.42"));
        QVERIFY(internal);
        QVERIFY(!internal->withheld.empty());
        QCOMPARE(internal->withheld.front().reason, QStringLiteral("internal address"));

        const auto *ip = find(report.value(), "ipv4", QStringLiteral("45.137.21.9"));
        QVERIFY(ip);
        QStringList providers;
        for (const auto &r : ip->results) {
            providers << r.provider;
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        }
        QCOMPARE(providers, (QStringList{QStringLiteral("abuseipdb"), QStringLiteral("local-intel"),
                                         QStringLiteral("virustotal")}));
        QCOMPARE(ip->mergedScore, Score::Malicious);

        // Cached: a second run sends nothing and shows the stored results.
        const int afterFirst = server.requestCount();
        QVERIFY(service.preview(caseId).empty());
        auto second = service.enrichCase(caseId);
        QVERIFY(second.ok());
        QCOMPARE(server.requestCount(), afterFirst);
        bool sawCached = false;
        for (const auto &r : find(second.value(), "ipv4", QStringLiteral("45.137.21.9"))->results)
            if (r.provider == QLatin1String("virustotal")) {
                QVERIFY(r.cached);
                QVERIFY(r.expiresAt > r.fetchedAt);
                sawCached = true;
            }
        QVERIFY(sawCached);

        // A zero TTL makes every run look up again.
        EnrichmentSettings noCache = onlineSettings(server);
        noCache.virusTotal.ttlMs = 0;
        noCache.abuseIpDb.ttlMs = 0;
        QVERIFY(EnrichmentService(ts.store(), noCache).enrichCase(caseId).ok());
        QCOMPARE(server.requestCount(), 2 * afterFirst);

        // The keys were sent to the server (as headers) and appear nowhere else.
        QCOMPARE(
            server.requests().first().headers.value(
                server.requests().first().path.startsWith("/api/v2") ? "key" : "x-apikey"),
            (server.requests().first().path.startsWith("/api/v2") ? kAbuseKey : kVtKey).toUtf8());
        if (!ts.isPostgres()) {
            const QByteArray bytes = storeBytes(ts.path());
            QVERIFY(!bytes.isEmpty());
            QVERIFY(!bytes.contains(kVtKey.toUtf8()));
            QVERIFY(!bytes.contains(kAbuseKey.toUtf8()));
            QVERIFY(bytes.contains("45.137.21.9")); // the check reads the real file
        }
        // Every text column of the tables enrichment writes, on either back end.
        auto db = ts.store().connection();
        QVERIFY(db.ok());
        for (const char *sqlText :
             {"SELECT provider || verdict || reliability || raw FROM enrichments",
              "SELECT feed || description || creator FROM intel_entries",
              "SELECT payload FROM audit_log"}) {
            QSqlQuery q(db.value());
            QVERIFY2(q.exec(QLatin1String(sqlText)), sqlText);
            int rows = 0;
            while (q.next()) {
                ++rows;
                QVERIFY(!q.value(0).toString().contains(kVtKey));
                QVERIFY(!q.value(0).toString().contains(kAbuseKey));
            }
            if (QByteArray(sqlText).contains("enrichments"))
                QVERIFY(rows > 0);
        }
        const std::string json = report->toJson().dump();
        QVERIFY(json.find(kVtKey.toStdString()) == std::string::npos);
        QVERIFY(json.find(kAbuseKey.toStdString()) == std::string::npos);
        QMutexLocker lock(&s_logMutex);
        QVERIFY(!s_log.isEmpty()); // debug logging was on
        for (const QString &line : s_log) {
            QVERIFY2(!line.contains(kVtKey), qPrintable(line));
            QVERIFY2(!line.contains(kAbuseKey), qPrintable(line));
        }
    }

    void papRedIsNeverSent()
    {
        Server server(apiAnswer);
        test::TempStore ts;
        QVERIFY(importAll(ts.store(), {fixture("case-public.json"), fixture("misp-event.json")}));
        const qint64 caseId = caseOf(ts.store(), "9001");
        EnrichmentService service(ts.store(), onlineSettings(server));
        auto report = service.enrichCase(caseId);
        QVERIFY(report.ok());
        for (const auto &r : server.requests())
            QVERIFY2(!r.path.contains("91.215.85.17"), r.path.constData());
        const auto *pap = find(report.value(), "ipv4", QStringLiteral("91.215.85.17"));
        QVERIFY(pap);
        QVERIFY(!pap->withheld.empty());
        QCOMPARE(pap->withheld.front().reason, QStringLiteral("PAP:RED (misp-event.json)"));
        QVERIFY(server.requestCount() > 0);
    }

    void providerFailuresAreReportedNotFatal()
    {
        Server server([](const Server::Request &r) {
            if (r.path.startsWith("/api/v2/"))
                return Server::Response{
                    429,
                    R"({"errors": [{"detail": "Too many requests", "status": 429}]})",
                    {{"Retry-After", "7200"}},
                    0,
                    false};
            return Server::Response{200, "{\"data\": ", {}, 0, false};
        });
        test::TempStore ts;
        QVERIFY(importAll(ts.store(), {fixture("case-public.json"), fixture("stix-bundle.json")}));
        EnrichmentService service(ts.store(), onlineSettings(server));
        auto report = service.enrichCase(caseOf(ts.store(), "9001"));
        QVERIFY(report.ok());
        const auto *ip = find(report.value(), "ipv4", QStringLiteral("45.137.21.9"));
        QStringList errors;
        for (const auto &r : ip->results)
            if (!r.error.isEmpty())
                errors << r.provider + QStringLiteral(": ") + r.error;
        errors.sort();
        QCOMPARE(errors.size(), 2);
        QVERIFY2(errors[0].startsWith(
                     QStringLiteral("abuseipdb: rate limited (HTTP 429, retry after 7200 s)")),
                 qPrintable(errors[0]));
        QVERIFY2(errors[1].startsWith(QStringLiteral("virustotal: malformed VirusTotal reply")),
                 qPrintable(errors[1]));
        QCOMPARE(ip->mergedScore, Score::Malicious); // intel still decides
        // Failures are not cached: the next run tries again.
        const int first = server.requestCount();
        QVERIFY(service.enrichCase(caseOf(ts.store(), "9001")).ok());
        QVERIFY(server.requestCount() > first);
    }

    void worksFromWorkerThread()
    {
        Server server(apiAnswer);
        test::TempStore ts;
        QVERIFY(importAll(ts.store(), {fixture("case-public.json"), fixture("stix-bundle.json")}));
        const qint64 caseId = caseOf(ts.store(), "9001");
        Score ipScore = Score::Unknown;
        QString error;
        int sentByWorker = 0;
        QThread *worker = QThread::create([&] {
            EnrichmentService service(ts.store(), onlineSettings(server));
            auto report = service.enrichCase(caseId);
            if (!report) {
                error = report.error().toString();
                return;
            }
            ipScore =
                report->find(QStringLiteral("ipv4"), QStringLiteral("45.137.21.9"))->mergedScore;
            sentByWorker = server.requestCount();
        });
        worker->start();
        QVERIFY(worker->wait(60000));
        delete worker;
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(ipScore, Score::Malicious);
        QVERIFY(sentByWorker > 0);
    }

    void cliEnrich()
    {
        QTemporaryDir dir;
        const QString db = dir.path() + QStringLiteral("/cli.sqlite");
        auto imp =
            test::runCli({QStringLiteral("--db"), db, QStringLiteral("import"),
                          sample("fin-ws-042-incident.json"), sample("fin-ws-042-iocs.csv")});
        QCOMPARE(imp.exitCode, 0);
        auto r = test::runCli({QStringLiteral("--db"), db, QStringLiteral("enrich"),
                               QStringLiteral("xdr:4242"), QStringLiteral("--offline"),
                               QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(root.value(QStringLiteral("offline")).toBool(), true);
        bool found = false;
        for (const QJsonValue &v : root.value(QStringLiteral("indicators")).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("value")).toString() == kWinupdsvc) {
                found = true;
                QCOMPARE(o.value(QStringLiteral("score")).toInt(), 3);
                QCOMPARE(o.value(QStringLiteral("decided_by")).toString(),
                         QStringLiteral("local-intel"));
            }
        }
        QVERIFY(found);
        auto text = test::runCli({QStringLiteral("--db"), db, QStringLiteral("enrich"),
                                  QStringLiteral("1"), QStringLiteral("--offline")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("score 3 (malicious) by local-intel"), text.out.constData());
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("enrich")}).exitCode, 2);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("enrich"),
                               QStringLiteral("xdr:nope")})
                     .exitCode,
                 1);
    }

    void cliPreviewRedactsAndSendsNothing()
    {
        Server server(apiAnswer);
        QTemporaryDir dir;
        const QString db = dir.path() + QStringLiteral("/cli.sqlite");
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("import"),
                               fixture("case-public.json")})
                     .exitCode,
                 0);
        qputenv("CAUSA_VT_API_KEY", kVtKey.toUtf8());
        qputenv("CAUSA_VT_BASE_URL", server.baseUrl().toUtf8());
        qputenv("CAUSA_ABUSEIPDB_BASE_URL", server.baseUrl().toUtf8());
        auto r = test::runCli({QStringLiteral("--db"), db, QStringLiteral("enrich"),
                               QStringLiteral("xdr:9001"), QStringLiteral("--preview"),
                               QStringLiteral("--json")});
        qunsetenv("CAUSA_VT_API_KEY");
        qunsetenv("CAUSA_VT_BASE_URL");
        qunsetenv("CAUSA_ABUSEIPDB_BASE_URL");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!r.out.contains(kVtKey.toUtf8()));
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        QVERIFY(!list.isEmpty());
        for (const QJsonValue &v : list) {
            const QJsonObject o = v.toObject();
            // no AbuseIPDB key
            QCOMPARE(o.value(QStringLiteral("provider")).toString(), QStringLiteral("virustotal"));
            QCOMPARE(o.value(QStringLiteral("headers"))
                         .toObject()
                         .value(QStringLiteral("x-apikey"))
                         .toString(),
                     QStringLiteral("<redacted>"));
            QVERIFY(o.value(QStringLiteral("url")).toString().startsWith(server.baseUrl()));
        }
        QCOMPARE(server.requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEnrichment)
#include "tst_enrichment.moc"
