// End to end through real widgets (offscreen): load the bundled sample case from the File menu,
// step the playbook one stage at a time with the "Run stage" button, approve the hash block on
// its approval card (executed against a loopback Cortex XDR server), export the PDF through
// File → Export, and read the PDF back with pdftotext.
#include "casequeuemodel.h"
#include "connectors/xdrconnector.h"
#include "dialogs/exportdialog.h"
#include "guitestutils.h"
#include "httptestserver.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "panels/casequeuepanel.h"
#include "panels/playbookpanel.h"
#include "playbookstagemodel.h"
#include "services/workbenchservice.h"
#include "store/actionstore.h"
#include "testasserts.h"
#include "testutils.h"
#include "workbench.h"
#include "workbenchactions.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace causa;
using test::HttpTestServer;

namespace {

const QString kBlockedHash =
    QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e");

QAction *findAction(MainWindow *w, const QString &text)
{
    for (QAction *a : w->commands())
        if (a->text().remove(QLatin1Char('&')) == text)
            return a;
    return nullptr;
}

// The Approve button on the card whose heading names kind.
QPushButton *approveButtonFor(PlaybookPanel *panel, const QString &kind)
{
    for (QFrame *card : panel->approvalCards()->findChildren<QFrame *>()) {
        bool match = false;
        for (QLabel *l : card->findChildren<QLabel *>())
            match =
                match || l->text().contains(QStringLiteral(" ") + kind + QStringLiteral("</b>"));
        if (!match)
            continue;
        for (QPushButton *b : card->findChildren<QPushButton *>())
            if (b->text() == QLatin1String("Approve"))
                return b;
    }
    return nullptr;
}

int settledStages(const PlaybookStageModel *m)
{
    int n = 0;
    for (int r = 0; r < m->rowCount(); ++r)
        n += m->index(r, 0).data(PlaybookStageModel::StateRole).toString() !=
             QLatin1String("pending");
    return n;
}

} // namespace

class TestWorkbenchE2E : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings and export keys in a test profile
        QCoreApplication::setOrganizationName(QStringLiteral("causa-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_workbenche2e"));
        QSettings().clear();
    }

    void sampleCaseStepApproveExportPdf()
    {
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QSKIP("poppler-utils (pdftotext) is not installed");
        QSettings().setValue(QStringLiteral("analyst/name"), QStringLiteral("alice"));
        HttpTestServer xdr([](const HttpTestServer::Request &) {
            HttpTestServer::Response r;
            r.body = R"({"reply":{"action_id":77,"status":true}})";
            r.headers.insert("Content-Type", "application/json");
            return r;
        });
        test::TempStore ts;
        QTemporaryDir out;
        Workbench wb(ts.shared());
        wb.setConnectorFactory([&xdr] {
            XdrConnectorSettings s;
            s.baseUrl = QUrl(xdr.baseUrl());
            s.apiKeyId = QStringLiteral("7");
            s.apiKey = QStringLiteral("loopback-test-key");
            s.timeoutMs = 5000;
            s.statusPolls = 0;
            return std::make_shared<XdrConnector>(s);
        });
        MainWindow *w = wb.window();
        w->resize(1400, 860);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));

        // 1. File → Load the sample case.
        QSignalSpy imported(wb.service(), &WorkbenchService::allImportsFinished);
        QAction *sample = findAction(w, QStringLiteral("Load the sample case"));
        QVERIFY(sample);
        sample->trigger();
        QVERIFY(imported.wait(60000));
        QTRY_COMPARE(w->queuePanel()->model()->rowCount(), 1);
        QTRY_VERIFY(w->currentCaseId() > 0);
        const qint64 caseId = w->currentCaseId();

        // 2. The Playbook page, chosen by clicking its tab.
        QTabWidget *pages = w->casePages();
        int playbookTab = -1;
        for (int i = 0; i < pages->count(); ++i)
            if (pages->tabText(i) == QLatin1String("Playbook"))
                playbookTab = i;
        QVERIFY(playbookTab >= 0);
        QTest::mouseClick(pages->tabBar(), Qt::LeftButton, {},
                          pages->tabBar()->tabRect(playbookTab).center());
        QCOMPARE(pages->currentIndex(), playbookTab);
        PlaybookPanel *pb = wb.playbook();
        PlaybookStageModel *stages = pb->stageModel();
        QTRY_COMPARE(stages->rowCount(), 9); // setCase creates the run (all stages pending)
        QTRY_VERIFY(!pb->busy());
        QCOMPARE(settledStages(stages), 0);

        // 3. Step: each click on "Run stage" runs exactly the next stage, until remediation waits.
        QSignalSpy updated(pb, &PlaybookPanel::viewUpdated);
        const int remediation = stages->rowOf(QStringLiteral("remediation"));
        QVERIFY(remediation > 0);
        QStringList trail;
        for (int click = 1; click <= remediation + 1; ++click) {
            QTRY_VERIFY(pb->runStageButton()->isEnabled());
            updated.clear();
            QTest::mouseClick(pb->runStageButton(), Qt::LeftButton);
            QVERIFY(updated.wait(60000));
            QCOMPARE(updated.last().at(0).toString(), QString());
            QCOMPARE(settledStages(stages), click);
            const QModelIndex settled = stages->index(click - 1, 0);
            trail << settled.data(PlaybookStageModel::StageIdRole).toString() + QLatin1Char('=') +
                         settled.data(PlaybookStageModel::StateRole).toString();
        }
        qInfo() << "stages:" << trail;
        QCOMPARE(stages->index(0, 0).data(PlaybookStageModel::StateRole).toString(),
                 QStringLiteral("completed"));
        QCOMPARE(stages->index(remediation, 0).data(PlaybookStageModel::StateRole).toString(),
                 QStringLiteral("awaiting_approval"));
        const int verdictRow = stages->rowOf(QStringLiteral("verdict"));
        QCOMPARE(stages->index(verdictRow, 0).data(PlaybookStageModel::StateRole).toString(),
                 QStringLiteral("completed"));
        test::saveScreenshot(w, QStringLiteral("e2e-playbook-awaiting"));

        // 4. Approve the SHA-256 block on its card: one call to the XDR hash blocklist.
        QPushButton *approve = nullptr;
        QTRY_VERIFY((approve = approveButtonFor(pb, QStringLiteral("block_hash"))) != nullptr);
        // A real click lands where the button is on screen: scroll its card into view (again
        // while the new cards are laid out) and click where an analyst would.
        auto *scroll =
            qobject_cast<QScrollArea *>(pb->approvalCards()->parentWidget()->parentWidget());
        QVERIFY(scroll);
        QTRY_VERIFY((scroll->ensureWidgetVisible(approve), !approve->visibleRegion().isEmpty()));
        test::saveScreenshot(w, QStringLiteral("e2e-playbook-card"));
        QCOMPARE(xdr.requestCount(), 0);
        updated.clear();
        QTest::mouseClick(approve, Qt::LeftButton);
        QVERIFY(updated.wait(60000));
        QCOMPARE(updated.last().at(0).toString(), QString());
        QCOMPARE(xdr.requestCount(), 1);
        const auto request = xdr.requests().front();
        QCOMPARE(request.path, QByteArray("/public_api/v1/hash_exceptions/blocklist/"));
        QVERIFY(request.body.contains(kBlockedHash.toLatin1()));
        QCOMPARE(request.headers.value("x-xdr-auth-id"), QByteArray("7"));
        auto actions = actionstore::actionsOfCase(ts.store(), caseId);
        QVERIFY(actions.ok());
        bool blocked = false;
        for (const ActionRecord &a : actions.value())
            if (a.kind == QLatin1String("block_hash")) {
                QCOMPARE(a.state, ActionState::Succeeded);
                QCOMPARE(a.approvals.front().approver, QStringLiteral("alice"));
                blocked = true;
            }
        QVERIFY(blocked);

        // 5. File → Export → PDF report…: the dialog, Letter and TLP:RED, then Export.
        QAction *exportPdf = w->workbenchActions()->exportAction(ReportFormat::Pdf);
        QVERIFY(exportPdf);
        QTRY_VERIFY(exportPdf->isEnabled());
        const QString pdf = out.filePath(QStringLiteral("case-report.pdf"));
        bool dialogSeen = false;
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<ExportDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialogSeen = true;
            test::saveScreenshot(dialog, QStringLiteral("e2e-export-dialog"));
            dialog->pathEdit()->selectAll();
            QTest::keyClicks(dialog->pathEdit(), pdf);
            dialog->pageSizeCombo()->setCurrentIndex(
                dialog->pageSizeCombo()->findData(QStringLiteral("letter")));
            dialog->tlpCombo()->setCurrentIndex(
                dialog->tlpCombo()->findData(QStringLiteral("RED")));
            QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        });
        QSignalSpy exported(w->workbenchActions(), &WorkbenchActions::exportFinished);
        QSignalSpy failed(w->workbenchActions(), &WorkbenchActions::exportFailed);
        exportPdf->trigger();
        QVERIFY(dialogSeen);
        QTRY_VERIFY_WITH_TIMEOUT(!exported.isEmpty() || !failed.isEmpty(), 120000);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
        QCOMPARE(exported.count(), 1);
        const auto result = exported.first().at(0).value<ReportExportResult>();
        QCOMPARE(result.path, pdf);
        QVERIFY(result.pages >= 3);
        QVERIFY(w->messageBar()->isVisible());
        QVERIFY(w->messageBar()->text().startsWith(QStringLiteral("Saved ")));
        QVERIFY(w->messageBar()->text().contains(QStringLiteral("(%1 pages)").arg(result.pages)));
        QCOMPARE(w->messageBar()->actionButton()->text(), QStringLiteral("Open folder"));
        QVERIFY(!QFile::exists(pdf + QStringLiteral(".part")));
        test::saveScreenshot(w, QStringLiteral("e2e-export-done"));

        // 6. The PDF, read back.
        QProcess p;
        p.start(pdftotext, {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
        QVERIFY(p.waitForFinished(60000));
        const QString text = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(text.contains(QStringLiteral("TLP:RED")), "the chosen TLP marks the pages");
        QVERIFY(text.contains(QStringLiteral("malicious")));
        QVERIFY(text.contains(QStringLiteral("High")) || text.contains(QStringLiteral("high")));
        QVERIFY(text.contains(QStringLiteral("block_hash")));
        QVERIFY(text.contains(kBlockedHash.left(16)));
        QVERIFY(text.contains(QStringLiteral("alice")));
        QVERIFY(text.contains(QStringLiteral("succeeded")));
        QVERIFY(text.contains(QStringLiteral("FIN-WS-042")));
        // Letter, not A4: 612 x 792 pt.
        QProcess info;
        info.start(QStandardPaths::findExecutable(QStringLiteral("pdfinfo")), {pdf});
        QVERIFY(info.waitForFinished(30000));
        QVERIFY(
            QString::fromUtf8(info.readAllStandardOutput()).contains(QStringLiteral("612 x 792")));
    }
};

QTEST_MAIN(TestWorkbenchE2E)
#include "tst_workbenche2e.moc"
