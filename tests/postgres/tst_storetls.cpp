// PostgreSQL store URLs keep their query (issue 18): sslmode, sslrootcert and the other libpq
// parameters reach the connection, unknown ones are refused, and sslmode=verify-full against a
// server without TLS fails with a clear error instead of falling back to plain text.
#include "store/casestore.h"
#include "testutils.h"

#include <QSqlQuery>

using namespace causa;

class TestStoreTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void queryIsParsed_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("options"); // connect options, or "error: part"
        QTest::newRow("no query") << "postgresql://ana@db.example:5432/causa"
                                  << "connect_timeout=10";
        QTest::newRow("sslmode") << "postgresql://ana@db.example/causa?sslmode=verify-full"
                                 << "connect_timeout=10;sslmode='verify-full'";
        QTest::newRow("root cert with space")
            << "postgresql://ana@db.example/causa?sslmode=verify-ca&sslrootcert=/etc/causa/team%20ca.pem"
            << "connect_timeout=10;sslmode='verify-ca';sslrootcert='/etc/causa/team ca.pem'";
        QTest::newRow("quote escaped") << "postgresql://ana@db.example/causa?application_name=it's"
                                       << "connect_timeout=10;application_name='it\\'s'";
        QTest::newRow("own timeout") << "postgresql://ana@db.example/causa?connect_timeout=3"
                                     << "connect_timeout='3'";
        QTest::newRow("unknown parameter") << "postgresql://ana@db.example/causa?host=evil.example"
                                           << "error: unknown PostgreSQL URL parameter";
        QTest::newRow("misspelt sslmode value")
            << "postgresql://ana@db.example/causa?sslmode=verify_full"
            << "error: sslmode must be one of";
        QTest::newRow("semicolon smuggling")
            << "postgresql://ana@db.example/causa?sslmode=disable%3Bhost%3Devil"
            << "error: may not contain ';'";
        QTest::newRow("semicolon in a path")
            << "postgresql://ana@db.example/causa?sslrootcert=/a%3Bhost%3Devil"
            << "error: may not contain ';'";
    }
    void queryIsParsed()
    {
        QFETCH(QString, url);
        QFETCH(QString, options);
        auto loc = StoreLocation::parse(url);
        if (options.startsWith(QLatin1String("error: "))) {
            QVERIFY(!loc.ok());
            QVERIFY2(loc.error().message.contains(options.mid(7)), qPrintable(loc.error().message));
            return;
        }
        QVERIFY2(loc.ok(), qPrintable(loc.ok() ? QString() : loc.error().toString()));
        QCOMPARE(loc->connectOptions(), options);
        // The printable form keeps the query (without any password) so errors name it.
        if (url.contains(QLatin1Char('?')))
            QVERIFY2(loc->display().contains(QLatin1Char('?')), qPrintable(loc->display()));
    }

    void optionsReachTheServer()
    {
        test::TempStore ts;
        if (!ts.isPostgres())
            QSKIP("needs the PostgreSQL fixture (runs as tst_storetls_pg)");
        const QString url = ts.cliArgs().value(1) +
                            QStringLiteral("?sslmode=disable&application_name=causa%20trust's");
        auto loc = StoreLocation::parse(url);
        QVERIFY(loc.ok());
        auto store = CaseStore::open(loc.value());
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        QSqlQuery q(store.value()->connection().value());
        QVERIFY(q.exec(QStringLiteral("SHOW application_name")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("causa trust's"));
        QVERIFY(
            q.exec(QStringLiteral("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) &&
            q.next());
        QCOMPARE(q.value(0).toBool(), false);
    }

    void tlsRequiredButNotOffered_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("require") << "require";
        QTest::newRow("verify-ca") << "verify-ca";
        QTest::newRow("verify-full") << "verify-full";
    }
    void tlsRequiredButNotOffered()
    {
        QFETCH(QString, mode);
        const QString server = test::postgresServerUrl();
        if (server.isEmpty())
            QSKIP("needs the PostgreSQL fixture (runs as tst_storetls_pg)");
        // The fixture server has no certificate: a URL that requires TLS must not connect.
        auto loc = StoreLocation::parse(server + QStringLiteral("?sslmode=") + mode);
        QVERIFY(loc.ok());
        auto store = CaseStore::open(loc.value());
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, QStringLiteral("store-tls"));
        QVERIFY2(store.error().message.contains(QStringLiteral("requires TLS (sslmode=") + mode),
                 qPrintable(store.error().message));
    }
};

QTEST_GUILESS_MAIN(TestStoreTls)
#include "tst_storetls.moc"
