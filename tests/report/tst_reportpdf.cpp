// The PDF report read back with poppler's pdftotext/pdfinfo: sections, key values, page count,
// wrapping of a 30 KB command line, literal markup; and causa-cli report end to end (SPEC §10, §11).
#include "reportfixture.h"
#include "testutils.h"

#include "report/pdfreportwriter.h"
#include "report/reportcomposer.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>

using namespace causa;

namespace {

QString tool(const char *name)
{
    return QStandardPaths::findExecutable(QString::fromLatin1(name));
}

QByteArray runTool(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        return {};
    return p.readAllStandardOutput();
}

QString squash(QString s)
{
    s.remove(QRegularExpression(QStringLiteral("\\s+")));
    return s;
}

// Body text without the running header and footer lines, whitespace removed.
QString bodyText(const QString &layoutText)
{
    QStringList kept;
    for (const QString &line : layoutText.split(QLatin1Char('\n')))
        if (!line.contains(QLatin1String("TLP:")))
            kept << line;
    return squash(kept.join(QLatin1Char('\n')));
}

int pdfPages(const QString &pdf)
{
    const QString info = QString::fromUtf8(runTool(tool("pdfinfo"), {pdf}));
    const auto m = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(info);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

} // namespace

class TestReportPdf : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    ReportDocument report(test::TempStore &ts, qint64 id)
    {
        ReportOptions o;
        o.generatedAt = 1795080000000;
        auto data = loadReportData(ts.store(), id, o);
        if (!data)
            qFatal("%s", qPrintable(data.error().toString()));
        return composeReport(std::move(data).value());
    }

    QString writePdf(const ReportDocument &doc, const QString &name, QPageSize::PageSizeId size = QPageSize::A4,
                     int *pages = nullptr)
    {
        const QString path = m_dir.filePath(name);
        PdfReportOptions o;
        o.pageSize = size;
        auto r = PdfReportWriter(o).write(doc, path);
        if (!r)
            qWarning() << r.error().toString();
        if (pages && r)
            *pages = r->pages;
        return r ? path : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (tool("pdftotext").isEmpty() || tool("pdfinfo").isEmpty())
            QSKIP("poppler-utils (pdftotext, pdfinfo) is not installed");
        // CAUSA_TEST_KEEP=1 keeps the PDFs for looking at them (pdftoppm).
        if (qEnvironmentVariableIsSet("CAUSA_TEST_KEEP")) {
            m_dir.setAutoRemove(false);
            qInfo("PDFs kept in %s", qPrintable(m_dir.path()));
        }
    }

    void sampleCaseHasEverySectionAndKeyValue()
    {
        test::TempStore ts;
        const qint64 id = test::importSampleCase(ts.store());
        test::addInvestigationRecords(ts.store(), id);
        const ReportDocument doc = report(ts, id);
        int pages = 0;
        const QString pdf = writePdf(doc, QStringLiteral("sample.pdf"), QPageSize::A4, &pages);
        QVERIFY(!pdf.isEmpty());
        const QString text = QString::fromUtf8(runTool(tool("pdftotext"), {pdf, QStringLiteral("-")}));
        // Content-stream order keeps each wrapped table cell together (reading order may interleave
        // the lines of neighbouring cells).
        const QString flat = squash(QString::fromUtf8(runTool(tool("pdftotext"), {QStringLiteral("-raw"), pdf, QStringLiteral("-")})));
        QVERIFY(text.contains(QLatin1String("Contents")));
        for (const ReportSection &s : doc.sections()) {
            QVERIFY2(text.contains(s.heading), qPrintable(s.heading));
            QVERIFY2(text.count(s.heading) >= 2, qPrintable(s.heading)); // contents entry + heading
        }
        QVERIFY2(flat.contains(squash(doc.title())), qPrintable(doc.title()));
        QVERIFY(text.contains(QLatin1String("FIN-WS-042")));
        QVERIFY(text.contains(QLatin1String("TLP:AMBER")));
        for (const StoredAlert &a : doc.data().alerts)
            QVERIFY2(flat.contains(squash(a.alert.name)), qPrintable(a.alert.name));
        int hashes = 0;
        for (const CaseIndicator &i : doc.data().indicators) {
            QVERIFY2(flat.contains(squash(i.value)), qPrintable(i.value));
            hashes += i.type == QLatin1String("sha256") ? 1 : 0;
        }
        QVERIFY(hashes > 0);
        QVERIFY(flat.contains(doc.data().auditVerification.head));
        QVERIFY(flat.contains(squash(QStringLiteral("hash is on the feed")))); // approval note
        QVERIFY(flat.contains(QLatin1String("COMPLETED_SUCCESSFULLY")));       // execution result
        // Page count agrees with pdfinfo and every footer says "page N of M".
        QCOMPARE(pdfPages(pdf), pages);
        QVERIFY(pages >= 3);
        for (int n = 1; n <= pages; ++n)
            QVERIFY2(text.contains(QStringLiteral("page %1 of %2").arg(n).arg(pages)), qPrintable(QString::number(n)));
    }

    void longCommandLineWrapsWithoutCuts()
    {
        // 30 KB: long unbroken tokens (base64-like) and ordinary words, like a real -enc payload.
        QString line = QStringLiteral("powershell.exe -nop -w hidden -enc ");
        const QString alphabet = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
        QRandomGenerator rng(42);
        while (line.size() < 30 * 1024) {
            const int token = rng.bounded(2) ? 2000 + rng.bounded(3000) : 3 + rng.bounded(10);
            for (int i = 0; i < token; ++i)
                line += alphabet.at(rng.bounded(int(alphabet.size())));
            line += QLatin1Char(' ');
        }
        test::TempStore ts;
        const qint64 id = test::addCaseWithCommandLine(ts.store(), QStringLiteral("long"), line);
        int pages = 0;
        const QString pdf = writePdf(report(ts, id), QStringLiteral("long.pdf"), QPageSize::A4, &pages);
        QVERIFY(!pdf.isEmpty());
        QCOMPARE(pdfPages(pdf), pages);
        QVERIFY(pages >= 3); // 30 KB of monospace cannot fit on one body page
        const QString layout = QString::fromUtf8(runTool(tool("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")}));
        QVERIFY2(bodyText(layout).contains(squash(line)), "the command line is not complete and in order");
        // Nothing is drawn past the right margin: every word's box ends inside the page body.
        const QString bbox = QString::fromUtf8(runTool(tool("pdftotext"), {QStringLiteral("-bbox"), pdf, QStringLiteral("-")}));
        const auto pageW = QRegularExpression(QStringLiteral("<page width=\"([\\d.]+)\"")).match(bbox);
        QVERIFY(pageW.hasMatch());
        const double limit = pageW.captured(1).toDouble() - 16.0 / 25.4 * 72.0 + 2.0;
        static const QRegularExpression word(QStringLiteral("<word xMin=\"([\\d.]+)\" yMin=\"[\\d.]+\" xMax=\"([\\d.]+)\""));
        int words = 0;
        for (auto it = word.globalMatch(bbox); it.hasNext();) {
            const auto m = it.next();
            ++words;
            QVERIFY2(m.captured(2).toDouble() <= limit, qPrintable(m.captured(0)));
        }
        QVERIFY(words > 100);
    }

    void markupInDataIsShownLiterally()
    {
        test::TempStore ts;
        const qint64 id = test::addCaseWithCommandLine(ts.store(), QStringLiteral("markup"), test::hostileCommandLine());
        const QString pdf = writePdf(report(ts, id), QStringLiteral("markup.pdf"));
        QVERIFY(!pdf.isEmpty());
        const QString flat = squash(QString::fromUtf8(runTool(tool("pdftotext"), {pdf, QStringLiteral("-")})));
        QVERIFY2(flat.contains(squash(test::hostileCommandLine())), qPrintable(flat.left(2000)));
        QVERIFY(flat.contains(QLatin1String("<h1>pwned</h1>")));
        QVERIFY(flat.contains(QLatin1String("&lt;b&gt;")));
    }

    void letterPageSize()
    {
        test::TempStore ts;
        const qint64 id = test::importSampleCase(ts.store());
        const QString pdf = writePdf(report(ts, id), QStringLiteral("letter.pdf"), QPageSize::Letter);
        QVERIFY(!pdf.isEmpty());
        const QString info = QString::fromUtf8(runTool(tool("pdfinfo"), {pdf}));
        QVERIFY2(info.contains(QLatin1String("612 x 792 pts")), qPrintable(info));
    }

    void unwritablePathIsAnError()
    {
        test::TempStore ts;
        const qint64 id = test::importSampleCase(ts.store());
        auto r = PdfReportWriter().write(report(ts, id), QStringLiteral("/nonexistent-dir/x.pdf"));
        QVERIFY(!r.ok());
        QVERIFY(r.error().location.contains(QLatin1String("/nonexistent-dir/x.pdf")));
    }

    void cliWritesEveryFormat()
    {
        const QString db = m_dir.filePath(QStringLiteral("cli.sqlite"));
        auto r = test::runCli({QStringLiteral("--db"), db, QStringLiteral("import"),
                               test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString base = m_dir.filePath(QStringLiteral("cli-report"));
        // The test environment has no display (offscreen); the report command must not need one.
        r = test::runCli({QStringLiteral("--db"), db, QStringLiteral("report"), QStringLiteral("xdr:4242"),
                          QStringLiteral("--pdf"), base + QStringLiteral(".pdf"), QStringLiteral("--html"),
                          base + QStringLiteral(".html"), QStringLiteral("--json"), base + QStringLiteral(".json"),
                          QStringLiteral("--stix"), base + QStringLiteral(".stix.json"), QStringLiteral("--csv"),
                          base + QStringLiteral(".csv")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(pdfPages(base + QStringLiteral(".pdf")) >= 3);
        QFile html(base + QStringLiteral(".html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(html.readAll().contains("FIN-WS-042"));
        QFile json(base + QStringLiteral(".json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("format")).toString(),
                 QStringLiteral("causa-report"));
        QFile stix(base + QStringLiteral(".stix.json"));
        QVERIFY(stix.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(stix.readAll()).object().value(QStringLiteral("type")).toString(),
                 QStringLiteral("bundle"));
        QFile csv(base + QStringLiteral(".csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readAll().startsWith("type,value,"));
        // Usage errors.
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("report"), QStringLiteral("xdr:4242")}).exitCode, 2);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("report"), QStringLiteral("--pdf")}).exitCode, 2);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("report"), QStringLiteral("xdr:nope"),
                               QStringLiteral("--html"), base + QStringLiteral("2.html")}).exitCode, 1);
    }
};

QTEST_MAIN(TestReportPdf)
#include "tst_reportpdf.moc"
