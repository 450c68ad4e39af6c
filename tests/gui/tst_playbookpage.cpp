// The Playbook page as an analyst uses it (issue: the analyst decides). Opening ten cases writes
// nothing; then the whole sample case through the Playbook page only: run, skip a stage with a
// reason, override the verdict, approve a block, tick the checklist, close as true positive,
// export the PDF and read every decision back from it. Screenshots in light and dark.
#include "casequeuemodel.h"
#include "connectors/exportconnector.h"
#include "core/jsonutil.h"
#include "dialogs/decisiondialog.h"
#include "dialogs/exportdialog.h"
#include "enrichmentmodel.h"
#include "guitestutils.h"
#include "import/importdispatcher.h"
#include "mainwindow.h"
#include "panels/approvalcard.h"
#include "panels/casequeuepanel.h"
#include "panels/commandlinepanel.h"
#include "panels/enrichmentpanel.h"
#include "panels/playbookpanel.h"
#include "playbookstagemodel.h"
#include "services/workbenchservice.h"
#include "store/actionstore.h"
#include "store/auditlog.h"
#include "testasserts.h"
#include "testutils.h"
#include "theme.h"
#include "workbench.h"
#include "workbenchactions.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace causa;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

// What any write would change, for a store that is not a single file (PostgreSQL).
QString storeFingerprint(CaseStore &store)
{
    auto db = store.connection();
    QSqlQuery q(db.value());
    QStringList parts;
    for (const char *sql : {"SELECT COUNT(*) FROM audit_log", "SELECT COUNT(*) FROM playbook_runs",
                            "SELECT COALESCE(SUM(row_version), 0) FROM cases",
                            "SELECT COALESCE(MAX(updated_at), 0) FROM cases",
                            "SELECT COUNT(*) FROM actions", "SELECT COUNT(*) FROM evidence"}) {
        if (!q.exec(QString::fromLatin1(sql)) || !q.next())
            return QStringLiteral("query failed: ") + QString::fromLatin1(sql);
        parts << q.value(0).toString();
    }
    return parts.join(QLatin1Char('/'));
}

// Answers the next modal DecisionDialog: choice (by value) and reason, then OK.
void answerDecision(const QString &choice, const QString &reason, bool *seen)
{
    QTimer::singleShot(0, [=] {
        auto *d = qobject_cast<DecisionDialog *>(QApplication::activeModalWidget());
        if (!d)
            return;
        *seen = true;
        if (!choice.isEmpty())
            d->choiceCombo()->setCurrentIndex(d->choiceCombo()->findData(choice));
        d->reasonEdit()->setPlainText(reason);
        QTest::mouseClick(d->okButton(), Qt::LeftButton);
    });
}

int visibleCards(PlaybookPanel *pb)
{
    int n = 0;
    for (const ApprovalCard *card : pb->findChildren<ApprovalCard *>())
        n += card->isVisible();
    return n;
}

// The first card line taller than its text needs at its width, or empty.
QString cardLinesFit(PlaybookPanel *pb)
{
    for (const ApprovalCard *card : pb->findChildren<ApprovalCard *>())
        for (const QLabel *l : card->findChildren<QLabel *>())
            if (l->height() > l->heightForWidth(l->width()) + 2)
                return QStringLiteral("%1: %2 px for %3 px of text")
                    .arg(l->text().left(40))
                    .arg(l->height())
                    .arg(l->heightForWidth(l->width()));
    return {};
}

void selectStage(PlaybookPanel *pb, const QString &id)
{
    pb->stageList()->setCurrentIndex(pb->stageModel()->index(pb->stageModel()->rowOf(id), 0));
}

QPushButton *cardButton(PlaybookPanel *pb, const QString &kind, const QString &text)
{
    for (QFrame *card : pb->approvalCards()->findChildren<QFrame *>()) {
        bool match = false;
        for (QLabel *l : card->findChildren<QLabel *>())
            match =
                match || l->text().contains(QStringLiteral(" ") + kind + QStringLiteral("</b>"));
        if (match)
            for (QPushButton *b : card->findChildren<QPushButton *>())
                if (b->text() == text)
                    return b;
    }
    return nullptr;
}

QString writeIncident(const QDir &dir, int n)
{
    QFile in(test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json"));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    nlohmann::json doc = nlohmann::json::parse(in.readAll().toStdString());
    doc["reply"]["incident"]["incident_id"] = std::to_string(6000 + n);
    for (auto &a : doc["reply"]["alerts"]["data"]) {
        a["alert_id"] = a["alert_id"].get<std::string>() + "-" + std::to_string(n);
        a["case_id"] = 6000 + n;
    }
    const QString path = dir.filePath(QStringLiteral("incident-%1.json").arg(n));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(QByteArray::fromStdString(doc.dump()));
    return path;
}

// The sample case in the store, as the README's first command loads it.
void importSample(test::TempStore &ts)
{
    for (const QString &f : WorkbenchService::sampleFiles())
        QVERIFY(ImportDispatcher(ts.store()).importFile(f).ok());
}

// Shows the workbench on its first case's Playbook page, as an analyst opens it.
void showPlaybookPage(Workbench &wb)
{
    MainWindow *w = wb.window();
    w->resize(1400, 900);
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w));
    QTRY_VERIFY(w->currentCaseId() > 0);
    w->casePages()->setCurrentWidget(wb.playbook());
    QTRY_VERIFY(!wb.playbook()->busy());
}

} // namespace

class TestPlaybookPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("causa-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_playbookpage"));
        QSettings().clear();
        QSettings().setValue(QStringLiteral("analyst/name"), QStringLiteral("alice"));
    }

    void openingTenCasesWritesNothing()
    {
        test::TempStore ts;
        QTemporaryDir dir;
        for (int n = 0; n < 10; ++n)
            QVERIFY(
                ImportDispatcher(ts.store()).importFile(writeIncident(QDir(dir.path()), n)).ok());
        QCOMPARE(ts.store().cases()->size(), size_t(10));
        const QString before = storeFingerprint(ts.store());
        QByteArray fileBefore;
        if (!ts.isPostgres()) {
            auto db = ts.store().connection();
            QSqlQuery(db.value()).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
            fileBefore = fileHash(ts.path());
            QVERIFY(!fileBefore.isEmpty());
        }
        {
            Workbench wb(ts.shared());
            MainWindow *w = wb.window();
            w->resize(1400, 860);
            w->show();
            QVERIFY(QTest::qWaitForWindowExposed(w));
            QTRY_COMPARE(w->queuePanel()->model()->rowCount(), 10);
            PlaybookPanel *pb = wb.playbook();
            w->casePages()->setCurrentWidget(pb);
            QSignalSpy loaded(pb, &PlaybookPanel::viewUpdated);
            const auto rows_ = ts.store().cases().value();
            for (const CaseSummary &c : rows_) {
                w->queuePanel()->selectCase(c.id);
                QTRY_COMPARE(w->currentCaseId(), c.id);
                QTRY_VERIFY(!loaded.isEmpty() && !pb->busy());
                loaded.clear();
                QVERIFY(!pb->runView()); // nothing ran
                for (int page = 0; page < w->casePages()->count(); ++page) {
                    // every page of the case, as a user clicks through
                    w->casePages()->setCurrentIndex(page);
                    QTest::qWait(20);
                }
                w->casePages()->setCurrentWidget(pb);
            }
            QTest::qWait(300);
            test::saveScreenshot(w, QStringLiteral("playbook-no-run"));
        }
        QCOMPARE(storeFingerprint(ts.store()), before);
        if (!ts.isPostgres()) {
            auto db = ts.store().connection();
            QSqlQuery(db.value()).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
            QCOMPARE(fileHash(ts.path()), fileBefore);
        }
        const auto rows_ = ts.store().cases().value();
        for (const CaseSummary &c : rows_) {
            QCOMPARE(c.status, QStringLiteral("new"));
            // the import's own entries
            QVERIFY(audit::entries(ts.store().connection().value(), c.id)->size() <= 2);
        }
    }

    // The analyst disagrees before any run: the close dialog offers every resolution, false
    // positive closes with its note, and reopening asks for a reason that the audit keeps.
    void falsePositiveAndReopenFromTheDialogs()
    {
        test::TempStore ts;
        importSample(ts);
        Workbench wb(ts.shared());
        showPlaybookPage(wb);
        if (QTest::currentTestFailed())
            return;
        MainWindow *w = wb.window();
        const qint64 caseId = w->currentCaseId();
        PlaybookPanel *pb = wb.playbook();
        QTRY_VERIFY(pb->closeButton()->isEnabled());
        QSignalSpy updated(pb, &PlaybookPanel::viewUpdated);
        bool seen = false;
        answerDecision(QStringLiteral("false_positive"),
                       QStringLiteral("scheduled admin maintenance, change CHG-1182"), &seen);
        QTest::mouseClick(pb->closeButton(), Qt::LeftButton);
        QVERIFY(seen);
        QVERIFY(updated.wait(60000));
        QTRY_VERIFY(!pb->busy());
        QCOMPARE(ts.store().caseSummary(caseId)->status, QStringLiteral("closed"));
        QCOMPARE(ts.store().caseSummary(caseId)->verdict, QStringLiteral("false_positive"));
        QTRY_VERIFY(pb->reopenButton()->isEnabled());

        seen = false;
        updated.clear();
        answerDecision({}, QStringLiteral("new alert on the same host"), &seen);
        QTest::mouseClick(pb->reopenButton(), Qt::LeftButton);
        QVERIFY(seen);
        QVERIFY(updated.wait(60000));
        QTRY_VERIFY(!pb->busy());
        QVERIFY(ts.store().caseSummary(caseId)->status != QLatin1String("closed"));
        QTRY_VERIFY(pb->closeButton()->isEnabled());
        QCOMPARE(test::countAuditKind(ts.store(), caseId, QStringLiteral("case.reopened")), 1);
        QVERIFY(audit::verify(ts.store().connection().value(), caseId)->intact);
    }

    void wholeSampleCaseThroughThePlaybookPage()
    {
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QSKIP("poppler-utils (pdftotext) is not installed");
        test::TempStore ts;
        importSample(ts);
        QTemporaryDir out;
        Workbench wb(ts.shared());
        wb.setConnectorFactory([&out] {
            return std::make_shared<ExportConnector>(out.path(),
                                                     QByteArray("page-test-key-0123456789"));
        });
        showPlaybookPage(wb);
        if (QTest::currentTestFailed())
            return;
        MainWindow *w = wb.window();
        const qint64 caseId = w->currentCaseId();
        PlaybookPanel *pb = wb.playbook();
        QTRY_VERIFY(pb->runAllButton()->isEnabled());
        QSignalSpy updated(pb, &PlaybookPanel::viewUpdated);
        auto waitIdle = [&] {
            QVERIFY(updated.wait(60000));
            QTRY_VERIFY(!pb->busy());
            QCOMPARE(updated.last().at(0).toString(), QString());
        };
        // The analyst wants the verdict to rest on evidence they review: no high-alert shortcut.
        pb->findChildren<QSpinBox *>().at(0)->setValue(0); // HighAlertsThreshold
        bool seen = false;

        // 1. Run: stops at the remediation approvals.
        QTest::mouseClick(pb->runAllButton(), Qt::LeftButton);
        waitIdle();
        QVERIFY(pb->runView());
        QCOMPARE(pb->runView()->run.state, RunState::AwaitingApproval);
        selectStage(pb, QStringLiteral("enrichment"));
        QVERIFY2(!pb->stageDetail()->toPlainText().contains(QStringLiteral("\"indicators\"")),
                 "readable, not raw JSON");
        QVERIFY(pb->stageDetail()->toPlainText().contains(QStringLiteral("Decided by")));
        // The three approval cards show on the next event loop turns (new children of a shown
        // widget), each line at its own height: no card spreads spare height as blank lines.
        QTRY_COMPARE(visibleCards(pb), 3);
        QTRY_VERIFY2(cardLinesFit(pb).isEmpty(), qPrintable(cardLinesFit(pb)));
        test::saveScreenshot(w, QStringLiteral("playbook-awaiting-approval-light"));

        // The stage pane's links open the page with the thing selected: 4a's first analysed line
        // on Command lines, an indicator on Enrichment.
        const StageStateRecord *cmdline = nullptr;
        for (const StageStateRecord &st : pb->runView()->stages)
            if (st.stageId == QLatin1String("cmdline"))
                cmdline = &st;
        QVERIFY(cmdline);
        const QString firstLine = js::str(cmdline->outputs["results"][0], "command_line");
        QVERIFY(!firstLine.isEmpty());
        Q_EMIT pb->stageDetail()->anchorClicked(QUrl(QStringLiteral("causa:cmdline/0")));
        auto *lines = w->findChild<CommandLinePanel *>();
        QCOMPARE(w->casePages()->currentWidget(), static_cast<QWidget *>(lines));
        QVERIFY(lines->lines()->currentItem());
        QCOMPARE(lines->lines()->currentItem()->data(Qt::UserRole).toString(), firstLine);
        QString indicator;
        for (const StageStateRecord &st : pb->runView()->stages)
            if (st.stageId == QLatin1String("enrichment") &&
                !st.outputs.value("indicators", nlohmann::json::array()).empty())
                indicator = js::str(st.outputs["indicators"].back(), "value");
        QVERIFY(!indicator.isEmpty());
        w->casePages()->setCurrentWidget(pb);
        Q_EMIT pb->stageDetail()->anchorClicked(
            QUrl(QStringLiteral("causa:indicator/") + indicator));
        QCOMPARE(w->casePages()->currentWidget(), static_cast<QWidget *>(w->enrichmentPanel()));
        QCOMPARE(w->enrichmentPanel()
                     ->view()
                     ->currentIndex()
                     .data(EnrichmentModel::ValueRole)
                     .toString(),
                 indicator);
        w->casePages()->setCurrentWidget(pb);

        // 2. Skip 4a with a reason (the analyst decoded it by hand): later stages go back to pending.
        selectStage(pb, QStringLiteral("cmdline"));
        answerDecision({}, QStringLiteral("decoded by hand in the lab"), &seen);
        QTest::mouseClick(pb->skipButton(), Qt::LeftButton);
        QVERIFY(seen);
        waitIdle();
        QTest::mouseClick(pb->runAllButton(), Qt::LeftButton);
        waitIdle();
        const StageStateRecord *verdict = nullptr;
        for (const StageStateRecord &st : pb->runView()->stages)
            if (st.stageId == QLatin1String("verdict"))
                verdict = &st;
        QVERIFY(verdict);
        QCOMPARE(js::str(verdict->outputs, "verdict"), QStringLiteral("not_malicious"));

        // 3. Override the verdict: malicious, with the reason.
        selectStage(pb, QStringLiteral("verdict"));
        seen = false;
        answerDecision(QStringLiteral("malicious"),
                       QStringLiteral("AMSI bypass and download cradle in the payload"), &seen);
        QTest::mouseClick(pb->overrideButton(), Qt::LeftButton);
        QVERIFY(seen);
        waitIdle();
        QTest::mouseClick(pb->runAllButton(), Qt::LeftButton);
        waitIdle();
        QCOMPARE(pb->runView()->run.state, RunState::AwaitingApproval);

        // 4. Approve the hash block on its card; approve the termination; reject the isolation.
        QPushButton *approve = nullptr;
        QTRY_VERIFY((approve = cardButton(pb, QStringLiteral("block_hash"),
                                          QStringLiteral("Approve"))) != nullptr);
        approve->click();
        waitIdle();
        QTRY_VERIFY((approve = cardButton(pb, QStringLiteral("terminate_causality"),
                                          QStringLiteral("Approve"))) ||
                    (approve = cardButton(pb, QStringLiteral("terminate_process"),
                                          QStringLiteral("Approve"))));
        approve->click();
        waitIdle();
        QPushButton *reject = nullptr;
        QTRY_VERIFY((reject = cardButton(pb, QStringLiteral("isolate_endpoint"),
                                         QStringLiteral("Reject…"))) != nullptr);
        seen = false;
        answerDecision({}, QStringLiteral("finance host: the network team isolates it"), &seen);
        reject->click();
        QVERIFY(seen);
        waitIdle();

        // 5. Tick the checklist's first task.
        QTRY_VERIFY(pb->checklist()->count() == 3);
        pb->checklist()->item(0)->setCheckState(Qt::Checked);
        waitIdle();
        QCOMPARE(pb->checklist()->item(0)->checkState(), Qt::Checked);
        QVERIFY(pb->checklist()->item(0)->text().contains(QStringLiteral("alice")));

        // 6. The playbook reaches stage 7: it proposes, the analyst closes as true positive.
        QTest::mouseClick(pb->runAllButton(), Qt::LeftButton);
        waitIdle();
        QCOMPARE(pb->runView()->run.state, RunState::AwaitingDecision);
        QVERIFY(ts.store().caseSummary(caseId)->status != QLatin1String("closed"));
        selectStage(pb, QStringLiteral("close"));
        QVERIFY(pb->stageDetail()->toPlainText().contains(
            QStringLiteral("Proposed resolution: true positive")));
        QTRY_COMPARE(visibleCards(pb), 3);
        test::saveScreenshot(w, QStringLiteral("playbook-awaiting-decision-light"));
        applyTheme(Theme::Dark);
        QTest::qWait(100);
        test::saveScreenshot(w, QStringLiteral("playbook-awaiting-decision-dark"));
        applyTheme(Theme::Light);
        seen = false;
        answerDecision(QStringLiteral("true_positive"),
                       QStringLiteral("confirmed lateral movement from WKS-ADMIN-07"), &seen);
        QTest::mouseClick(pb->closeButton(), Qt::LeftButton);
        QVERIFY(seen);
        waitIdle();
        QCOMPARE(ts.store().caseSummary(caseId)->status, QStringLiteral("closed"));
        QCOMPARE(ts.store().caseSummary(caseId)->verdict, QStringLiteral("true_positive"));
        QVERIFY(pb->reopenButton()->isEnabled());
        QVERIFY(!pb->closeButton()->isEnabled());
        QTest::qWait(100); // the rebuilt cards and the queue row show on the next event loop turns
        test::saveScreenshot(w, QStringLiteral("playbook-closed-light"));
        applyTheme(Theme::Dark);
        QTest::qWait(100);
        test::saveScreenshot(w, QStringLiteral("playbook-closed-dark"));
        applyTheme(Theme::Light);

        // 7. Export the PDF: every decision is in it.
        const QString pdf = out.filePath(QStringLiteral("decisions.pdf"));
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<ExportDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->pathEdit()->setText(pdf);
            QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        });
        QSignalSpy exported(w->workbenchActions(), &WorkbenchActions::exportFinished);
        QSignalSpy failed(w->workbenchActions(), &WorkbenchActions::exportFailed);
        w->workbenchActions()->exportAction(ReportFormat::Pdf)->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!exported.isEmpty() || !failed.isEmpty(), 120000);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
        QProcess p;
        p.start(pdftotext, {pdf, QStringLiteral("-")});
        QVERIFY(p.waitForFinished(60000));
        const QString text = QString::fromUtf8(p.readAllStandardOutput()).simplified();
        for (const char *expected :
             {"decoded by hand in the lab", "AMSI bypass and download cradle in the payload",
              "the network team isolates it", "ticked checklist", "closed as true positive",
              "lateral movement from WKS-ADMIN-07", "block_hash", "succeeded"})
            QVERIFY2(text.contains(QLatin1String(expected)), expected);
        QVERIFY(audit::verify(ts.store().connection().value(), caseId)->intact);
    }
};

QTEST_MAIN(TestPlaybookPage)
#include "tst_playbookpage.moc"
