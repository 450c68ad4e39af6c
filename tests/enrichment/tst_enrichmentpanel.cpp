// Enrichment model (QAbstractItemModelTester, golden dump, raw roles) and panel (offscreen):
// rows per indicator, provider children, preview per selection, manual verdict signal.
#include "guitestutils.h"
#include "testutils.h"

#include "enrichment/enrichmentservice.h"
#include "enrichmentmodel.h"
#include "import/importdispatcher.h"
#include "panels/enrichmentpanel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeView>

using namespace causa;

namespace {

constexpr qint64 kNow = 1767600000000; // fixed clock for ages

EnrichmentReport handReport()
{
    EnrichmentReport r;
    r.caseId = 1;
    IndicatorEnrichment ip;
    ip.indicatorId = 11;
    ip.type = QStringLiteral("ipv4");
    ip.value = QStringLiteral("45.137.21.9");
    ip.mergedScore = Score::Malicious;
    ip.decidedBy = QStringLiteral("local-intel");
    ProviderResult intel;
    intel.provider = QStringLiteral("local-intel");
    intel.score = Score::Malicious;
    intel.reliability = QStringLiteral("B");
    intel.verdict = QStringLiteral("malicious per stix-bundle.json (Causa Test CTI)");
    intel.fetchedAt = kNow - 30 * 1000;
    ProviderResult vt;
    vt.provider = QStringLiteral("virustotal");
    vt.reliability = QStringLiteral("B");
    vt.error = QStringLiteral("rate limited (HTTP 429, retry after 60 s)");
    vt.fetchedAt = kNow - 2 * 3600 * 1000;
    vt.cached = true;
    ip.results = {intel, vt};
    IndicatorEnrichment internal;
    internal.indicatorId = 12;
    internal.type = QStringLiteral("ipv4");
    internal.value = QStringLiteral("10.20.30.15");
    internal.internal = true;
    internal.mergedScore = Score::Good;
    internal.decidedBy = QStringLiteral("manual");
    internal.manualScore = 1;
    internal.manualBy = QStringLiteral("alice");
    internal.manualReason = QStringLiteral("jump host\nof the IT team");
    internal.withheld = {{QStringLiteral("virustotal"), QStringLiteral("internal address")}};
    r.indicators = {ip, internal};
    return r;
}

} // namespace

class TestEnrichmentPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelGolden()
    {
        EnrichmentModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setReport(handReport(), kNow);
        QCOMPARE(
            test::printModel(&model),
            QStringLiteral(
                "ipv4  45.137.21.9 | Malicious (3) | local-intel | just now | malicious per stix-bundle.json (Causa Test CTI)\n"
                "  local-intel | Malicious (3) | reliability B | just now | malicious per stix-bundle.json (Causa Test CTI)\n"
                "  virustotal | Error | reliability B | 2 h ago (cached) | rate limited (HTTP 429, retry after 60 s)\n"
                "ipv4  10.20.30.15 | Good (1) | manual (alice) | – | manual: jump host of the IT team; internal; "
                "not sent to virustotal (internal address)\n"));
        const QModelIndex top = model.index(0, EnrichmentModel::VerdictColumn);
        QCOMPARE(top.data(EnrichmentModel::ScoreRole).toInt(), 3);
        QCOMPARE(top.data(EnrichmentModel::IndicatorIdRole).toLongLong(), 11);
        QCOMPARE(top.data(EnrichmentModel::IsResultRole).toBool(), false);
        const QModelIndex child = model.index(1, 0, model.index(0, 0));
        QCOMPARE(child.data(EnrichmentModel::ProviderRole).toString(),
                 QStringLiteral("virustotal"));
        QCOMPARE(child.data(EnrichmentModel::IsResultRole).toBool(), true);
        QVERIFY(child.data(EnrichmentModel::ErrorRole)
                    .toString()
                    .startsWith(QStringLiteral("rate limited")));
        QCOMPARE(model.parent(child), model.index(0, 0));
        model.setReport({}, kNow);
        QCOMPARE(model.rowCount(), 0);
    }

    void panelOnRealCase()
    {
        test::TempStore ts;
        const QString fx = test::fixturesDir() + QStringLiteral("/intel/");
        for (const QString &f : QStringList{fx + QStringLiteral("case-public.json"),
                                            fx + QStringLiteral("stix-bundle.json"),
                                            fx + QStringLiteral("misp-event.json")})
            QVERIFY(ImportDispatcher(ts.store()).importFile(f).ok());
        const qint64 caseId =
            ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("9001")).value();
        EnrichmentSettings settings;
        settings.offline = true;
        EnrichmentService offline(ts.store(), settings);
        auto report = offline.enrichCase(caseId);
        QVERIFY(report.ok());
        // The preview the panel shows comes from an online configuration (nothing is sent).
        EnrichmentSettings online;
        online.virusTotal.apiKey = QStringLiteral("panel-test-key");
        online.virusTotal.baseUrl = QStringLiteral("http://127.0.0.1:9");
        const auto preview = EnrichmentService(ts.store(), online).preview(caseId);
        QVERIFY(!preview.empty());

        EnrichmentPanel panel;
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.resize(1200, 760);
        panel.setReport(report.value());
        panel.setPreview(preview);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(panel.model()->rowCount(), int(report->indicators.size()));
        QVERIFY(panel.previewText().contains(QStringLiteral("x-apikey: <redacted>")));
        QVERIFY(!panel.previewText().contains(QStringLiteral("panel-test-key")));

        auto *button = panel.findChild<QPushButton *>(QString(), Qt::FindChildrenRecursively);
        QPushButton *setVerdict = nullptr;
        for (QPushButton *b : panel.findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("Set verdict"))
                setVerdict = b;
        QVERIFY(button && setVerdict);
        QVERIFY(!setVerdict->isEnabled()); // nothing selected yet
        const auto *ip = report->find(QStringLiteral("ipv4"), QStringLiteral("45.137.21.9"));
        QVERIFY(ip);
        panel.selectIndicator(ip->indicatorId);
        QVERIFY(panel.previewText().contains(QStringLiteral("/api/v3/ip_addresses/45.137.21.9")));
        QVERIFY(!panel.previewText().contains(QStringLiteral("/api/v3/files/")));
        QVERIFY(!setVerdict->isEnabled()); // no reason yet
        panel.findChild<QLineEdit *>()->setText(QStringLiteral("sinkholed by our DNS team"));
        QVERIFY(setVerdict->isEnabled());
        QSignalSpy spy(&panel, &EnrichmentPanel::manualVerdictRequested);
        setVerdict->click();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toLongLong(), ip->indicatorId);
        QCOMPARE(spy.at(0).at(1).toInt(), 3);
        QCOMPARE(spy.at(0).at(2).toString(), QStringLiteral("sinkholed by our DNS team"));
        test::saveScreenshot(&panel, QStringLiteral("enrichment-panel"));
    }
};

QTEST_MAIN(TestEnrichmentPanel)
#include "tst_enrichmentpanel.moc"
