// XDR importer: every shape of the shared fixtures, the sample case, hostile documents.
#include "core/jsonutil.h"
#include "import/importdispatcher.h"
#include "store/auditlog.h"
#include "store/importsession.h"
#include "testutils.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

using namespace causa;

class TestXdrImport : public QObject
{
    Q_OBJECT

private:
    static StoreStats stats(CaseStore &s)
    {
        auto r = s.stats();
        if (!r)
            qFatal("stats: %s", qPrintable(r.error().toString()));
        return r.value();
    }

    static bool exec(QSqlDatabase &db, const QString &text)
    {
        QSqlQuery q(db);
        if (q.exec(text))
            return true;
        qWarning("%s: %s", qPrintable(text), qPrintable(q.lastError().text()));
        return false;
    }

    // What the link tables answer: their rows, and the case's processes and indicators as the
    // store reads them.
    static QStringList linkAnswers(CaseStore &store, qint64 caseId)
    {
        QStringList out;
        auto conn = store.connection();
        if (!conn)
            return {QStringLiteral("no connection")};
        QSqlQuery q(conn.value());
        q.exec(QStringLiteral(
            "SELECT case_id, indicator_id, context, as_written FROM case_indicators ORDER BY 1, 2, 3"));
        while (q.next())
            out << QStringLiteral("ci %1 %2 %3 %4")
                       .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                            q.value(3).toString());
        q.exec(
            QStringLiteral("SELECT alert_id, role, process_id FROM alert_processes ORDER BY 1, 2"));
        while (q.next())
            out << QStringLiteral("ap %1 %2 %3")
                       .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString());
        auto procs = store.processesOfCase(caseId);
        for (const auto &p : procs ? procs.value() : std::vector<StoredProcess>())
            out << QStringLiteral("process %1 %2 %3")
                       .arg(p.process.key, p.process.commandLine, p.roles.join(QLatin1Char(',')));
        auto inds = store.indicatorsOfCase(caseId);
        for (const auto &i : inds ? inds.value() : std::vector<CaseIndicator>())
            out << QStringLiteral("indicator %1 %2 %3 %4")
                       .arg(i.type, i.value, i.asWritten, i.contexts.join(QLatin1Char(',')));
        return out;
    }

private Q_SLOTS:
    void sharedFixture_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("alerts");
        QTest::addColumn<int>("cases");
        QTest::newRow("incident extra data, blocked alert")
            << "get_incident_extra_data.json" << 1 << 1;
        QTest::newRow("fetched incident, three alerts") << "raw_fetched_incident.json" << 3 << 1;
        QTest::newRow("full-width extra data, same alert id twice")
            << "get_extra_data_all_alerts.json" << 3 << 1;
        QTest::newRow("alerts by filter, SEV_030 severities")
            << "get_alerts_by_filter_results.json" << 2 << 1;
    }
    void sharedFixture()
    {
        QFETCH(QString, file);
        QFETCH(int, alerts);
        QFETCH(int, cases);
        CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("xdr/") + file);
        test::TempStore ts;
        ImportDispatcher importer(ts.store());
        const QString path = test::sharedDataDir() + QStringLiteral("/xdr/") + file;
        auto first = importer.importFile(path);
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().toString()));
        QCOMPARE(first->alerts, qint64(alerts));
        QCOMPARE(first->cases, qint64(cases));
        const StoreStats before = stats(ts.store());
        auto second = importer.importFile(path);
        QVERIFY(second.ok());
        QCOMPARE(second->alerts, qint64(0));
        QCOMPARE(second->skipped, qint64(alerts));
        const StoreStats after = stats(ts.store());
        QCOMPARE(after.alerts, before.alerts);
        QCOMPARE(after.cases, before.cases);
        QCOMPARE(after.processes, before.processes);
        QCOMPARE(after.indicators, before.indicators);
    }

    void normalisesFields()
    {
        CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("xdr"));
        test::TempStore ts;
        ImportDispatcher importer(ts.store());
        for (const char *f : {"get_incident_extra_data.json", "get_extra_data_all_alerts.json",
                              "get_alerts_by_filter_results.json"})
            QVERIFY(
                importer
                    .importFile(test::sharedDataDir() + QStringLiteral("/xdr/") + QLatin1String(f))
                    .ok());
        auto byRef = [&](const QString &ref) {
            auto id = ts.store().findCase(QStringLiteral("xdr"), ref);
            return id.ok() ? id.value() : qint64(0);
        };
        // Extra data: blocked via action_pretty "Prevented (Blocked)", host IP "1.1.1.1." cleaned.
        auto a1 = ts.store().alertsOfCase(byRef(QStringLiteral("1")));
        QVERIFY(a1.ok());
        QCOMPARE(a1->size(), size_t(1));
        QVERIFY(a1->front().alert.blocked);
        QCOMPARE(a1->front().alert.hostIp, QStringLiteral("1.1.1.1"));
        QCOMPARE(a1->front().alert.detectedAt, qint64(1575806904222));
        // by_filter: SEV_030_MEDIUM -> medium, alert_action_status SCANNED -> not blocked.
        auto a41 = ts.store().alertsOfCase(byRef(QStringLiteral("41")));
        QVERIFY(a41.ok());
        QCOMPARE(a41->size(), size_t(2));
        for (const auto &a : a41.value()) {
            QCOMPARE(a.alert.severity, Severity::Medium);
            QCOMPARE(a.alert.action, QStringLiteral("SCANNED"));
            QVERIFY(!a.alert.blocked);
        }
        // Incident 2: manual_severity critical wins.
        auto c2 = ts.store().caseSummary(byRef(QStringLiteral("2")));
        QVERIFY(c2.ok());
        QCOMPARE(c2->severity, Severity::Critical);
    }

    void sampleCase()
    {
        test::TempStore ts;
        ImportDispatcher importer(ts.store());
        auto r = importer.importFile(test::sourceDir() +
                                     QStringLiteral("/resources/samples/fin-ws-042-incident.json"));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->alerts, qint64(2));
        auto id = ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242"));
        QVERIFY(id.ok() && id.value() > 0);
        auto procs = ts.store().processesOfCase(id.value());
        QVERIFY(procs.ok());
        // winupdsvc (causality == actor), cmd (x2), powershell, rundll32.
        QCOMPARE(procs->size(), size_t(5));
        QMap<QString, QString> parentOf;
        QMap<QString, QString> imageOfKey;
        for (const auto &p : procs.value())
            imageOfKey.insert(p.process.key, p.process.imageName);
        for (const auto &p : procs.value())
            parentOf.insert(p.process.imageName + QString::number(p.process.pid),
                            imageOfKey.value(p.process.parentKey));
        QCOMPARE(parentOf.value(QStringLiteral("powershell.exe7344")), QStringLiteral("cmd.exe"));
        QCOMPARE(parentOf.value(QStringLiteral("cmd.exe6112")), QStringLiteral("winupdsvc.exe"));
        QCOMPARE(parentOf.value(QStringLiteral("winupdsvc.exe3320")), QString());
        auto inds = ts.store().indicatorsOfCase(id.value());
        QVERIFY(inds.ok());
        bool remoteIpInternal = false, serviceHash = false;
        for (const auto &i : inds.value()) {
            if (i.type == QLatin1String("ipv4") && i.value == QLatin1String("10.20.30.15"))
                remoteIpInternal = i.internal && i.contexts.contains(QStringLiteral("remote_ip"));
            if (i.type == QLatin1String("sha256") &&
                i.contexts.contains(QStringLiteral("causality_sha256")))
                serviceHash = true;
        }
        QVERIFY(remoteIpInternal);
        QVERIFY(serviceHash);
        auto conn = ts.store().connection();
        auto v = audit::verify(conn.value(), id.value());
        QVERIFY(v.ok() && v->intact && v->entries == 1);
    }

    void hostileDocuments_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expectedCode");
        QByteArray deep = "{\"reply\":";
        for (int i = 0; i < 200000; ++i)
            deep += "{\"a\":";
        QTest::newRow("empty file") << QByteArray() << "empty";
        QTest::newRow("only whitespace") << QByteArray("  \n\t ") << "empty";
        QTest::newRow("200,000 levels of nesting") << deep << "too-deep";
        QTest::newRow("truncated")
            << QByteArray(
                   "{\"reply\": {\"incident\": {\"incident_id\": \"9\"}, \"alerts\": {\"data\": [{\"alert_id\": \"1\", \"name\": \"x")
            << "bad-json";
        QTest::newRow("alert is a number")
            << QByteArray("{\"reply\": {\"alerts\": [42]}}") << "bad-field";
        QTest::newRow("alert without id")
            << QByteArray("{\"reply\": {\"alerts\": [{\"name\": \"x\"}]}}") << "missing-field";
        QTest::newRow("NUL bytes inside")
            << QByteArray("{\"reply\": {\"alerts\": [{\"alert_id\": \"1\x00\"}]}}", 40)
            << "bad-json";
        QByteArray random(4096, 0);
        for (int i = 0; i < random.size(); ++i)
            random[i] = char((i * 7919 + 13) % 251);
        random[0] = '{';
        random.insert(1, "\"reply\":");
        QTest::newRow("random bytes after a brace") << random << "bad-json";
        QTest::newRow("JSON but not XDR") << QByteArray("{\"reply\": {\"foo\": 1}}") << "not-xdr";
        // Found by fuzz_xdr: a number beyond double escaped the parser as an exception.
        QTest::newRow("number beyond double")
            << QByteArray(
                   "{\"reply\": {\"total_count\": 1, \"alerts\": [{\"alert_id\": \"1\", \"host_name\": 22e2220555555}]}}")
            << "bad-json";
    }
    void hostileDocuments()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expectedCode);
        test::TempStore ts;
        ImportDispatcher importer(ts.store());
        // A good document first: it must survive every failed import untouched.
        QVERIFY(importer
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        const StoreStats before = stats(ts.store());
        QTemporaryDir dir;
        const QString path = dir.path() + QStringLiteral("/bad.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        auto r = importer.importFile(path);
        QVERIFY(!r.ok());
        if (expectedCode != QLatin1String("empty") &&
            r.error().code == QLatin1String("unknown-format")) {
            // Sniffing refused it before parsing; still a clear, located error.
            QVERIFY(r.error().location.contains(QStringLiteral("bad.json")));
        } else {
            QCOMPARE(r.error().code, expectedCode);
        }
        QVERIFY2(r.error().location.contains(QStringLiteral("bad.json")),
                 qPrintable(r.error().toString()));
        const StoreStats after = stats(ts.store());
        QCOMPARE(after.alerts, before.alerts);
        QCOMPARE(after.cases, before.cases);
        QCOMPARE(after.processes, before.processes);
        QCOMPARE(after.indicators, before.indicators);
    }

    // Found by fuzz_xdr (UBSan): a timestamp written as a float far beyond any date (1.7e22)
    // was converted to an integer, which is undefined behaviour; it is now an unusable value
    // (the fallback), like any other unusable field, and the alert still imports.
    void numbersBeyondInt64AreUnusable()
    {
        const nlohmann::json o = nlohmann::json::parse(
            "{\"f\": 1.7e22, \"n\": -1e300, \"u\": 18446744073709551615, \"ok\": 1700000000000.0}");
        QCOMPARE(js::int64(o, "f", -1), qint64(-1));
        QCOMPARE(js::int64(o, "n", -1), qint64(-1));
        QCOMPARE(js::int64(o, "u", -1), qint64(-1));
        QCOMPARE(js::int64(o, "ok", -1), qint64(1700000000000));
        test::TempStore ts;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("float-ts.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "{\"reply\": {\"incident\": {\"incident_id\": \"2\", \"severity\": \"medium\"}, \"alerts\": [{\"alert_id\": \"20\", "
            "\"host_name\": \"h2\", \"severity\": \"medium\", \"local_insert_ts\": 1.7e22, \"detection_timestamp\": 1.7e22}]}}");
        f.close();
        auto r = ImportDispatcher(ts.store()).importFile(path);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(stats(ts.store()).alerts, qint64(1));
    }

    // Migration 018's triggers: a case with search_pending = 1 is not in the queue's search
    // index; clearing it indexes the case, changes re-index it, setting it again takes it out,
    // and deleting a pending case leaves the index whole. Every other writer leaves it 0.
    void searchIndexFollowsPending()
    {
        test::TempStore ts;
        if (ts.isPostgres())
            QSKIP("PostgreSQL keeps no search index (ILIKE over the columns)");
        auto conn = ts.store().connection();
        QVERIFY(conn.ok());
        QSqlDatabase db = conn.value();
        auto found = [&db](const QString &query) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("SELECT count(*) FROM cases_fts WHERE cases_fts MATCH ?"));
            q.addBindValue(query);
            return q.exec() && q.next() ? q.value(0).toLongLong() : qint64(-1);
        };
        auto intact = [&db]() {
            QSqlQuery q(db);
            return q.exec(
                QStringLiteral("INSERT INTO cases_fts(cases_fts) VALUES('integrity-check')"));
        };
        QVERIFY(
            exec(db, QStringLiteral("INSERT INTO cases (source, source_ref, title, search_pending) "
                                    "VALUES ('t', 'ref-1', 'quietword', 1)")));
        QCOMPARE(found(QStringLiteral("quietword")), qint64(0));
        QVERIFY(exec(db, QStringLiteral(
                             "UPDATE cases SET title = 'stillquiet' WHERE source_ref = 'ref-1'")));
        QCOMPARE(found(QStringLiteral("stillquiet")), qint64(0));
        QVERIFY(exec(
            db, QStringLiteral("UPDATE cases SET search_pending = 0 WHERE source_ref = 'ref-1'")));
        QCOMPARE(found(QStringLiteral("stillquiet")), qint64(1));
        QVERIFY(exec(
            db, QStringLiteral("UPDATE cases SET title = 'loudword' WHERE source_ref = 'ref-1'")));
        QCOMPARE(found(QStringLiteral("stillquiet")), qint64(0));
        QCOMPARE(found(QStringLiteral("loudword")), qint64(1));
        QVERIFY(intact());
        QVERIFY(exec(
            db, QStringLiteral("UPDATE cases SET search_pending = 1 WHERE source_ref = 'ref-1'")));
        QCOMPARE(found(QStringLiteral("loudword")), qint64(0));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM cases WHERE source_ref = 'ref-1'")));
        QVERIFY(intact());
        // A case written without the column (any writer but an import) is indexed at once.
        QVERIFY(exec(db, QStringLiteral("INSERT INTO cases (source, source_ref, title) "
                                        "VALUES ('t', 'ref-2', 'plainword')")));
        QCOMPARE(found(QStringLiteral("plainword")), qint64(1));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM cases WHERE source_ref = 'ref-2'")));
        QCOMPARE(found(QStringLiteral("plainword")), qint64(0));
        QVERIFY(intact());
    }

    // A store made before migration 017 (link tables with a rowid and immediate foreign keys)
    // is converted when opened: the same rows, the same answers, imports still idempotent, and
    // a dangling link still refused (at COMMIT now).
    void migration017KeepsLinks()
    {
        test::TempStore ts;
        const QString sample =
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json");
        auto first = ImportDispatcher(ts.store()).importFile(sample);
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().toString()));
        auto id = ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242"));
        QVERIFY(id.ok() && id.value() > 0);
        const QStringList before = linkAnswers(ts.store(), id.value());
        QVERIFY(before.filter(QStringLiteral("ci ")).size() > 10);
        QVERIFY(before.filter(QStringLiteral("ap ")).size() >= 4);
        auto conn = ts.store().connection();
        QVERIFY(conn.ok());
        QSqlDatabase db = conn.value();
        auto tableSql = [&db](const char *table) {
            QSqlQuery q(db);
            q.prepare(
                QStringLiteral("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?"));
            q.addBindValue(QString::fromLatin1(table));
            return q.exec() && q.next() ? q.value(0).toString() : QString();
        };
        QVERIFY(db.transaction());
        if (!ts.isPostgres()) {
            QVERIFY(tableSql("case_indicators").contains(QLatin1String("WITHOUT ROWID")));
            // Back to the tables as 001_init.sql made them.
            QVERIFY(exec(
                db,
                QStringLiteral(
                    "CREATE TABLE ci_old (case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE, "
                    "indicator_id BIGINT NOT NULL REFERENCES indicators(id), context TEXT NOT NULL, "
                    "as_written TEXT NOT NULL DEFAULT '', PRIMARY KEY (case_id, indicator_id, context))")));
            QVERIFY(exec(
                db,
                QStringLiteral(
                    "INSERT INTO ci_old SELECT case_id, indicator_id, context, as_written FROM case_indicators")));
            QVERIFY(exec(db, QStringLiteral("DROP TABLE case_indicators")));
            QVERIFY(exec(db, QStringLiteral("ALTER TABLE ci_old RENAME TO case_indicators")));
            QVERIFY(exec(
                db,
                QStringLiteral(
                    "CREATE INDEX case_indicators_indicator ON case_indicators(indicator_id)")));
            QVERIFY(exec(
                db,
                QStringLiteral(
                    "CREATE TABLE ap_old (alert_id BIGINT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE, "
                    "role TEXT NOT NULL, process_id BIGINT NOT NULL REFERENCES processes(id), "
                    "PRIMARY KEY (alert_id, role))")));
            QVERIFY(exec(
                db,
                QStringLiteral(
                    "INSERT INTO ap_old SELECT alert_id, role, process_id FROM alert_processes")));
            QVERIFY(exec(db, QStringLiteral("DROP TABLE alert_processes")));
            QVERIFY(exec(db, QStringLiteral("ALTER TABLE ap_old RENAME TO alert_processes")));
            QVERIFY(exec(
                db, QStringLiteral(
                        "CREATE INDEX alert_processes_process ON alert_processes(process_id)")));
        }
        QVERIFY(exec(db, QStringLiteral("DELETE FROM schema_migrations WHERE version = 17")));
        QVERIFY(db.commit());
        if (!ts.isPostgres()) {
            QVERIFY(!tableSql("case_indicators").contains(QLatin1String("WITHOUT ROWID")));
            QVERIFY(!tableSql("alert_processes").contains(QLatin1String("WITHOUT ROWID")));
        }
        QCOMPARE(linkAnswers(ts.store(), id.value()), before);

        // Opening the store again runs the migration.
        auto reopened = CaseStore::open(ts.store().location());
        QVERIFY2(reopened.ok(), reopened.ok() ? "" : qPrintable(reopened.error().toString()));
        QCOMPARE(reopened.value()->schemaVersion(), ts.store().schemaVersion());
        if (!ts.isPostgres()) {
            for (const char *table : {"case_indicators", "alert_processes"}) {
                QVERIFY2(tableSql(table).contains(QLatin1String("WITHOUT ROWID")), table);
                QVERIFY2(tableSql(table).contains(QLatin1String("DEFERRABLE INITIALLY DEFERRED")),
                         table);
            }
        }
        QCOMPARE(linkAnswers(*reopened.value(), id.value()), before);
        QCOMPARE(linkAnswers(ts.store(), id.value()), before);

        // Importing the same file again adds nothing.
        auto again = ImportDispatcher(*reopened.value()).importFile(sample);
        QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().toString()));
        QCOMPARE(again->alerts, qint64(0));
        QCOMPARE(again->skipped, first->alerts);
        QCOMPARE(linkAnswers(*reopened.value(), id.value()), before);

        // A link to a case that does not exist still fails its transaction.
        QVERIFY(db.transaction());
        QSqlQuery dangling(db);
        const bool inserted = dangling.exec(
            QStringLiteral("INSERT INTO case_indicators (case_id, indicator_id, context) "
                           "SELECT 987654321, MIN(id), 'test' FROM indicators"));
        const bool committed = inserted && db.commit();
        if (!committed)
            db.rollback();
        QVERIFY(!committed);
        QCOMPARE(linkAnswers(ts.store(), id.value()), before);
    }

    // Many cases in one import: their aggregates and audit heads are written in batches of 128;
    // every case must still show its own alert and an intact chain with its recorded head.
    void manyCasesAggregatesAndHeads()
    {
        test::TempStore ts;
        QTemporaryDir dir;
        const QString path = dir.path() + QStringLiteral("/many.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        constexpr int kAlerts = 300;
        f.write("{\"reply\": {\"alerts\": [");
        for (int i = 0; i < kAlerts; ++i)
            f.write(
                QStringLiteral(
                    "%1{\"alert_id\": \"%2\", \"host_name\": \"host-%3\", \"user_name\": \"user-%2\", "
                    "\"severity\": \"%4\", \"name\": \"alert %2\"}")
                    .arg(i ? QStringLiteral(",") : QString())
                    .arg(i)
                    .arg(i % 7)
                    .arg(i % 2 ? QStringLiteral("high") : QStringLiteral("low"))
                    .toUtf8());
        f.write("]}}");
        f.close();
        auto r = ImportDispatcher(ts.store()).importFile(path);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->cases, qint64(kAlerts));
        auto conn = ts.store().connection();
        QVERIFY(conn.ok());
        QSqlDatabase db = conn.value();
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral(
            "SELECT c.id, c.alert_count, c.hosts, c.users, c.severity, a.host_name, a.user_name, a.severity "
            "FROM cases c JOIN alerts a ON a.case_id = c.id ORDER BY c.id")));
        int n = 0;
        while (q.next()) {
            QCOMPARE(q.value(1).toLongLong(), qint64(1));
            QCOMPARE(q.value(2).toString(), q.value(5).toString());
            QCOMPARE(q.value(3).toString(), q.value(6).toString());
            QCOMPARE(q.value(4).toInt(), q.value(7).toInt());
            auto v = audit::verify(db, q.value(0).toLongLong());
            QVERIFY(v.ok());
            QVERIFY2(v->intact && v->entries == 1 && v->headEntries == 1,
                     qPrintable(q.value(0).toString()));
            ++n;
        }
        QCOMPARE(n, kAlerts);
    }

    void failureMidDocumentRollsBack()
    {
        // Two good alerts then a bad one: nothing of the document may land.
        test::TempStore ts;
        QTemporaryDir dir;
        const QString path = dir.path() + QStringLiteral("/partial.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "{\"reply\": {\"incident\": {\"incident_id\": \"77\"}, \"alerts\": {\"data\": ["
            "{\"alert_id\": \"1\", \"host_name\": \"a\"}, {\"alert_id\": \"2\", \"host_name\": \"b\"}, "
            "{\"host_name\": \"no id\"}]}}}");
        f.close();
        ImportDispatcher importer(ts.store());
        auto r = importer.importFile(path);
        QVERIFY(!r.ok());
        QVERIFY(r.error().location.contains(QStringLiteral("alerts[2]")));
        QCOMPARE(stats(ts.store()).alerts, qint64(0));
        QCOMPARE(stats(ts.store()).cases, qint64(0));
    }

    // An import writes without SQLite's secure_delete (Debian's build zeroes every page a
    // B-tree split rebuilds) and gives the connection its setting back however it ends: the
    // connection later serves deletes (evidence, settings) whose content must not linger.
    void importRestoresSecureDelete()
    {
        test::TempStore ts;
        if (ts.isPostgres())
            QSKIP("secure_delete is SQLite's");
        auto conn = ts.store().connection();
        QVERIFY(conn.ok());
        QSqlDatabase db = conn.value();
        QVERIFY(exec(db, QStringLiteral("PRAGMA secure_delete=ON")));
        auto secureDelete = [&db] {
            QSqlQuery q(db);
            return q.exec(QStringLiteral("PRAGMA secure_delete")) && q.next() ? q.value(0).toInt()
                                                                              : -1;
        };
        QCOMPARE(secureDelete(), 1);
        {
            ImportSession session(ts.store());
            QVERIFY(session.begin().ok());
            QCOMPARE(secureDelete(), 0);
            session.rollback();
            QCOMPARE(secureDelete(), 1);
            QVERIFY(session.begin().ok());
            QCOMPARE(secureDelete(), 0);
            QVERIFY(session.commit(QStringLiteral("test")).ok());
            QCOMPARE(secureDelete(), 1);
            QVERIFY(session.begin().ok());
        } // destroyed while open: rolled back
        QCOMPARE(secureDelete(), 1);
        // Whole imports, good and bad, on the importer's own choice of threads.
        QTemporaryDir dir;
        const QString bad = dir.path() + QStringLiteral("/bad.json");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"reply\": {\"alerts\": [{\"alert_id\": \"1\", \"host_name\": \"a\"}, {]}}");
        f.close();
        QVERIFY(!ImportDispatcher(ts.store()).importFile(bad).ok());
        QCOMPARE(secureDelete(), 1);
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        QCOMPARE(secureDelete(), 1);
    }

    void fieldShapes_data()
    {
        QTest::addColumn<QByteArray>("alertJson");
        QTest::addColumn<QString>("hostIp");
        QTest::addColumn<int>("tactics");
        QTest::newRow("host_ip as 'a, b' string")
            << QByteArray(
                   "\"host_ip\": \"10.0.0.1, 10.0.0.2\", \"mitre_tactic_id_and_name\": \"TA0002 - Execution\"")
            << "10.0.0.1, 10.0.0.2" << 1;
        QTest::newRow("host_ip_list array, MITRE array")
            << QByteArray(
                   "\"host_ip_list\": [\"10.0.0.3\"], \"mitre_tactic_id_and_name\": [\"TA0002 - Execution\", \"TA0008 - Lateral Movement\"]")
            << "10.0.0.3" << 2;
        QTest::newRow("nulls everywhere")
            << QByteArray(
                   "\"host_ip\": null, \"mitre_tactic_id_and_name\": null, \"severity\": null")
            << "" << 0;
        QTest::newRow("numbers as strings")
            << QByteArray("\"host_ip\": \"10.0.0.4\", \"detection_timestamp\": \"1700000000000\"")
            << "10.0.0.4" << 0;
        // A key written twice keeps its last value, on simdjson's path and on nlohmann's (which
        // takes the alerts simdjson refuses, such as an integer past 64 bits).
        QTest::newRow("a key twice")
            << QByteArray("\"host_ip\": \"10.0.0.8\", \"host_ip\": \"10.0.0.9\"") << "10.0.0.9"
            << 0;
        QTest::newRow("a key twice, nlohmann's path")
            << QByteArray(
                   "\"big\": 18446744073709551616, \"host_ip\": \"10.0.0.8\", \"host_ip\": \"10.0.0.9\"")
            << "10.0.0.9" << 0;
        // More keys than the reused index holds: it grows within the alert, and the second
        // host_ip replaces the first after the move.
        QByteArray many = "\"host_ip\": \"10.0.0.10\"";
        for (int i = 0; i < 700; ++i)
            many += ", \"extra_" + QByteArray::number(i) + "\": " + QByteArray::number(i);
        many +=
            ", \"host_ip\": \"10.0.0.11\", \"mitre_tactic_id_and_name\": \"TA0002 - Execution\"";
        QTest::newRow("700 more keys, a key twice") << many << "10.0.0.11" << 1;
    }
    void fieldShapes()
    {
        QFETCH(QByteArray, alertJson);
        QFETCH(QString, hostIp);
        QFETCH(int, tactics);
        test::TempStore ts;
        QTemporaryDir dir;
        const QString path = dir.path() + QStringLiteral("/shape.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "{\"reply\": {\"incident\": {\"incident_id\": \"5\"}, \"alerts\": {\"data\": [{\"alert_id\": \"9\", " +
            alertJson + "}]}}}");
        f.close();
        ImportDispatcher importer(ts.store());
        auto r = importer.importFile(path);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        auto alerts = ts.store().alertsOfCase(
            ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("5")).value());
        QVERIFY(alerts.ok());
        QCOMPARE(alerts->front().alert.hostIp, hostIp);
        QCOMPARE(int(alerts->front().alert.mitreTactics.size()), tactics);
    }
};

QTEST_GUILESS_MAIN(TestXdrImport)
#include "tst_xdrimport.moc"
