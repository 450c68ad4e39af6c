// Case store: schema, pragmas, reopen, per-thread connections, audit chain.
#include "import/importdispatcher.h"
#include "store/auditlog.h"
#include "store/sqlutil.h"
#include "testutils.h"

#include <QDir>
#include <QSqlError>
#include <QSqlQuery>
#include <QtConcurrent>

using namespace causa;

class TestCaseStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void opensWithWalAndForeignKeys()
    {
        test::TempStore ts;
        auto db = ts.store().connection();
        QVERIFY(db.ok());
        QSqlQuery q(db.value());
        if (!ts.isPostgres()) {
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
            QVERIFY(q.exec(QStringLiteral("PRAGMA foreign_keys")) && q.next());
            QCOMPARE(q.value(0).toInt(), 1);
        } else {
            QVERIFY(q.exec(QStringLiteral("SELECT version()")) && q.next());
            QVERIFY(q.value(0).toString().contains(QStringLiteral("PostgreSQL")));
        }
        // The newest migration shipped in resources/schema is applied.
        int newest = 0;
        for (const QString &f :
             QDir(QStringLiteral(":/causa/schema")).entryList({QStringLiteral("*.sql")}))
            newest = std::max(newest, f.left(3).toInt());
        QVERIFY(newest >= 1);
        QCOMPARE(ts.store().schemaVersion(), newest);
        for (const char *table :
             {"cases", "alerts", "endpoints", "processes", "events", "indicators", "enrichments",
              "playbook_runs", "stage_states", "actions", "approvals", "evidence", "notes",
              "audit_log", "intel_entries", "analysis_patterns"}) {
            QVERIFY2(q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table))),
                     table);
        }
    }

    void reopenKeepsDataAndDoesNotRemigrate()
    {
        if (!test::postgresServerUrl().isEmpty())
            QSKIP(
                "reopening is exercised on SQLite files; the PostgreSQL run covers migrations on open");
        QTemporaryDir dir;
        StoreLocation loc;
        loc.path = dir.path() + QStringLiteral("/s.sqlite");
        int applied = 0;
        auto migrations = [](CaseStore &store) {
            QSqlQuery q(store.connection().value());
            return q.exec(QStringLiteral("SELECT COUNT(*) FROM schema_migrations")) && q.next()
                       ? q.value(0).toInt()
                       : -1;
        };
        {
            auto s = CaseStore::open(loc);
            QVERIFY(s.ok());
            QVERIFY(ImportDispatcher(*s.value())
                        .importFile(test::sourceDir() +
                                    QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                        .ok());
            applied = migrations(*s.value());
            QVERIFY(applied >= 1);
        }
        auto s = CaseStore::open(loc);
        QVERIFY(s.ok());
        QCOMPARE(s.value()->stats()->alerts, qint64(2));
        QCOMPARE(migrations(*s.value()), applied);
    }

    void unwritableLocationIsAnError()
    {
        StoreLocation loc;
        loc.path = QStringLiteral("/proc/causa-cannot-be-here/cases.sqlite");
        auto s = CaseStore::open(loc);
        QVERIFY(!s.ok());
        QVERIFY(!s.error().message.isEmpty());
    }

    void storeUrlParsing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<QString>("display");
        QTest::newRow("file path") << "/tmp/x.sqlite" << false << "/tmp/x.sqlite";
        QTest::newRow("postgres url")
            << "postgresql://ana@db.local:5433/soc" << true << "postgresql://ana@db.local:5433/soc";
        QTest::newRow("password never displayed")
            << "postgresql://ana:secret@h/soc" << true << "postgresql://ana@h:5432/soc";
    }
    void storeUrlParsing()
    {
        QFETCH(QString, text);
        QFETCH(bool, postgres);
        QFETCH(QString, display);
        auto loc = StoreLocation::parse(text);
        QVERIFY(loc.ok());
        QCOMPARE(loc->kind == StoreLocation::Kind::Postgres, postgres);
        QCOMPARE(loc->display(), display);
    }

    void caseQueueSearchAndSort_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("expected");
        QTest::newRow("host prefix") << "fin-ws" << 1;
        QTest::newRow("two words, both must match") << "fin-ws svc_backup" << 1;
        QTest::newRow("incident id") << "4242" << 1;
        QTest::newRow("no match") << "nothing-like-this" << 0;
        QTest::newRow("quotes and operators are text") << "\"psexec\" OR * NEAR(" << 0;
        QTest::newRow("markup") << "<script>" << 0;
        QTest::newRow("empty") << "   " << 1;
    }
    void caseQueueSearchAndSort()
    {
        QFETCH(QString, text);
        QFETCH(int, expected);
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        CaseFilter f;
        f.text = text;
        auto n = ts.store().countCases(f);
        QVERIFY2(n.ok(), n.ok() ? "" : qPrintable(n.error().toString()));
        QCOMPARE(n.value(), qint64(expected));
        auto rows = ts.store().cases(f);
        QVERIFY(rows.ok());
        QCOMPARE(int(rows->size()), expected);
    }

    // Every plan the store picks for a filter (exact vocabulary terms checked per row, exact
    // terms collected, a prefix query over too many terms, a word no term starts with) returns
    // the same cases in the same order as the plain FTS5 prefix query, page by page.
    void searchPlansAgreeWithThePrefixQuery_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected"); // -1: whatever the prefix query counts
        QTest::newRow("word in every case, one term (row checks)") << "psexec" << qint64(8000);
        QTest::newRow("upper case") << "PSEXEC-LIKE" << qint64(8000);
        QTest::newRow("a third of the cases, one term (row checks)") << "closed" << qint64(-1);
        QTest::newRow("one letter, four terms in every case") << "c" << qint64(8000);
        QTest::newRow("one term, a seventh of the cases") << "user3" << qint64(-1);
        QTest::newRow("eleven terms, few cases") << "ws-4" << qint64(-1);
        QTest::newRow("two words") << "ws-4 closed" << qint64(-1);
        QTest::newRow("two common words") << "remote closed" << qint64(-1);
        QTest::newRow("forty terms (prefix query kept)") << "v" << qint64(8000);
        QTest::newRow("numbers, many terms") << "7" << qint64(-1);
        QTest::newRow("no term starts with it") << "zzz" << qint64(0);
        QTest::newRow("punctuation keeps the prefix query") << "C:\\x" << qint64(0);
        QTest::newRow("markup") << "<b>ws-4</b>" << qint64(0);
    }
    void searchPlansAgreeWithThePrefixQuery()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        if (!test::postgresServerUrl().isEmpty())
            QSKIP(
                "the FTS5 plans are SQLite's; PostgreSQL searches with ILIKE (caseQueueSearchAndSort)");
        test::TempStore ts;
        auto filled = ts.store().transaction([](QSqlDatabase &db) -> Result<void> {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000) "
                    "INSERT INTO cases (source, source_ref, title, severity, status, verdict, hosts, users, "
                    "alert_count, created_at, updated_at) "
                    "SELECT 'test', x, 'Remote PsExec-like LOLBIN command execution on WS-' || (x % 50) || ' case ' || x, "
                    "1 + (x % 5), CASE x % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'in_progress' ELSE 'closed' END, "
                    "'v' || (x % 40), 'WS-' || (x % 50), 'CORP\\user' || (x % 7), 1, 1790000000000 + (x % 977) * 1000, 0 FROM c")))
                return makeError(QStringLiteral("sql"), q.lastError().text());
            return {};
        });
        QVERIFY2(filled.ok(), filled.ok() ? "" : qPrintable(filled.error().toString()));
        QVERIFY(ts.store().optimizeSearchIndex().ok());

        // The oracle: the FTS5 prefix query over every word, ordered like the queue.
        auto db = ts.store().connection();
        QVERIFY(db.ok());
        QStringList words;
        for (QString w : text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts))
            words << QLatin1Char('"') + w.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                         QStringLiteral("\"*");
        QList<qint64> oracle;
        QSqlQuery q(db.value());
        q.prepare(QStringLiteral(
            "SELECT id FROM cases WHERE id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?) "
            "ORDER BY severity DESC, created_at DESC, id DESC"));
        q.bindValue(0, words.join(QLatin1Char(' ')));
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        while (q.next())
            oracle << q.value(0).toLongLong();
        if (expected >= 0)
            QCOMPARE(qint64(oracle.size()), expected);
        QVERIFY(expected != -1 || !oracle.isEmpty());

        CaseFilter f;
        f.text = text;
        auto n = ts.store().countCases(f);
        QVERIFY2(n.ok(), n.ok() ? "" : qPrintable(n.error().toString()));
        QCOMPARE(n.value(), qint64(oracle.size()));
        for (const bool known : {false, true}) {
            f.knownCount = known ? n.value() : -1;
            for (const int offset : {0, 200, 1900, 2600}) {
                f.limit = 200;
                f.offset = offset;
                auto page = ts.store().cases(f);
                QVERIFY2(page.ok(), page.ok() ? "" : qPrintable(page.error().toString()));
                const QList<qint64> want = oracle.mid(offset, 200);
                QList<qint64> got;
                for (const CaseSummary &c : page.value())
                    got << c.id;
                QCOMPARE(got, want);
            }
        }
    }

    // Bulk imports merge the search index (ImportSession commit); the merge keeps every match.
    void optimizedSearchIndexKeepsMatches()
    {
        test::TempStore ts; // on PostgreSQL the merge is a no-op and the search must still work
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        CaseFilter f;
        f.text = QStringLiteral("fin-ws");
        QCOMPARE(ts.store().countCases(f).value(), qint64(1));
        QVERIFY(ts.store().optimizeSearchIndex().ok());
        QVERIFY(ts.store().optimizeSearchIndex().ok());
        QCOMPARE(ts.store().countCases(f).value(), qint64(1));
        QCOMPARE(ts.store().cases(f).value().size(), size_t(1));
    }

    void caseQueuePagesInOrder()
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
        QVERIFY(importer
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        CaseFilter f;
        f.sortKey = QStringLiteral("alert_count");
        f.descending = false;
        auto all = ts.store().cases(f);
        QVERIFY(all.ok());
        QCOMPARE(all->size(), size_t(4));
        for (size_t i = 1; i < all->size(); ++i)
            QVERIFY((*all)[i - 1].alertCount <= (*all)[i].alertCount);
        f.limit = 2;
        f.offset = 2;
        auto page = ts.store().cases(f);
        QVERIFY(page.ok());
        QCOMPARE(page->size(), size_t(2));
        QCOMPARE(page->front().id, (*all)[2].id);
        // not a column: falls back to severity
        f.sortKey = QStringLiteral("alert_count; DROP TABLE cases");
        QVERIFY(ts.store().cases(f).ok());
        QCOMPARE(ts.store().countCases({}).value(), qint64(4));
    }

    void readersOnOtherThreads()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        CaseStore *store = &ts.store();
        QList<int> inputs{1, 2, 3, 4};
        const QList<qint64> counts = QtConcurrent::blockingMapped(inputs, [store](int) {
            auto s = store->stats();
            return s.ok() ? s->alerts : qint64(-1);
        });
        for (qint64 c : counts)
            QCOMPARE(c, qint64(2));
    }

    void auditChainDetectsTampering_data()
    {
        QTest::addColumn<QString>("tamper");
        QTest::newRow("edited payload")
            << "UPDATE audit_log SET payload = '{\"x\":1}' WHERE seq = 2";
        QTest::newRow("edited actor") << "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1";
        QTest::newRow("deleted middle entry") << "DELETE FROM audit_log WHERE seq = 2";
        QTest::newRow("rehashed entry without its successor")
            << "UPDATE audit_log SET hash = 'ab' WHERE seq = 1";
    }
    void auditChainDetectsTampering()
    {
        QFETCH(QString, tamper);
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        const qint64 caseId =
            ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
        QVERIFY(ts.store()
                    .transaction([&](QSqlDatabase &db) -> Result<void> {
                        for (int i = 0; i < 3; ++i) {
                            auto e = audit::append(db, caseId, QStringLiteral("ana"),
                                                   QStringLiteral("note"),
                                                   QStringLiteral("{\"n\":%1}").arg(i));
                            if (!e)
                                return e.error();
                        }
                        return {};
                    })
                    .ok());
        auto db = ts.store().connection().value();
        auto ok = audit::verify(db, caseId);
        QVERIFY(ok.ok() && ok->intact);
        QCOMPARE(ok->entries, qint64(4));
        QVERIFY(test::dropAuditGuards(db));
        QSqlQuery q(db);
        QVERIFY(q.exec(tamper));
        auto broken = audit::verify(db, caseId);
        QVERIFY(broken.ok());
        QVERIFY(!broken->intact);
        QVERIFY(!broken->problem.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCaseStore)
#include "tst_casestore.moc"
