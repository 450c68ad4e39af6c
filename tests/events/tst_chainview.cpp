// The lateral-movement chain as the analyst sees it: the workbench panel (hops, events, the
// link into both hosts' process trees) and the report section in HTML and PDF, with hostile
// host names and command lines kept as text.
#include "eventtestutil.h"
#include "forest/forestbuilder.h"
#include "guitestutils.h"
#include "investigation/lateralchain.h"
#include "panels/chainpanel.h"
#include "report/pdfreportwriter.h"
#include "report/reportcomposer.h"
#include "report/reportexporters.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTreeWidget>

using namespace causa;

namespace {

const char *kOtrfPsexec =
    "events/otrf-security-datasets/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json";

QString pdfText(const QString &pdf)
{
    QProcess p;
    p.start(QStandardPaths::findExecutable(QStringLiteral("pdftotext")),
            {QStringLiteral("-raw"), pdf, QStringLiteral("-")});
    if (!p.waitForFinished(120000))
        return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

// A chain whose every text is hostile markup.
LateralChain hostileChain()
{
    LateralChain c;
    c.victimHost = QStringLiteral("<b>VICTIM</b>");
    c.sourceHost = QStringLiteral("<img src=x onerror=alert(1)>");
    c.sourceIp = QStringLiteral("10.0.0.9");
    c.user = QStringLiteral("D\\a&b<script>");
    c.serviceName = QStringLiteral("PSEXESVC");
    c.serviceImage = QStringLiteral("%SystemRoot%\\PSEXESVC.exe");
    c.tool = QStringLiteral("PsExec");
    c.start = c.end = 1767261600000;
    for (const ChainHopKind k : allHopKinds()) {
        ChainHop h;
        h.kind = k;
        h.host = c.victimHost;
        h.found = k != ChainHopKind::SourceProcess;
        h.first = h.last = c.start;
        h.detail = QStringLiteral("cmd.exe /c \"<script>alert('x')</script>\" & echo </td></tr>");
        h.unknown = QStringLiteral("no events from <i>SRC</i>");
        if (h.found)
            h.events.push_back(
                {42, h.host, 7045, c.start, c.user, QStringLiteral("<svg onload=alert(2)>"), {}});
        c.hops.push_back(h);
    }
    return c;
}

} // namespace

class TestChainView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The OTRF PsExec run in the panel: seven hops in order, events under each, and each
    // process hop opens a node that exists in WORKSTATION5's process tree.
    void panelOnRealRun()
    {
        CAUSA_REQUIRE_SHARED_DATA(QLatin1String(kOtrfPsexec));
        test::TempStore ts;
        auto imp = test::importWithWarnings(ts.store(), test::sharedDataDir() + QLatin1Char('/') +
                                                            QLatin1String(kOtrfPsexec));
        QVERIFY(imp.counts.ok());
        auto report = buildChainsForHost(ts.store(), QStringLiteral("WORKSTATION5"));
        QVERIFY(report.ok());
        auto forest = forestForHost(ts.store(), QStringLiteral("WORKSTATION5"));
        QVERIFY(forest.ok());

        ChainPanel panel(nullptr);
        panel.resize(1400, 760);
        QSignalSpy shown(&panel, &ChainPanel::chainsShown);
        panel.setReport(report.value());
        QCOMPARE(shown.count(), 1);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QTreeWidget *tree = panel.tree();
        QStringList hops;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            hops << tree->topLevelItem(i)->data(0, ChainPanel::HopKindRole).toString();
        QCOMPARE(hops,
                 (QStringList{QStringLiteral("source_process"), QStringLiteral("logon"),
                              QStringLiteral("share_access"), QStringLiteral("service_binary"),
                              QStringLiteral("service_install"), QStringLiteral("pipes"),
                              QStringLiteral("service_children")}));
        QVERIFY(
            tree->topLevelItem(1)->text(4).startsWith(QLatin1String("Unknown: no network logon")));
        QVERIFY(tree->topLevelItem(6)->childCount() >= 2);
        // "When (UTC)": the run took under a second; the Security/System hops (share, service
        // install), written in local time by the export, show the same UTC minute as Sysmon's.
        // Every time is on one day: the header gives it, the cells the time of day.
        QCOMPARE(tree->headerItem()->text(2), QStringLiteral("When (UTC, 2020-10-19)"));
        for (const int hop : {0, 2, 3, 4, 5, 6}) {
            const QString when = tree->topLevelItem(hop)->text(2);
            QVERIFY2(when.startsWith(QLatin1String("07:30:46")) &&
                         !when.contains(QLatin1String("03:30")) &&
                         !when.contains(QLatin1String("2020")),
                     qPrintable(QStringLiteral("%1: %2").arg(hop).arg(when)));
            for (int e = 0; e < tree->topLevelItem(hop)->childCount(); ++e)
                QVERIFY(tree->topLevelItem(hop)->child(e)->text(2).startsWith(
                    QLatin1String("07:30:4")));
        }
        QVERIFY(panel.headline().contains(QLatin1String("WORKSTATION5")));
        QVERIFY2(!panel.headline().contains(QLatin1String("service service")),
                 qPrintable(panel.headline()));

        QSignalSpy open(&panel, &ChainPanel::processRequested);
        for (const int hop : {0, 4, 6}) { // source process, service, first child
            tree->setCurrentItem(tree->topLevelItem(hop));
            QVERIFY(panel.openCurrentProcess());
            const QString key = open.last().at(1).toString();
            QCOMPARE(open.last().at(0).toString(), QStringLiteral("WORKSTATION5"));
            QVERIFY2(forest->forest.indexOf(key) >= 0, qPrintable(key));
        }
        tree->setCurrentItem(tree->topLevelItem(1)); // the unknown logon opens nothing
        QVERIFY(!panel.openCurrentProcess());

        // The pane under the table has the selected hop or event whole, with its date; the
        // table's last column elides.
        const QPlainTextEdit *details = panel.details();
        QVERIFY(details->isVisible());
        QVERIFY2(details->height() >= 5 * details->fontMetrics().lineSpacing(),
                 qPrintable(QString::number(details->height())));
        const QString why = report->chains.front().hops[1].unknown;
        QVERIFY(!why.isEmpty());
        QVERIFY2(details->toPlainText().contains(QLatin1String("Why unknown: ") + why),
                 qPrintable(details->toPlainText()));
        QTreeWidgetItem *children = tree->topLevelItem(6);
        tree->setCurrentItem(children);
        const ChainHop &hop = report->chains.front().hops[6];
        QVERIFY(details->toPlainText().contains(hop.detail));
        for (const ChainEvent &e : hop.events)
            QVERIFY2(details->toPlainText().contains(e.summary), qPrintable(e.summary));
        // On a narrower window the longest event summary does not fit its cell; the pane has
        // it whole.
        panel.resize(900, 760);
        QCoreApplication::processEvents();
        int longest = 0;
        for (int e = 1; e < children->childCount(); ++e)
            if (children->child(e)->text(4).size() > children->child(longest)->text(4).size())
                longest = e;
        QTreeWidgetItem *event = children->child(longest);
        const QString summary = event->text(4);
        QVERIFY2(tree->fontMetrics().horizontalAdvance(summary) > tree->columnWidth(4),
                 qPrintable(summary));
        tree->setCurrentItem(event);
        const QString text = details->toPlainText();
        QVERIFY2(text.contains(summary) && text.contains(QLatin1String("2020-10-19 07:30:4")),
                 qPrintable(text));
        QVERIFY(text.contains(
            QStringLiteral("#%1").arg(event->data(0, ChainPanel::EventIdRole).toLongLong())));
        test::saveScreenshot(&panel, QStringLiteral("chainpanel-otrf"));
    }

    void panelKeepsMarkupAsText()
    {
        ChainReport r;
        r.victimHosts << QStringLiteral("<b>VICTIM</b>");
        r.chains.push_back(hostileChain());
        r.chains.push_back(hostileChain());
        ChainPanel panel(nullptr);
        panel.resize(1200, 600);
        panel.setReport(r);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.chainSelector()->isVisible()); // two chains: the selector shows
        const auto labels = panel.findChildren<QLabel *>();
        for (const QLabel *l : labels)
            QCOMPARE(l->textFormat(), Qt::PlainText);
        QVERIFY(panel.headline().contains(QLatin1String("<img src=x onerror=alert(1)>")));
        // The details pane shows the selected hop's and event's markup as text.
        QTreeWidget *tree = panel.tree();
        tree->setCurrentItem(tree->topLevelItem(1));
        QVERIFY(panel.details()->toPlainText().contains(
            QLatin1String("cmd.exe /c \"<script>alert('x')</script>\" & echo </td></tr>")));
        tree->setCurrentItem(tree->topLevelItem(1)->child(0));
        QVERIFY(panel.details()->toPlainText().contains(QLatin1String("<svg onload=alert(2)>")));
        QVERIFY(panel.details()->toPlainText().contains(QLatin1String("D\\a&b<script>")));
        test::saveScreenshot(&panel, QStringLiteral("chainpanel-hostile"));
    }

    // "PsExec service PSEXESVC", "PsExec-like service WinUpdSvc": never "service service".
    void serviceIsNamedOnce()
    {
        for (const auto &[tool, expected] :
             {std::pair{QStringLiteral("PsExec"), QStringLiteral("PsExec service WinUpdSvc (")},
              std::pair{QStringLiteral("PsExec-like service"),
                        QStringLiteral("PsExec-like service WinUpdSvc (")},
              std::pair{QStringLiteral("command service (smbexec-like)"),
                        QStringLiteral("command service (smbexec-like) WinUpdSvc (")}}) {
            ChainReport r;
            LateralChain c = hostileChain();
            c.tool = tool;
            c.serviceName = QStringLiteral("WinUpdSvc");
            r.chains.push_back(c);
            ChainPanel panel(nullptr);
            panel.setReport(r);
            QVERIFY2(panel.headline().contains(expected), qPrintable(panel.headline()));
        }
    }

    // The sample case's report: the section names the source, the hops and says what is unknown.
    void reportSectionOnSample()
    {
        test::TempStore ts;
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        QVERIFY(test::importWithWarnings(ts.store(),
                                         samples + QStringLiteral("fin-ws-042-incident.json"))
                    .counts.ok());
        QVERIFY(test::importWithWarnings(ts.store(),
                                         samples + QStringLiteral("fin-ws-042-events.jsonl"))
                    .counts.ok());
        const qint64 id =
            ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
        auto data = loadReportData(ts.store(), id);
        QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().toString()));
        QCOMPARE(data->lateralChains.size(), size_t(1));
        const ReportDocument doc = composeReport(data.value());
        const ReportSection *s = doc.section(reportsection::kLateralChain);
        QVERIFY(s);
        QVERIFY(s->heading.endsWith(QLatin1String("Lateral movement chain")));
        const QString html = QString::fromUtf8(report::toHtml(doc));
        for (const char *t : {"WKS-ADMIN-07 → FIN-WS-042", "Network logon", "Admin share access",
                              "Service binary written", "Service installed and started",
                              "Named pipes", "Service children", "Source process",
                              "UNKNOWN: no events from WKS-ADMIN-07 in the store",
                              "CORP\\svc_backup", "10.20.30.15"})
            QVERIFY2(html.contains(QString::fromUtf8(t)), t);

        QTemporaryDir dir;
        const QString pdf = dir.filePath(QStringLiteral("chain.pdf"));
        auto written = PdfReportWriter(PdfReportOptions()).write(doc, pdf);
        QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().toString()));
        if (const QString shots = qEnvironmentVariable("CAUSA_SCREENSHOT_DIR"); !shots.isEmpty())
            QFile::copy(pdf, shots + QStringLiteral("/chain-report.pdf"));
        // Table cells wrap: compare without whitespace.
        QString text = pdfText(pdf);
        text.remove(QRegularExpression(QStringLiteral("\\s+")));
        for (const char *t :
             {"WKS-ADMIN-07→FIN-WS-042", "CORP\\svc_backup", "10.20.30.15", "Networklogon"})
            QVERIFY2(text.contains(QString::fromUtf8(t)), t);
        QVERIFY(text.contains(QString(s->heading).remove(QLatin1Char(' '))));
        QVERIFY(text.contains(QLatin1String("Servicebinarywritten")));
    }

    void reportEscapesMarkup()
    {
        ReportData d;
        d.summary.id = 1;
        d.summary.title = QStringLiteral("hostile");
        d.lateralChains.push_back(hostileChain());
        const ReportDocument doc = composeReport(d);
        const QString html = QString::fromUtf8(report::toHtml(doc));
        QVERIFY(!html.contains(QLatin1String("<img src=x")));
        QVERIFY(!html.contains(QLatin1String("<script>")));
        QVERIFY(!html.contains(QLatin1String("<svg")));
        QVERIFY(html.contains(QLatin1String("&lt;img src=x onerror=alert(1)&gt;")));
        QVERIFY(html.contains(QLatin1String("&lt;/td&gt;&lt;/tr&gt;")));
        QTemporaryDir dir;
        const QString pdf = dir.filePath(QStringLiteral("hostile.pdf"));
        QVERIFY(PdfReportWriter(PdfReportOptions()).write(doc, pdf).ok());
        const QString text = pdfText(pdf);
        QVERIFY2(text.contains(QLatin1String("<img src=x onerror=alert(1)>")),
                 "markup is printed as text");
        QVERIFY(text.contains(QLatin1String("<b>VICTIM</b>")));
    }
};

QTEST_MAIN(TestChainView)
#include "tst_chainview.moc"
