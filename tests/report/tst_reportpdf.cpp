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

#include <algorithm>
#include <memory>
#include <set>

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

// One word of `pdftotext -bbox` output, in PDF points from the page's top-left.
struct Word
{
    double x0, y0, x1, y1;
    QString text;
};
struct PdfPage
{
    double width = 0, height = 0;
    std::vector<Word> words;
};

std::vector<PdfPage> pdfWords(const QString &pdf)
{
    const QString bbox = QString::fromUtf8(
        runTool(tool("pdftotext"), {QStringLiteral("-bbox"), pdf, QStringLiteral("-")}));
    static const QRegularExpression re(
        QStringLiteral("<page width=\"([\\d.]+)\" height=\"([\\d.]+)\">|<word xMin=\"([\\d.]+)\" "
                       "yMin=\"([\\d.]+)\" xMax=\"([\\d.]+)\" yMax=\"([\\d.]+)\">([^<]*)</word>"));
    std::vector<PdfPage> pages;
    for (auto it = re.globalMatch(bbox); it.hasNext();) {
        const auto m = it.next();
        if (!m.captured(1).isEmpty()) {
            pages.push_back({m.captured(1).toDouble(), m.captured(2).toDouble(), {}});
            continue;
        }
        if (pages.empty())
            continue;
        QString t = m.captured(7);
        t.replace(QLatin1String("&lt;"), QLatin1String("<"))
            .replace(QLatin1String("&gt;"), QLatin1String(">"));
        t.replace(QLatin1String("&quot;"), QLatin1String("\""))
            .replace(QLatin1String("&amp;"), QLatin1String("&"));
        pages.back().words.push_back({m.captured(3).toDouble(), m.captured(4).toDouble(),
                                      m.captured(5).toDouble(), m.captured(6).toDouble(), t});
    }
    return pages;
}

constexpr double kPt = 72.0 / 25.4; // points per millimetre

// Words between the running header and footer (body: 22 mm from the top, 20 mm from the bottom).
std::vector<Word> bodyWords(const PdfPage &p)
{
    std::vector<Word> out;
    for (const Word &w : p.words)
        if (w.y0 > 20 * kPt && w.y1 < p.height - 18 * kPt)
            out.push_back(w);
    return out;
}

int pageOf(const std::vector<PdfPage> &pages, const QString &word)
{
    for (size_t i = 0; i < pages.size(); ++i)
        for (const Word &w : pages[i].words)
            if (w.text == word)
                return int(i);
    return -1;
}

ReportBlock textBlock(ReportBlock::Kind kind, const QString &text)
{
    ReportBlock b;
    b.kind = kind;
    b.text = text;
    return b;
}

ReportDocument syntheticReport(std::vector<ReportSection> sections)
{
    auto data = std::make_shared<ReportData>();
    data->summary.title = QStringLiteral("Layout check");
    data->generatedAt = 1795080000000;
    return ReportDocument(data, QStringLiteral("Layout check"), QStringLiteral("AMBER"),
                          std::move(sections));
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

    QString writePdf(const ReportDocument &doc, const QString &name,
                     QPageSize::PageSizeId size = QPageSize::A4, int *pages = nullptr)
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
        const QString text =
            QString::fromUtf8(runTool(tool("pdftotext"), {pdf, QStringLiteral("-")}));
        // Content-stream order keeps each wrapped table cell together (reading order may interleave
        // the lines of neighbouring cells).
        const QString flat = squash(QString::fromUtf8(
            runTool(tool("pdftotext"), {QStringLiteral("-raw"), pdf, QStringLiteral("-")})));
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
            QVERIFY2(text.contains(QStringLiteral("page %1 of %2").arg(n).arg(pages)),
                     qPrintable(QString::number(n)));
    }

    void longCommandLineWrapsWithoutCuts()
    {
        // 30 KB: long unbroken tokens (base64-like) and ordinary words, like a real -enc payload.
        QString line = QStringLiteral("powershell.exe -nop -w hidden -enc ");
        const QString alphabet =
            QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
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
        const QString pdf =
            writePdf(report(ts, id), QStringLiteral("long.pdf"), QPageSize::A4, &pages);
        QVERIFY(!pdf.isEmpty());
        QCOMPARE(pdfPages(pdf), pages);
        QVERIFY(pages >= 3); // 30 KB of monospace cannot fit on one body page
        const QString layout = QString::fromUtf8(
            runTool(tool("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")}));
        QVERIFY2(bodyText(layout).contains(squash(line)),
                 "the command line is not complete and in order");
        // Nothing is drawn past the right margin: every word's box ends inside the page body.
        const QString bbox = QString::fromUtf8(
            runTool(tool("pdftotext"), {QStringLiteral("-bbox"), pdf, QStringLiteral("-")}));
        const auto pageW =
            QRegularExpression(QStringLiteral("<page width=\"([\\d.]+)\"")).match(bbox);
        QVERIFY(pageW.hasMatch());
        const double limit = pageW.captured(1).toDouble() - 16.0 / 25.4 * 72.0 + 2.0;
        static const QRegularExpression word(
            QStringLiteral("<word xMin=\"([\\d.]+)\" yMin=\"[\\d.]+\" xMax=\"([\\d.]+)\""));
        int words = 0;
        for (auto it = word.globalMatch(bbox); it.hasNext();) {
            const auto m = it.next();
            ++words;
            QVERIFY2(m.captured(2).toDouble() <= limit, qPrintable(m.captured(0)));
        }
        QVERIFY(words > 100);
    }

    void headingsStayWithTheirFirstRows()
    {
        // Paragraphs of growing length push each subheading to a different height on the page,
        // so some land where only the heading itself would still fit.
        ReportSection s{QStringLiteral("x"), QStringLiteral("1. Keep together"), {}};
        for (int i = 0; i < 40; ++i) {
            s.blocks.push_back(textBlock(ReportBlock::Kind::Paragraph,
                                         QStringLiteral("filler ").repeated(20 + (i * 37) % 90)));
            s.blocks.push_back(
                textBlock(ReportBlock::Kind::Subheading, QStringLiteral("Subhead-%1").arg(i)));
            ReportBlock t;
            t.kind = ReportBlock::Kind::Table;
            t.table.columns = {QStringLiteral("Name"), QStringLiteral("Value")};
            for (int r = 0; r < 3; ++r)
                t.table.rows.push_back(
                    {QStringLiteral("row-%1-%2").arg(i).arg(r), QStringLiteral("v")});
            s.blocks.push_back(t);
        }
        int pages = 0;
        const QString pdf =
            writePdf(syntheticReport({s}), QStringLiteral("keep.pdf"), QPageSize::A4, &pages);
        QVERIFY(!pdf.isEmpty());
        const auto words = pdfWords(pdf);
        QCOMPARE(int(words.size()), pages);
        QVERIFY(pages >= 4);
        for (int i = 0; i < 40; ++i) {
            const QString head = QStringLiteral("Subhead-%1").arg(i);
            const int hp = pageOf(words, head);
            QVERIFY2(hp >= 1, qPrintable(head));
            QCOMPARE(pageOf(words, QStringLiteral("row-%1-0").arg(i)), hp);
            // Same page is not enough: the heading is not the last body line either.
            const auto body = bodyWords(words[size_t(hp)]);
            const double lastY =
                std::max_element(body.begin(), body.end(), [](const Word &a, const Word &b) {
                    return a.y0 < b.y0;
                })->y0;
            for (const Word &w : body)
                if (w.text == head)
                    QVERIFY2(w.y0 < lastY - 1, qPrintable(head));
        }
    }

    void longTablesRepeatTheirHeaderAndSplitTallRows()
    {
        ReportSection s{QStringLiteral("x"), QStringLiteral("1. Long table"), {}};
        ReportBlock t;
        t.kind = ReportBlock::Kind::Table;
        t.table.columns = {QStringLiteral("ColumnAlpha"), QStringLiteral("ColumnBeta")};
        for (int r = 0; r < 300; ++r)
            t.table.rows.push_back({QStringLiteral("cell-%1").arg(r), QStringLiteral("short")});
        // One row far taller than a page: about 9,000 words in its second cell.
        QString tall;
        for (int i = 0; i < 9000; ++i)
            tall += QStringLiteral("w%1 ").arg(i);
        t.table.rows.push_back({QStringLiteral("tall-row"), tall});
        t.table.rows.push_back({QStringLiteral("after-tall"), QStringLiteral("short")});
        s.blocks.push_back(t);
        int pages = 0;
        const QString pdf =
            writePdf(syntheticReport({s}), QStringLiteral("table.pdf"), QPageSize::A4, &pages);
        QVERIFY(!pdf.isEmpty());
        const auto words = pdfWords(pdf);
        QVERIFY(pages >= 6);
        const int first = pageOf(words, QStringLiteral("cell-0")),
                  last = pageOf(words, QStringLiteral("after-tall"));
        QVERIFY(first >= 1 && last > first + 3);
        for (int pg = first; pg <= last; ++pg) {
            int titles = 0;
            for (const Word &w : words[size_t(pg)].words)
                titles += w.text == QLatin1String("ColumnAlpha") ? 1 : 0;
            QVERIFY2(titles == 1,
                     qPrintable(QStringLiteral("page %1 shows the column titles %2 times")
                                    .arg(pg + 1)
                                    .arg(titles)));
        }
        // The tall row is split between lines: every word once, in order, none below the body.
        static const QRegularExpression numbered(QStringLiteral("^w(\\d+)$"));
        int expected = 0;
        for (const PdfPage &p : words)
            for (const Word &w : p.words) {
                const auto m = numbered.match(w.text);
                if (!m.hasMatch())
                    continue;
                QCOMPARE(m.captured(1).toInt(), expected++);
                QVERIFY2(w.y1 <= p.height - 20 * kPt + 1, qPrintable(w.text));
            }
        QCOMPARE(expected, 9000);
    }

    // The Actions table of exported actions: the long Result cells (a note and three export
    // paths) decide each row's height, so they get the width. With eight columns, and with the
    // width shared in proportion to what each column lacked, Result had about 100 pt and took
    // twelve lines a row while Kind and Connector had room to spare.
    void actionResultsGetTheWidth()
    {
        const QString folder = QStringLiteral("/root/.local/share/causa/causa/exports/");
        ReportData d;
        d.summary.title = QStringLiteral("Layout check");
        const QStringList kinds = {QStringLiteral("terminate_causality"),
                                   QStringLiteral("block_hash"), QStringLiteral("isolate_endpoint"),
                                   QStringLiteral("block_ip")};
        for (int i = 1; i <= 4; ++i) {
            ReportAction a;
            a.id = i;
            a.kind = kinds.at(i - 1);
            a.target = QStringLiteral("FIN-WS-042 causality AdcN3mB1c2QAAB2cAAAAAA==");
            a.state = QStringLiteral("succeeded");
            a.connector = QStringLiteral("export");
            a.executedAt = 1796687086000;
            a.result =
                QStringLiteral("{\"note\":\"exported for manual execution; run the reviewed script "
                               "to take effect\",\"plan\":\"%1case-1-action-plan.json\",\"script\":"
                               "\"%1case-1-remediation.ps1\",\"signature\":\"%1case-1-action-plan."
                               "json.sig\"}")
                    .arg(folder);
            a.approvals = {{QStringLiteral("bob"), QStringLiteral("approve"), {}, 1796687086000}};
            d.actions.push_back(a);
        }
        const QString pdf = writePdf(composeReport(std::move(d)), QStringLiteral("actions.pdf"));
        QVERIFY(!pdf.isEmpty());
        const auto pages = pdfWords(pdf);
        const int page = pageOf(pages, QStringLiteral("#1"));
        QVERIFY(page >= 0);
        QCOMPARE(pageOf(pages, QStringLiteral("#4")), page);
        const auto words = bodyWords(pages[size_t(page)]);
        auto find = [&](const QString &text) {
            const auto it = std::find_if(words.begin(), words.end(),
                                         [&](const Word &w) { return w.text == text; });
            return it == words.end() ? Word{-1, -1, -1, -1, {}} : *it;
        };
        const Word result = find(QStringLiteral("Result"));
        QVERIFY(result.x0 > 0);
        for (int i = 1; i <= 3; ++i) {
            const double top = find(QStringLiteral("#%1").arg(i)).y0,
                         bottom = find(QStringLiteral("#%1").arg(i + 1)).y0;
            QVERIFY(top > 0 && bottom > top);
            std::set<int> lines;
            bool sawSignature = false;
            for (const Word &w : words)
                if (w.x0 >= result.x0 - 1 && w.y0 >= top - 1 && w.y0 < bottom - 1) {
                    lines.insert(int(std::lround(w.y0)));
                    sawSignature = sawSignature || w.text == QLatin1String("signature:");
                }
            QVERIFY2(sawSignature, qPrintable(QString::number(i)));
            // Four lines of text of up to 75 characters: two lines each is what A4 allows.
            QVERIFY2(lines.size() >= 4 && lines.size() <= 8,
                     qPrintable(
                         QStringLiteral("row %1: Result takes %2 lines").arg(i).arg(lines.size())));
        }
    }

    void thousandProcessTreeIsCompact()
    {
        // 250 chains of four processes, each chain's root under the previous one (as in the
        // benchmark): deep, with a SHA-256 on every row. Dense but whole: every process is there.
        ReportData d;
        d.generatedAt = 1795080000000;
        d.summary.title = QStringLiteral("Dense tree");
        const QStringList images{QStringLiteral("services.exe"), QStringLiteral("psexesvc.exe"),
                                 QStringLiteral("cmd.exe"), QStringLiteral("powershell.exe")};
        for (int a = 0; a < 250; ++a)
            for (int role = 0; role < 4; ++role) {
                StoredProcess sp;
                ProcessRecord &p = sp.process;
                p.key = QStringLiteral("h|%1-%2").arg(a).arg(role);
                p.parentKey = role == 0 ? (a > 0 ? QStringLiteral("h|%1-0").arg(a - 1) : QString())
                                        : QStringLiteral("h|%1-%2").arg(a).arg(role - 1);
                p.imageName = images.at(role);
                p.pid = 1000 + a * 4 + role;
                p.startedAt = 1795078445000 + qint64(a) * 37000 + role * 1000;
                p.sha256 = QStringLiteral("%1").arg(a * 4 + role, 64, 16, QLatin1Char('0'));
                p.signatureStatus = QStringLiteral("SIGNATURE_UNAVAILABLE");
                sp.roles = {QStringLiteral("action@%1").arg(a)};
                d.processes.push_back(sp);
            }
        const ReportDocument doc = composeReport(std::move(d));
        int pages = 0;
        const QString pdf = writePdf(doc, QStringLiteral("tree.pdf"), QPageSize::A4, &pages);
        QVERIFY(!pdf.isEmpty());
        const auto words = pdfWords(pdf);
        const int from = pageOf(words, QStringLiteral("1000")),
                  to = pageOf(words, QStringLiteral("1999"));
        QVERIFY(from >= 1 && to >= from);
        // Two lines a row at most (the hash wraps once): about 33 rows a page.
        QVERIFY2(to - from + 1 <= 36,
                 qPrintable(QStringLiteral("%1 pages for 1,000 processes").arg(to - from + 1)));
        const QString flat = squash(QString::fromUtf8(
            runTool(tool("pdftotext"), {QStringLiteral("-raw"), pdf, QStringLiteral("-")})));
        for (int i = 0; i < 1000; i += 37)
            QVERIFY2(flat.contains(QStringLiteral("%1").arg(i, 64, 16, QLatin1Char('0'))),
                     qPrintable(QString::number(i)));
    }

    void markupInDataIsShownLiterally()
    {
        test::TempStore ts;
        const qint64 id = test::addCaseWithCommandLine(ts.store(), QStringLiteral("markup"),
                                                       test::hostileCommandLine());
        const QString pdf = writePdf(report(ts, id), QStringLiteral("markup.pdf"));
        QVERIFY(!pdf.isEmpty());
        const QString flat =
            squash(QString::fromUtf8(runTool(tool("pdftotext"), {pdf, QStringLiteral("-")})));
        QVERIFY2(flat.contains(squash(test::hostileCommandLine())), qPrintable(flat.left(2000)));
        QVERIFY(flat.contains(QLatin1String("<h1>pwned</h1>")));
        QVERIFY(flat.contains(QLatin1String("&lt;b&gt;")));
    }

    void letterPageSize()
    {
        test::TempStore ts;
        const qint64 id = test::importSampleCase(ts.store());
        const QString pdf =
            writePdf(report(ts, id), QStringLiteral("letter.pdf"), QPageSize::Letter);
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
        auto r = test::runCli(
            {QStringLiteral("--db"), db, QStringLiteral("import"),
             test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString base = m_dir.filePath(QStringLiteral("cli-report"));
        // The test environment has no display (offscreen); the report command must not need one.
        r = test::runCli({QStringLiteral("--db"), db, QStringLiteral("report"),
                          QStringLiteral("xdr:4242"), QStringLiteral("--pdf"),
                          base + QStringLiteral(".pdf"), QStringLiteral("--html"),
                          base + QStringLiteral(".html"), QStringLiteral("--json"),
                          base + QStringLiteral(".json"), QStringLiteral("--stix"),
                          base + QStringLiteral(".stix.json"), QStringLiteral("--csv"),
                          base + QStringLiteral(".csv")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(pdfPages(base + QStringLiteral(".pdf")) >= 3);
        QFile html(base + QStringLiteral(".html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(html.readAll().contains("FIN-WS-042"));
        QFile json(base + QStringLiteral(".json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(json.readAll())
                     .object()
                     .value(QStringLiteral("format"))
                     .toString(),
                 QStringLiteral("causa-report"));
        QFile stix(base + QStringLiteral(".stix.json"));
        QVERIFY(stix.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(stix.readAll())
                     .object()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("bundle"));
        QFile csv(base + QStringLiteral(".csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readAll().startsWith("type,value,"));
        // Usage errors.
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("report"),
                               QStringLiteral("xdr:4242")})
                     .exitCode,
                 2);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("report"),
                               QStringLiteral("--pdf")})
                     .exitCode,
                 2);
        QCOMPARE(test::runCli({QStringLiteral("--db"), db, QStringLiteral("report"),
                               QStringLiteral("xdr:nope"), QStringLiteral("--html"),
                               base + QStringLiteral("2.html")})
                     .exitCode,
                 1);
    }
};

QTEST_MAIN(TestReportPdf)
#include "tst_reportpdf.moc"
