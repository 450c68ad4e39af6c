// Export connector: signed action plan and a PowerShell script in which no untrusted value can
// break out of its quotes.
#include "connectors/exportconnector.h"
#include "testasserts.h"
#include "testutils.h"

#include <QFile>

using namespace causa;
using nlohmann::json;

// QCOMPARE cannot print nlohmann::json; compare as JSON and show both sides on failure.

namespace {

ActionRecord action(qint64 id, const QString &kind, json payload)
{
    ActionRecord a;
    a.id = id;
    a.caseId = 3;
    a.kind = kind;
    a.target = QStringLiteral("target");
    a.payload = std::move(payload);
    a.idempotencyKey = QStringLiteral("key-%1").arg(id);
    a.approvals.push_back(
        {QStringLiteral("alice"), QStringLiteral("approve"), QStringLiteral("ok"), 1, {}});
    return a;
}

const QByteArray kKey("export-test-key-0123456789");

} // namespace

class TestExportConnector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quoting_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("quoted");
        QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("'abc'");
        QTest::newRow("single quote") << QStringLiteral("a'b") << QStringLiteral("'a''b'");
        QTest::newRow("typographic quotes") << QString::fromUtf8("a\u2019b\u2018c")
                                            << QString::fromUtf8("'a\u2019\u2019b\u2018\u2018c'");
        QTest::newRow("variables stay literal")
            << QStringLiteral("$env:x $(calc)") << QStringLiteral("'$env:x $(calc)'");
    }
    void quoting()
    {
        QFETCH(QString, value);
        QFETCH(QString, quoted);
        QCOMPARE(ExportConnector::psQuote(value), quoted);
    }

    void hostileValuesAreRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("domain with quote")
            << QStringLiteral("block_domain")
            << QByteArray("{\"domain\":\"evil.com'; Remove-Item C:\\\\ -Recurse; '\"}");
        QTest::newRow("domain with newline")
            << QStringLiteral("block_domain")
            << QByteArray("{\"domain\":\"evil.com\\nStop-Computer\"}");
        QTest::newRow("not an ip")
            << QStringLiteral("block_ip") << QByteArray("{\"ip\":\"1.2.3.4; calc\"}");
        QTest::newRow("url with space")
            << QStringLiteral("block_url") << QByteArray("{\"url\":\"http://a.example/x y\"}");
        QTest::newRow("url javascript")
            << QStringLiteral("block_url") << QByteArray("{\"url\":\"javascript:alert(1)\"}");
        QTest::newRow("hash too short")
            << QStringLiteral("block_hash") << QByteArray("{\"sha256\":\"abc\"}");
        QTest::newRow("user with subexpression")
            << QStringLiteral("disable_user") << QByteArray("{\"user\":\"bob$(calc)\"}");
        QTest::newRow("host with quote")
            << QStringLiteral("terminate_process") << QByteArray("{\"host\":\"h'x\",\"pid\":5}");
        QTest::newRow("pid missing")
            << QStringLiteral("terminate_process") << QByteArray("{\"host\":\"h\"}");
        QTest::newRow("nul byte") << QStringLiteral("block_domain")
                                  << QByteArray("{\"domain\":\"a\\u0000.com\"}");
    }
    void hostileValuesAreRefused()
    {
        QFETCH(QString, kind);
        QFETCH(QByteArray, payload);
        const ActionRecord a = action(1, kind, json::parse(payload.toStdString()));
        QVERIFY(!ExportConnector::scriptFor(a).ok());
        QTemporaryDir dir;
        ExportConnector c(dir.path(), kKey);
        const ConnectorOutcome out = c.execute(a);
        QVERIFY(!out.succeeded);
        QVERIFY(!QFile::exists(c.scriptPath(3)));
    }

    void planIsSignedAndScriptReviewed()
    {
        QTemporaryDir dir;
        ExportConnector c(dir.path(), kKey);
        QVERIFY(
            c.execute(action(1, QStringLiteral("block_hash"), {{"sha256", std::string(64, 'c')}}))
                .succeeded);
        QVERIFY(
            c.execute(action(2, QStringLiteral("block_ip"), {{"ip", "203.0.113.77"}})).succeeded);
        QVERIFY(c.execute(action(3, QStringLiteral("disable_user"), {{"user", "CORP\\svc_backup"}}))
                    .succeeded);
        QVERIFY(c.execute(action(4, QStringLiteral("terminate_process"),
                                 {{"host", "FIN-WS-042"}, {"pid", 6112}}))
                    .succeeded);
        // Exporting the same action again changes nothing.
        QVERIFY(
            c.execute(action(2, QStringLiteral("block_ip"), {{"ip", "203.0.113.77"}})).succeeded);
        QVERIFY(ExportConnector::verifyPlan(c.planPath(3), kKey));
        QVERIFY(!ExportConnector::verifyPlan(c.planPath(3), QByteArray("another-key-0123456789")));
        QFile plan(c.planPath(3));
        QVERIFY(plan.open(QIODevice::ReadOnly));
        const json p = json::parse(plan.readAll().toStdString());
        JCOMPARE(p["actions"].size(), size_t(4));
        JCOMPARE(p["actions"][0]["approvals"][0]["who"], json("alice"));
        QFile script(c.scriptPath(3));
        QVERIFY(script.open(QIODevice::ReadOnly));
        const QString ps = QString::fromUtf8(script.readAll());
        QVERIFY(ps.contains(QStringLiteral("param([switch]$Execute)")));
        QVERIFY(ps.contains(
            QStringLiteral("-Type 'FileSha256' -Value '%1'").arg(QString(64, QLatin1Char('c')))));
        QVERIFY(ps.contains(QStringLiteral("-Type 'IpAddress' -Value '203.0.113.77'")));
        QVERIFY(ps.contains(QStringLiteral("Disable-ADAccount -Identity 'svc_backup'")));
        QVERIFY(ps.contains(QStringLiteral(
            "Invoke-Command -ComputerName 'FIN-WS-042' -ScriptBlock { Stop-Process -Id 6112 -Force }")));

        // A tampered plan is detected and not extended.
        plan.close();
        QVERIFY(plan.open(QIODevice::Append));
        plan.write(" ");
        plan.close();
        QVERIFY(!ExportConnector::verifyPlan(c.planPath(3), kKey));
        QVERIFY(
            !c.execute(action(5, QStringLiteral("block_ip"), {{"ip", "198.51.100.1"}})).succeeded);
    }

    void previewShowsTheScriptLines()
    {
        ExportConnector c(QStringLiteral("/nonexistent"), kKey);
        auto p = c.preview(action(9, QStringLiteral("block_domain"), {{"domain", "evil.example"}}));
        QVERIFY(p.ok());
        QVERIFY(QString::fromStdString(p.value()["script_lines"].dump())
                    .contains(QStringLiteral("'DomainName' -Value 'evil.example'")));
    }
};

QTEST_GUILESS_MAIN(TestExportConnector)
#include "tst_exportconnector.moc"
