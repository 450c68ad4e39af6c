// Case queue and alert models: QAbstractItemModelTester attached before data, raw roles, golden dump.
#include "alerttablemodel.h"
#include "casequeuemodel.h"
#include "import/importdispatcher.h"
#include "testutils.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>

using namespace causa;

class TestQueueModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void caseQueue()
    {
        test::TempStore ts;
        CaseQueueModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        model.setCases(ts.store().cases().value());
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex sev = model.index(0, CaseQueueModel::SeverityColumn);
        QCOMPARE(sev.data(CaseQueueModel::SeverityRole).toInt(), int(Severity::Medium));
        QCOMPARE(sev.data().toString(), QStringLiteral("Medium"));
        QCOMPARE(model.index(0, CaseQueueModel::HostsColumn).data().toString(),
                 QStringLiteral("FIN-WS-042"));
        QCOMPARE(model.index(0, CaseQueueModel::AlertsColumn).data().toInt(), 2);
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setFilterRole(CaseQueueModel::FilterTextRole);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        proxy.setFilterFixedString(QStringLiteral("svc_backup"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterFixedString(QStringLiteral("no-such-host"));
        QCOMPARE(proxy.rowCount(), 0);
    }

    void pagingFetchesMore()
    {
        CaseQueueModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto page = [](qint64 from, int n) {
            std::vector<CaseSummary> rows;
            for (int i = 0; i < n; ++i) {
                CaseSummary c;
                c.id = from + i + 1;
                c.title = QStringLiteral("case %1").arg(c.id);
                rows.push_back(c);
            }
            return rows;
        };
        QSignalSpy requested(&model, &CaseQueueModel::fetchRequested);
        model.resetPaged(450, page(0, 200));
        QCOMPARE(model.rowCount(), 200);
        // The model tester itself may already have asked for more; either way exactly one request.
        if (requested.isEmpty())
            model.fetchMore({});
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().first().toLongLong(), qint64(200));
        QVERIFY(!model.canFetchMore({}));  // one request at a time
        model.appendPage(0, page(0, 200)); // stale page: ignored
        QCOMPARE(model.rowCount(), 200);
        model.appendPage(200, page(200, 200));
        QCOMPARE(model.rowCount(), 400);
        if (requested.count() == 1)
            model.fetchMore({});
        QCOMPARE(requested.count(), 2);
        QCOMPARE(requested.last().first().toLongLong(), qint64(400));
        model.appendPage(400, page(400, 50));
        QCOMPARE(model.rowCount(), 450);
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.index(449, CaseQueueModel::IdColumn).data().toLongLong(), qint64(450));
        QSignalSpy sorted(&model, &CaseQueueModel::sortRequested);
        model.sort(CaseQueueModel::AlertsColumn, Qt::AscendingOrder);
        QCOMPARE(sorted.first().at(0).toString(), QStringLiteral("alert_count"));
        QCOMPARE(sorted.first().at(1).toBool(), false);
    }

    void hostileTitleStaysOneLine()
    {
        CaseQueueModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        CaseSummary c;
        c.id = 7;
        c.title = QStringLiteral("<h1>x</h1>\n\tline2\u0000") + QString(20000, QLatin1Char('A'));
        model.setCases({c});
        const QString shown = model.index(0, CaseQueueModel::TitleColumn).data().toString();
        QVERIFY(!shown.contains(QLatin1Char('\n')));
        QVERIFY(shown.size() <= 401);
        QVERIFY(shown.startsWith(QStringLiteral("<h1>x</h1> line2")));
    }

    void alertTable()
    {
        test::TempStore ts;
        AlertTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        const qint64 id =
            ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
        model.setAlerts(ts.store().alertsOfCase(id).value());
        const QString golden = QStringLiteral(
            "2026-11-19 08:54:03 | Medium | Remote PsExec-like LOLBIN command execution from an unsigned non-standard PsExec service | FIN-WS-042 | CORP\\svc_backup | Detected (Reported) | TA0008 - Lateral Movement; TA0002 - Execution\n"
            "2026-11-19 08:57:10 | High | Suspicious LSASS memory dump via comsvcs.dll MiniDump | FIN-WS-042 | CORP\\svc_backup | Detected (Reported) | TA0006 - Credential Access\n");
        QCOMPARE(test::printModel(&model, {}, 0, AlertTableModel::TechniquesColumn), golden);
        QCOMPARE(model.index(0, 0).data(AlertTableModel::BlockedRole).toBool(), false);
    }
};

QTEST_GUILESS_MAIN(TestQueueModels)
#include "tst_queuemodels.moc"
