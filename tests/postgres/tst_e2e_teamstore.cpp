// Import -> assignment -> playbook run -> approvals -> report, end to end through causa-cli on one
// store (issue 9 "must show"). tst_e2e_teamstore_pg runs it against the PostgreSQL test server;
// the plain run does the same on SQLite, so both backends give the same answers.
#include "teamtestutil.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

using namespace causa;
using nlohmann::json;

namespace {

json parse(const QByteArray &bytes)
{
    return json::parse(bytes.toStdString(), nullptr, false);
}

} // namespace

class TestE2eTeamStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("CAUSA_EXPORT_KEY", "e2e-test-export-key-0123456789");
        qputenv("CAUSA_EXPORT_DIR", (m_dir.path() + QStringLiteral("/exports")).toUtf8());
        qputenv("CAUSA_CONNECTOR", "export");
        qputenv("CAUSA_OFFLINE", "1");
    }

    void importRunApproveReport()
    {
        test::TempStore ts;
        auto cli = [&](const QStringList &args) { return test::runCli(ts.cliArgs() + args); };
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        auto r = cli({QStringLiteral("import"), QStringLiteral("--json"),
                      samples + QStringLiteral("fin-ws-042-incident.json"),
                      samples + QStringLiteral("fin-ws-042-events.jsonl"),
                      samples + QStringLiteral("fin-ws-042-iocs.csv")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        json imported = parse(r.out);
        QCOMPARE(int(imported.size()), 3);
        QCOMPARE(imported[0]["alerts"].get<int>(), 2);
        QVERIFY(imported[1]["events"].get<int>() > 0);
        QVERIFY(imported[2]["intel"].get<int>() > 0);

        r = cli({QStringLiteral("assign"), QStringLiteral("xdr:4242"), QStringLiteral("alice"),
                 QStringLiteral("--by"), QStringLiteral("lead")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        r = cli({QStringLiteral("run"), QStringLiteral("xdr:4242"), QStringLiteral("--json"),
                 QStringLiteral("--by"), QStringLiteral("alice")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        json view = parse(r.out);
        QVERIFY(!view.is_discarded());
        QCOMPARE(QString::fromStdString(view["run"]["state"].get<std::string>()),
                 QStringLiteral("awaiting_approval"));

        r = cli({QStringLiteral("actions"), QStringLiteral("xdr:4242"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        json actions = parse(r.out);
        int awaiting = 0;
        for (const json &a : actions) {
            if (a["state"] != "awaiting_approval")
                continue;
            ++awaiting;
            const auto id = QString::number(a["id"].get<qint64>());
            r = cli({QStringLiteral("approve"), id, QStringLiteral("--by"), QStringLiteral("bob"),
                     QStringLiteral("--note"), QStringLiteral("second analyst")});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        QVERIFY2(awaiting >= 2,
                 "containment and remediation both propose actions on the sample case");
        r = cli({QStringLiteral("run"), QStringLiteral("xdr:4242"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        view = parse(r.out);
        // Stage 7 proposes; the analyst closes the case.
        QCOMPARE(QString::fromStdString(view["run"]["state"].get<std::string>()),
                 QStringLiteral("awaiting_decision"));
        r = cli({QStringLiteral("close"), QStringLiteral("xdr:4242"),
                 QStringLiteral("--resolution"), QStringLiteral("true_positive"),
                 QStringLiteral("--note"), QStringLiteral("confirmed"), QStringLiteral("--by"),
                 QStringLiteral("bob")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = cli({QStringLiteral("cases"), QStringLiteral("--json")});
        QCOMPARE(QString::fromStdString(parse(r.out)[0]["status"].get<std::string>()),
                 QStringLiteral("closed"));

        const QString out =
            m_dir.path() + (ts.isPostgres() ? QStringLiteral("/pg") : QStringLiteral("/sqlite"));
        r = cli({QStringLiteral("report"), QStringLiteral("xdr:4242"), QStringLiteral("--json"),
                 out + QStringLiteral(".json"), QStringLiteral("--html"),
                 out + QStringLiteral(".html"), QStringLiteral("--pdf"),
                 out + QStringLiteral(".pdf")});
        const bool pdfBuilt = r.exitCode == 0;
        if (!pdfBuilt) { // a causa-cli built without the GUI libraries cannot paint PDF
            QVERIFY2(r.err.contains("cannot paint PDF"), r.err.constData());
            r = cli({QStringLiteral("report"), QStringLiteral("xdr:4242"), QStringLiteral("--json"),
                     out + QStringLiteral(".json"), QStringLiteral("--html"),
                     out + QStringLiteral(".html")});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        QFile f(out + QStringLiteral(".json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const json report = parse(f.readAll());
        QVERIFY(!report.is_discarded());
        QCOMPARE(QString::fromStdString(report["case"]["source_ref"].get<std::string>()),
                 QStringLiteral("4242"));
        QCOMPARE(QString::fromStdString(report["case"]["assignee"].get<std::string>()),
                 QStringLiteral("alice"));
        QCOMPARE(QString::fromStdString(report["case"]["severity"].get<std::string>()),
                 QStringLiteral("high"));
        QCOMPARE(int(report["alerts"].size()), 2);
        QVERIFY(report["indicators"].size() > 0);
        int succeeded = 0;
        for (const json &a : report["actions"]) {
            if (a["state"] == "succeeded")
                ++succeeded;
        }
        QCOMPARE(succeeded, awaiting);
        QVERIFY(report["audit"]["intact"].get<bool>());

        r = cli(
            {QStringLiteral("verify-audit"), QStringLiteral("xdr:4242"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const json chain = parse(r.out);
        QVERIFY(chain["intact"].get<bool>());
        // The report carries the chain head that verify-audit computes from the store.
        QVERIFY(report["audit"]["head"] == chain["head"]);

        QFile html(out + QStringLiteral(".html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(html.readAll().contains("FIN-WS-042"));
        if (pdfBuilt) {
            const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
            if (pdftotext.isEmpty())
                QSKIP(
                    "pdftotext (poppler-utils) is not installed: the PDF was written but not read back");
            QProcess p;
            p.start(pdftotext, {out + QStringLiteral(".pdf"), QStringLiteral("-")});
            QVERIFY(p.waitForFinished(60000));
            const QByteArray text = p.readAllStandardOutput();
            QVERIFY(text.contains("FIN-WS-042"));
            QVERIFY(text.contains("TLP:"));
            QVERIFY(text.contains(chain["head"].get<std::string>().substr(0, 16).c_str()));
        }
    }
};

QTEST_GUILESS_MAIN(TestE2eTeamStore)
#include "tst_e2e_teamstore.moc"
