// causa-cli tenant add|list|test|remove and pull against the fake tenant on loopback.
#include "testutils.h"
#include "xdrtestutil.h"

#include <QSqlQuery>
#include <QTemporaryDir>

using namespace causa;
using nlohmann::json;
using test::XdrTenantServer;

namespace {
const QString kKeyId = QStringLiteral("31");
const QString kKey = QStringLiteral("cli-SECRET-key-0b1c2d3e4f");
} // namespace

class TestCliPull : public QObject
{
    Q_OBJECT

private:
    static QString both(const test::CliResult &r) { return QString::fromUtf8(r.out + r.err); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_secrets.isValid());
        test::useFileSecrets(m_secrets.path());
    }

    void tenantLifecycleAndPull()
    {
        XdrTenantServer server(kKeyId, kKey, true);
        server.addIncident(QStringLiteral("7001"),
                           test::readFixture(QStringLiteral("xdr/incident-7001.json")));
        test::addSyntheticAlerts(server, QStringLiteral("LAB-WS-7"), 1005, 1795100000000 - 3600000,
                                 3000, 100000);
        test::TempStore ts;
        const QStringList db = ts.cliArgs();

        // The key comes from stdin, never argv.
        auto add = test::runCli(
            db + QStringList{QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("lab"),
                             QStringLiteral("--url"), server.baseUrl(), QStringLiteral("--key-id"),
                             kKeyId, QStringLiteral("--key-type"), QStringLiteral("advanced"),
                             QStringLiteral("--key-stdin"), QStringLiteral("--timeout"),
                             QStringLiteral("5")},
            kKey.toUtf8() + "\n");
        QVERIFY2(add.exitCode == 0, qPrintable(both(add)));
        QVERIFY(!both(add).contains(kKey));
        auto dup = test::runCli(db + QStringList{QStringLiteral("tenant"), QStringLiteral("add"),
                                                 QStringLiteral("lab"), QStringLiteral("--url"),
                                                 server.baseUrl(), QStringLiteral("--key-id"),
                                                 kKeyId, QStringLiteral("--key-stdin")},
                                "x\n");
        QCOMPARE(dup.exitCode, 1);

        auto list = test::runCli(db + QStringList{QStringLiteral("tenant"), QStringLiteral("list"),
                                                  QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(!list.out.contains(kKey.toUtf8()));
        const json tenants = json::parse(list.out.toStdString());
        QCOMPARE(tenants.size(), size_t(1));
        QCOMPARE(tenants[0]["name"].get<std::string>(), std::string("lab"));
        QCOMPARE(tenants[0]["key_type"].get<std::string>(), std::string("advanced"));
        QCOMPARE(tenants[0]["key_stored"].get<bool>(), true);
        QCOMPARE(tenants[0]["timeout_ms"].get<int>(), 5000);

        auto ok = test::runCli(db + QStringList{QStringLiteral("tenant"), QStringLiteral("test"),
                                                QStringLiteral("lab")});
        QVERIFY2(ok.exitCode == 0, qPrintable(both(ok)));
        QVERIFY(ok.out.startsWith("OK"));

        auto pull =
            test::runCli(db + QStringList{QStringLiteral("pull"), QStringLiteral("7001"),
                                          QStringLiteral("--related"), QStringLiteral("--tenant"),
                                          QStringLiteral("lab"), QStringLiteral("--json")});
        QVERIFY2(pull.exitCode == 0, qPrintable(both(pull)));
        const json p = json::parse(pull.out.toStdString());
        QCOMPARE(p["alerts"].get<qint64>(), qint64(1007));
        QCOMPARE(p["related_alerts_fetched"].get<qint64>(), qint64(1005));
        QVERIFY2(server.violations().isEmpty(),
                 qPrintable(server.violations().join(QLatin1Char('\n'))));
        QVERIFY(!both(pull).contains(kKey));

        auto stats =
            test::runCli(db + QStringList{QStringLiteral("stats"), QStringLiteral("--json")});
        QCOMPARE(json::parse(stats.out.toStdString())["alerts"].get<qint64>(), qint64(1007));
        // The only tenant is used without --tenant; the second pull adds nothing.
        auto again = test::runCli(db + QStringList{QStringLiteral("pull"), QStringLiteral("7001"),
                                                   QStringLiteral("--json")});
        QVERIFY2(again.exitCode == 0, qPrintable(both(again)));
        QCOMPARE(json::parse(again.out.toStdString())["alerts"].get<qint64>(), qint64(0));

        // 401: a wrong key is reported as such, by test and by pull, and changes nothing.
        auto edit = test::runCli(
            db + QStringList{QStringLiteral("tenant"), QStringLiteral("edit"),
                             QStringLiteral("lab"), QStringLiteral("--url"), server.baseUrl(),
                             QStringLiteral("--key-id"), kKeyId, QStringLiteral("--key-type"),
                             QStringLiteral("advanced"), QStringLiteral("--key-stdin")},
            "wrong-key\n");
        QVERIFY2(edit.exitCode == 0, qPrintable(both(edit)));
        auto unauthorized =
            test::runCli(db + QStringList{QStringLiteral("tenant"), QStringLiteral("test"),
                                          QStringLiteral("lab")});
        QCOMPARE(unauthorized.exitCode, 3);
        QVERIFY2(unauthorized.out.startsWith("UNAUTHORIZED") && unauthorized.out.contains("401"),
                 unauthorized.out.constData());
        auto pull401 =
            test::runCli(db + QStringList{QStringLiteral("pull"), QStringLiteral("7002")});
        QCOMPARE(pull401.exitCode, 3);
        QVERIFY(pull401.err.contains("401"));

        // Unreachable.
        auto moved = test::runCli(db + QStringList{QStringLiteral("tenant"), QStringLiteral("edit"),
                                                   QStringLiteral("lab"), QStringLiteral("--url"),
                                                   QStringLiteral("http://127.0.0.1:1"),
                                                   QStringLiteral("--key-id"), kKeyId});
        QVERIFY2(moved.exitCode == 0, qPrintable(both(moved)));
        auto unreachable =
            test::runCli(db + QStringList{QStringLiteral("tenant"), QStringLiteral("test"),
                                          QStringLiteral("lab")});
        QCOMPARE(unreachable.exitCode, 3);
        QVERIFY2(unreachable.out.startsWith("UNREACHABLE"), unreachable.out.constData());

        auto rm = test::runCli(db + QStringList{QStringLiteral("tenant"), QStringLiteral("remove"),
                                                QStringLiteral("lab")});
        QCOMPARE(rm.exitCode, 0);
        auto none = test::runCli(db + QStringList{QStringLiteral("pull"), QStringLiteral("7001")});
        QCOMPARE(none.exitCode, 3);
        QVERIFY(none.err.contains("no tenant"));
        auto usage = test::runCli(db + QStringList{QStringLiteral("pull")});
        QCOMPARE(usage.exitCode, 2);
    }

    // Issue 18: a colleague's causa-cli sends no key to a shared tenant until they confirm it,
    // and a tenant pointed elsewhere in the store receives nothing.
    void pullNeedsTheAnalystsConfirmation()
    {
        XdrTenantServer server(kKeyId, kKey, true);
        server.addIncident(QStringLiteral("7001"),
                           test::readFixture(QStringLiteral("xdr/incident-7001.json")));
        XdrTenantServer rogue(kKeyId, kKey, true);
        rogue.addIncident(QStringLiteral("7001"),
                          test::readFixture(QStringLiteral("xdr/incident-7001.json")));
        test::TempStore ts;
        const QStringList db = ts.cliArgs();
        auto add = test::runCli(
            db + QStringList{QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("lab"),
                             QStringLiteral("--url"), server.baseUrl(), QStringLiteral("--key-id"),
                             kKeyId, QStringLiteral("--key-type"), QStringLiteral("advanced"),
                             QStringLiteral("--key-stdin"), QStringLiteral("--timeout"),
                             QStringLiteral("5")},
            kKey.toUtf8() + "\n");
        QVERIFY2(add.exitCode == 0, qPrintable(both(add)));

        const QByteArray ownPins = qgetenv("CAUSA_TENANT_PINS_FILE");
        qputenv("CAUSA_TENANT_PINS_FILE",
                QString(m_secrets.path() + QStringLiteral("/colleague-pins.json")).toUtf8());
        auto refused =
            test::runCli(db + QStringList{QStringLiteral("pull"), QStringLiteral("7001")});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("not confirmed") &&
                     refused.err.contains("tenant confirm lab"),
                 refused.err.constData());
        QCOMPARE(server.http().requestCount(), 0);
        auto list = test::runCli(db + QStringList{QStringLiteral("tenant"), QStringLiteral("list"),
                                                  QStringLiteral("--json")});
        QCOMPARE(json::parse(list.out.toStdString())[0]["confirmed_by_you"].get<bool>(), false);
        auto confirm =
            test::runCli(db + QStringList{QStringLiteral("tenant"), QStringLiteral("confirm"),
                                          QStringLiteral("lab")});
        QVERIFY2(confirm.exitCode == 0 && confirm.out.contains(server.baseUrl().toUtf8()),
                 qPrintable(both(confirm)));
        auto pulled =
            test::runCli(db + QStringList{QStringLiteral("pull"), QStringLiteral("7001")});
        QVERIFY2(pulled.exitCode == 0, qPrintable(both(pulled)));
        QVERIFY(server.http().requestCount() > 0);

        // Someone with write access to the store points the tenant at another server.
        {
            auto conn = ts.store().connection().value();
            QSqlQuery q(conn);
            q.prepare(QStringLiteral(
                "UPDATE settings SET value = replace(value, ?, ?) WHERE key = 'xdr.tenant.lab'"));
            q.addBindValue(server.baseUrl());
            q.addBindValue(rogue.baseUrl());
            QVERIFY(q.exec() && q.numRowsAffected() == 1);
        }
        auto moved = test::runCli(db + QStringList{QStringLiteral("pull"), QStringLiteral("7001")});
        QCOMPARE(moved.exitCode, 3);
        QVERIFY2(moved.err.contains("changed since you confirmed") &&
                     moved.err.contains(rogue.baseUrl().toUtf8()),
                 moved.err.constData());
        QCOMPARE(rogue.http().requestCount(), 0);
        qputenv("CAUSA_TENANT_PINS_FILE", ownPins);
    }

private:
    QTemporaryDir m_secrets;
};

QTEST_GUILESS_MAIN(TestCliPull)
#include "tst_cli_pull.moc"
