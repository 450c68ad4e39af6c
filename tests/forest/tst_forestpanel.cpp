// The process-tree panel and its model on the real PsExec run: services.exe → PSEXESVC.exe →
// reg.exe with badges, QAbstractItemModelTester attached before the forest arrives.
#include "forest/forestbuilder.h"
#include "guitestutils.h"
#include "import/importdispatcher.h"
#include "panels/processtreepanel.h"
#include "processtreemodel.h"
#include "testutils.h"

#include <QAbstractItemModelTester>
#include <QTest>
#include <QTreeView>

using namespace causa;

class TstForestPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void psexecRunInPanel()
    {
        const QString rel = QStringLiteral(
            "events/otrf-security-datasets/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json");
        CAUSA_REQUIRE_SHARED_DATA(rel);
        test::TempStore ts;
        auto r =
            ImportDispatcher(ts.store()).importFile(test::sharedDataDir() + QLatin1Char('/') + rel);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        auto forest = forestForHost(ts.store(), QStringLiteral("WORKSTATION5"));
        QVERIFY2(forest.ok(), forest.ok() ? "" : qPrintable(forest.error().toString()));

        ProcessTreePanel panel;
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.resize(1300, 800);
        panel.setForest(std::make_shared<const ScopedForest>(std::move(forest.value())));
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));

        // Find PSEXESVC.exe through the model, as the view does, and check its parent and child.
        ProcessTreeModel *model = panel.model();
        QModelIndex svc;
        std::vector<QModelIndex> stack;
        for (int row = 0; row < model->rowCount(); ++row)
            stack.push_back(model->index(row, 0));
        while (!stack.empty() && !svc.isValid()) {
            const QModelIndex i = stack.back();
            stack.pop_back();
            if (i.data().toString().compare(QLatin1String("PSEXESVC.exe"), Qt::CaseInsensitive) ==
                0)
                svc = i;
            for (int row = 0; row < model->rowCount(i); ++row)
                stack.push_back(model->index(row, 0, i));
        }
        QVERIFY(svc.isValid());
        QCOMPARE(svc.parent().data().toString().toLower(), QStringLiteral("services.exe"));
        const QString badges =
            svc.siblingAtColumn(ProcessTreeModel::BadgesColumn).data().toString();
        QVERIFY2(badges.contains(QLatin1String("psexec_service")), qPrintable(badges));
        bool reg = false;
        for (int row = 0; row < model->rowCount(svc); ++row) {
            const QModelIndex c = model->index(row, 0, svc);
            if (c.data().toString().compare(QLatin1String("reg.exe"), Qt::CaseInsensitive) == 0) {
                reg = true;
                QVERIFY(c.siblingAtColumn(ProcessTreeModel::BadgesColumn)
                            .data()
                            .toString()
                            .contains(QLatin1String("lolbin")));
            }
        }
        QVERIFY(reg);
        auto *view = panel.findChild<QTreeView *>();
        QVERIFY(view);
        view->scrollTo(svc);
        view->setCurrentIndex(svc);
        QVERIFY2(panel.detailText().contains(QLatin1String("PSEXESVC")),
                 qPrintable(panel.detailText()));
        test::saveScreenshot(&panel, QStringLiteral("forest-psexec-tree"));
    }
};

QTEST_MAIN(TstForestPanel)
#include "tst_forestpanel.moc"
