// The playbook stepper, offscreen: run to the first approval on the sample case, see the stage
// states and an approval card, approve through the export connector; screenshot for review.
#include "connectors/exportconnector.h"
#include "import/importdispatcher.h"
#include "panels/playbookpanel.h"
#include "playbookstagemodel.h"
#include "services/playbookservice.h"
#include "services/workbenchservice.h"
#include "store/actionstore.h"
#include "testasserts.h"
#include "testutils.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTreeView>

using namespace causa;

class TestPlaybookPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsToApprovalAndApproves()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-incident.json"))
                    .ok());
        const qint64 caseId = ts.store().cases()->front().id;
        QTemporaryDir exportDir;
        WorkbenchService workbench(ts.shared());
        PlaybookService service(&workbench);
        service.setConnectorFactory([&] {
            return std::make_shared<ExportConnector>(exportDir.path(),
                                                     QByteArray("panel-test-key-0123456789"));
        });
        PlaybookPanel panel(&service);
        panel.setAnalyst(QStringLiteral("alice"));
        panel.resize(1280, 760);
        QSignalSpy updated(&panel, &PlaybookPanel::viewUpdated);
        panel.setCase(caseId);
        QVERIFY(updated.wait(20000));
        QVERIFY(!panel.busy());
        QVERIFY(!panel.runView()); // loading a case starts no run
        QCOMPARE(panel.stageModel()->rowCount(), 9);
        panel.runAllButton()->click();
        QVERIFY(updated.wait(20000));
        QCOMPARE(updated.last().at(0).toString(), QString());
        PlaybookStageModel *stages = panel.stageModel();
        auto state = [stages](int row) {
            return stages->index(row, 0).data(PlaybookStageModel::StateRole).toString();
        };
        QCOMPARE(stages->rowCount(), 9);
        QCOMPARE(state(0), QStringLiteral("completed"));
        QCOMPARE(state(1), QStringLiteral("awaiting_approval"));
        // Stage 4a is served by the real command-line analyser.
        QCOMPARE(state(3), QStringLiteral("completed"));
        panel.stageList()->setCurrentIndex(stages->index(1, 0));
        auto buttons = panel.approvalCards()->findChildren<QPushButton *>();
        QPushButton *approve = nullptr;
        for (QPushButton *b : buttons)
            if (!approve && b->text() == QLatin1String("Approve"))
                approve = b; // the first card: containment
        QVERIFY(approve);
        const QString shot = QDir::temp().filePath(QStringLiteral("causa-playbookpanel.png"));
        QVERIFY(panel.grab().save(shot));
        qInfo() << "screenshot:" << shot;
        approve->click();
        QVERIFY(updated.wait(20000));
        auto actions = actionstore::actionsOfCase(ts.store(), caseId);
        QCOMPARE(actions->front().state, ActionState::Succeeded);
        QCOMPARE(actions->front().approvals.front().approver, QStringLiteral("alice"));
        QCOMPARE(state(1), QStringLiteral("completed"));
        QVERIFY(panel.grab().save(
            QDir::temp().filePath(QStringLiteral("causa-playbookpanel-approved.png"))));
    }
};

QTEST_MAIN(TestPlaybookPanel)
#include "tst_playbookpanel.moc"
