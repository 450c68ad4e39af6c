// The workbench's service layer on a real store, offscreen: several services (windows) on one
// store, the queue following playbook changes, and API keys kept in the secret store.
#include "casequeuemodel.h"
#include "dialogs/exportdialog.h"
#include "dialogs/settingsdialog.h"
#include "enrichment/enrichmentsettings.h"
#include "enrichmentmodel.h"
#include "evidencemodel.h"
#include "guitestutils.h"
#include "import/importdispatcher.h"
#include "mainwindow.h"
#include "panels/caseoverviewpanel.h"
#include "panels/casequeuepanel.h"
#include "panels/enrichmentpanel.h"
#include "panels/evidencepanel.h"
#include "panels/playbookpanel.h"
#include "panels/timelinepanel.h"
#include "playbookstagemodel.h"
#include "secrets/secretstore.h"
#include "services/workbenchservice.h"
#include "testutils.h"
#include "theme.h"
#include "workbench.h"
#include "workbenchactions.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextLayout>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

using namespace causa;

namespace {

const QString kSample = QStringLiteral("/resources/samples/fin-ws-042-incident.json");

// Loads the queue and the first case through service; fails the calling test on any error.
void loadQueueAndCase(WorkbenchService &service, qint64 *caseIdOut)
{
    QSignalSpy queue(&service, &WorkbenchService::queueLoaded);
    QSignalSpy detail(&service, &WorkbenchService::caseLoaded);
    QSignalSpy errors(&service, &WorkbenchService::errorOccurred);
    service.reloadQueue(CaseFilter{});
    QTRY_VERIFY_WITH_TIMEOUT(queue.count() == 1 || errors.count() > 0, 10000);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
    QCOMPARE(queue.first().at(1).toLongLong(), qint64(1));
    const auto rows = queue.first().at(2).value<std::vector<CaseSummary>>();
    QCOMPARE(rows.size(), size_t(1));
    service.loadCase(rows.front().id);
    QTRY_VERIFY_WITH_TIMEOUT(detail.count() == 1 || errors.count() > 0, 10000);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
    const auto d = detail.first().at(0).value<CaseDetail>();
    QCOMPARE(d.summary.id, rows.front().id);
    QCOMPARE(d.alerts.size(), size_t(2));
    *caseIdOut = d.summary.id;
}

} // namespace

class TestWorkbenchServices : public QObject
{
    Q_OBJECT

    // The workbench at 1400 x 860 on its first case, run with "Run to next decision" as an
    // analyst clicks it.
    static void runToFirstDecision(Workbench &wb)
    {
        MainWindow *w = wb.window();
        w->resize(1400, 860);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        QTRY_VERIFY(w->currentCaseId() > 0);
        PlaybookPanel *pb = wb.playbook();
        QTRY_VERIFY(pb->runAllButton()->isEnabled() && !pb->busy());
        QSignalSpy viewUpdates(pb, &PlaybookPanel::viewUpdated);
        QTest::mouseClick(pb->runAllButton(), Qt::LeftButton);
        QVERIFY(viewUpdates.wait(60000));
        QTRY_VERIFY(!pb->busy());
    }

    QTemporaryDir m_secretsDir;

    QString secretsFile() const { return m_secretsDir.filePath(QStringLiteral("secrets.json")); }

    // Opens Tools → Settings on w, runs edit on the dialog, then presses OK.
    void editSettings(MainWindow *w, const std::function<void(SettingsDialog *)> &edit)
    {
        bool seen = false;
        QTimer::singleShot(0, this, [&] {
            auto *d = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget());
            QVERIFY(d);
            seen = true;
            edit(d);
            QTest::mouseClick(d->okButton(), Qt::LeftButton);
        });
        w->workbenchActions()->settingsAction()->trigger();
        QVERIFY(seen);
    }

    // Clicks button, which opens a QInputDialog; types text into it and accepts.
    void answerInputDialog(QPushButton *button, const QString &text)
    {
        bool seen = false;
        QTimer::singleShot(0, this, [&] {
            auto *in = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            QVERIFY(in);
            seen = true;
            QCOMPARE(in->textEchoMode(), QLineEdit::Password); // never shown while typed
            QTest::keyClicks(in->findChild<QLineEdit *>(), text);
            in->accept();
        });
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(seen);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("causa-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_workbenchservices"));
        QSettings().clear();
        // The owner-only file backend in a folder of the test, whatever the machine offers.
        QVERIFY(m_secretsDir.isValid());
        qputenv("CAUSA_SECRET_STORE", "file");
        qputenv("CAUSA_SECRETS_FILE", secretsFile().toUtf8());
        qunsetenv("CAUSA_VT_API_KEY");
        qunsetenv("CAUSA_ABUSEIPDB_API_KEY");
    }

    void twoServicesOnOneStore()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + kSample).ok());
        // Two windows at once, then windows recreated (a settings change, a reopened store): the
        // new services' pool threads often get the ids of threads that ended.
        for (int round = 0; round < 4; ++round) {
            WorkbenchService a(ts.shared());
            WorkbenchService b(ts.shared());
            qint64 idA = 0;
            qint64 idB = 0;
            loadQueueAndCase(a, &idA);
            if (QTest::currentTestFailed())
                return;
            loadQueueAndCase(b, &idB);
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(idA, idB);
            // Both at the same time, on every reader thread of both pools.
            loadQueueAndCase(a, &idA);
            loadQueueAndCase(b, &idB);
        }
    }

    void queueFollowsPlaybookRun()
    {
        test::TempStore ts;
        for (const QString &f : WorkbenchService::sampleFiles())
            QVERIFY(ImportDispatcher(ts.store()).importFile(f).ok());
        Workbench wb(ts.shared());
        MainWindow *w = wb.window();
        w->resize(1400, 860);
        w->show();
        QTRY_VERIFY(w->currentCaseId() > 0);
        const qint64 caseId = w->currentCaseId();
        CaseQueueModel *queue = w->queuePanel()->model();
        const int row = queue->rowOfCase(caseId);
        QVERIFY(row >= 0);
        const int before = queue->index(row, 0).data(CaseQueueModel::SeverityRole).toInt();
        QCOMPARE(before, int(ts.store().caseSummary(caseId)->severity));
        PlaybookPanel *pb = wb.playbook();
        QTRY_COMPARE(pb->stageModel()->rowCount(), 9);
        QTRY_VERIFY(!pb->busy() && pb->runAllButton()->isEnabled());

        QSignalSpy caseLoads(wb.service(), &WorkbenchService::caseLoaded);
        QSignalSpy queueLoads(wb.service(), &WorkbenchService::queueLoaded);
        QSignalSpy updated(wb.service(), &WorkbenchService::caseUpdated);
        QSignalSpy viewUpdates(pb, &PlaybookPanel::viewUpdated);
        QTest::mouseClick(pb->runAllButton(), Qt::LeftButton); // runs to the remediation approvals
        QVERIFY(viewUpdates.wait(60000));
        QCOMPARE(viewUpdates.last().at(0).toString(), QString());
        QTRY_COMPARE(updated.count(), 1);

        // The store says the verdict stage raised the severity; the queue row and the overview say
        // the same without a reload of the queue or the case.
        const auto stored = ts.store().caseSummary(caseId);
        QVERIFY(stored.ok());
        QVERIFY2(int(stored->severity) > before,
                 "the sample case is malicious: stage 5 raises its severity");
        QCOMPARE(stored->severity, Severity::High);
        QCOMPARE(queue->index(row, 0).data(CaseQueueModel::SeverityRole).toInt(),
                 int(stored->severity));
        QCOMPARE(queue->index(row, CaseQueueModel::SeverityColumn).data().toString(),
                 QStringLiteral("High"));
        QCOMPARE(queue->index(row, 0).data(CaseQueueModel::RowVersionRole).toInt(),
                 stored->rowVersion);
        bool overviewHigh = false;
        for (QLabel *l : w->overviewPanel()->findChildren<QLabel *>())
            overviewHigh = overviewHigh || l->text() == QLatin1String("High");
        QVERIFY(overviewHigh);
        QCOMPARE(w->queuePanel()->currentCaseId(), caseId); // the selection did not move
        // Stage 3 enriched the indicators: the Enrichment page shows the feed's malicious C2, not
        // the "unknown" it showed before the run.
        auto *enrichment = w->findChild<EnrichmentPanel *>();
        QVERIFY(enrichment);
        auto maxScore = [enrichment] {
            int best = -1;
            for (int r = 0; r < enrichment->model()->rowCount(); ++r)
                best = std::max(
                    best,
                    enrichment->model()->index(r, 0).data(EnrichmentModel::ScoreRole).toInt());
            return best;
        };
        QTRY_COMPARE(maxScore(), 3);

        // Layout: the queue's Title is readable beside the other columns at the default size, and
        // the stage list's "Why" wraps under the stage's title, over the title's whole width,
        // instead of being cut at the edge of a narrow column of its own.
        QTableView *queueView = w->queuePanel()->view();
        QVERIFY(queueView->columnWidth(CaseQueueModel::TitleColumn) >=
                queueView->fontMetrics().horizontalAdvance(QStringLiteral("Remote PsExec-like")));
        w->casePages()->setCurrentWidget(pb);
        QTest::qWait(100);
        const int verdictRow = pb->stageModel()->rowOf(QStringLiteral("verdict"));
        const QString reason =
            pb->stageModel()->index(verdictRow, PlaybookStageModel::ReasonColumn).data().toString();
        QVERIFY(reason.size() > 40);
        QVERIFY(pb->stageList()->isColumnHidden(PlaybookStageModel::ReasonColumn));
        const QRect cell = pb->stageList()->visualRect(
            pb->stageModel()->index(verdictRow, PlaybookStageModel::TitleColumn));
        QVERIFY2(cell.width() >= 200, qPrintable(QStringLiteral("%1 px").arg(cell.width())));
        QFont small = pb->stageList()->font();
        small.setPointSizeF(small.pointSizeF() * 0.92); // the delegate's size for the reason
        const QRect needed = QFontMetrics(small).boundingRect(
            QRect(0, 0, cell.width() - 8, 1 << 16), Qt::TextWordWrap, reason);
        const int titleHeight = pb->stageList()->fontMetrics().height();
        QVERIFY2(cell.height() >= titleHeight + needed.height(),
                 qPrintable(QStringLiteral("%1 px row for %2 px of title and reason")
                                .arg(cell.height())
                                .arg(titleHeight + needed.height())));

        // No loop: the change neither reloads the case (which would reload the playbook, which
        // would announce a change again) nor the queue, and nothing keeps going afterwards.
        QTest::qWait(500);
        QCOMPARE(caseLoads.count(), 0);
        QCOMPARE(queueLoads.count(), 0);
        QCOMPARE(updated.count(), 1);
        QVERIFY(!pb->busy());
    }

    // A label's "&" marks a shortcut only when the label has a buddy; otherwise it shows up as
    // a literal ampersand ("&Save to").
    void noLiteralAmpersandsInDialogs()
    {
        ExportDialog e(7, QStringLiteral("Remote PsExec-like LOLBIN"), ReportFormat::Pdf, QString(),
                       QStringLiteral("AMBER"), QStringLiteral("AMBER"));
        SettingsDialog d{WorkbenchSettings()};
        for (QDialog *dialog : std::initializer_list<QDialog *>{&e, &d}) {
            int mnemonics = 0;
            for (QLabel *l : dialog->findChildren<QLabel *>()) {
                if (l->textFormat() == Qt::PlainText || !l->text().contains(QLatin1Char('&')) ||
                    l->text().contains(QLatin1String("&&")))
                    continue;
                ++mnemonics;
                QVERIFY2(l->buddy(),
                         qPrintable(dialog->windowTitle() + QStringLiteral(": ") + l->text()));
            }
            QVERIFY(mnemonics >= 3);
        }
        QLabel *save = nullptr;
        for (QLabel *l : e.findChildren<QLabel *>())
            if (l->text() == QLatin1String("&Save to"))
                save = l;
        QVERIFY(save);
        QCOMPARE(save->buddy(), static_cast<QWidget *>(e.pathEdit()));
    }

    // View → Theme marks the theme saved in Settings (or by another window), not the one of startup.
    void themeMenuFollowsSettings()
    {
        test::TempStore ts;
        QSettings().setValue(QStringLiteral("ui/theme"), themeName(Theme::Light));
        Workbench wb(ts.shared());
        MainWindow *w = wb.window();
        w->show();
        auto checked = [w] {
            for (QAction *a : w->themeActions())
                if (a->isChecked())
                    return a->data().toString();
            return QString();
        };
        QCOMPARE(checked(), themeName(Theme::Light));
        QSignalSpy loaded(w->workbenchActions(), &WorkbenchActions::settingsChanged);
        QVERIFY(loaded.wait(10000));
        editSettings(w, [](SettingsDialog *d) {
            d->themeCombo()->setCurrentIndex(d->themeCombo()->findData(themeName(Theme::Dark)));
        });
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), themeName(Theme::Dark));
        QCOMPARE(checked(), themeName(Theme::Dark));
        // Chosen elsewhere (another window): the menu looks again when it opens.
        QSettings().setValue(QStringLiteral("ui/theme"), themeName(Theme::System));
        QMenu *themes =
            w->themeActions().first()->associatedObjects().isEmpty()
                ? nullptr
                : qobject_cast<QMenu *>(w->themeActions().first()->associatedObjects().first());
        QVERIFY(themes);
        Q_EMIT themes->aboutToShow();
        QCOMPARE(checked(), themeName(Theme::System));
        // The menu itself still switches and marks.
        w->themeActions().at(1)->trigger();
        QCOMPARE(checked(), themeName(Theme::Light));
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), themeName(Theme::Light));
        applyTheme(Theme::Light);
    }

    void apiKeysGoToTheSecretStoreOnly()
    {
        const QString vtKey = QStringLiteral("vt-key-6f1e0c7a9d2b4e58a3c1f0e9d8b7a6c5");
        const QString abuseKey = QStringLiteral("abuse-key-0123456789abcdef");
        test::TempStore ts;
        for (const QString &f : WorkbenchService::sampleFiles())
            QVERIFY(ImportDispatcher(ts.store()).importFile(f).ok());
        Workbench wb(ts.shared());
        MainWindow *w = wb.window();
        w->show();
        QSignalSpy changed(w->workbenchActions(), &WorkbenchActions::settingsChanged);
        QVERIFY(changed.wait(10000)); // the team settings loaded from the store

        // Set both keys.
        editSettings(w, [&](SettingsDialog *d) {
            d->tabs()->setCurrentIndex(2); // Enrichment
            QTRY_COMPARE(d->keyRow(QStringLiteral("virustotal")).status->text(),
                         QStringLiteral("not set"));
            QCOMPARE(d->keyRow(QStringLiteral("virustotal")).replace->text(),
                     QStringLiteral("Set…"));
            QVERIFY(!d->keyRow(QStringLiteral("virustotal")).clear->isEnabled());
            answerInputDialog(d->keyRow(QStringLiteral("virustotal")).replace, vtKey);
            answerInputDialog(d->keyRow(QStringLiteral("abuseipdb")).replace, abuseKey);
            QVERIFY(d->keyRow(QStringLiteral("virustotal"))
                        .status->text()
                        .startsWith(QStringLiteral("set")));
            QCOMPARE(d->keyRow(QStringLiteral("virustotal")).replace->text(),
                     QStringLiteral("Replace…"));
            // Nothing is written before OK.
            QVERIFY(secrets::read(QStringLiteral("virustotal"))->isEmpty());
        });
        QCOMPARE(secrets::read(QStringLiteral("virustotal")).value(), vtKey);
        QCOMPARE(secrets::read(QStringLiteral("abuseipdb")).value(), abuseKey);
        QFile file(secretsFile());
        QVERIFY(file.exists());
        QVERIFY(!(file.permissions() &
                  (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                   QFileDevice::WriteOther))); // owner-only (0600)
        // The enrichment providers get the key from there.
        QCOMPARE(EnrichmentSettings::fromEnvironment().virusTotal.apiKey, vtKey);

        // Reopened: "set", with the key nowhere on screen; Clear removes it on OK.
        editSettings(w, [&](SettingsDialog *d) {
            d->tabs()->setCurrentIndex(2);
            QTRY_COMPARE(d->keyRow(QStringLiteral("virustotal")).status->text(),
                         QStringLiteral("set"));
            for (QLabel *l : d->findChildren<QLabel *>())
                QVERIFY(!l->text().contains(vtKey) && !l->toolTip().contains(vtKey));
            for (QLineEdit *e : d->findChildren<QLineEdit *>())
                QVERIFY(!e->text().contains(vtKey));
            QVERIFY(d->keyRow(QStringLiteral("virustotal")).clear->isEnabled());
            QTest::mouseClick(d->keyRow(QStringLiteral("virustotal")).clear, Qt::LeftButton);
            QVERIFY(d->keyRow(QStringLiteral("virustotal"))
                        .status->text()
                        .startsWith(QStringLiteral("not set")));
        });
        QVERIFY(secrets::read(QStringLiteral("virustotal"))->isEmpty());
        QCOMPARE(secrets::read(QStringLiteral("abuseipdb")).value(), abuseKey); // untouched

        // Neither key is anywhere in the store's files (database, WAL) or the user's settings.
        QSettings().sync();
        QStringList files{QSettings().fileName()};
        const QDir storeDir = QFileInfo(ts.path()).dir();
        for (const QString &name : storeDir.entryList(QDir::Files))
            files << storeDir.filePath(name);
        QVERIFY(files.size() >= 2);
        for (const QString &path : files) {
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains(vtKey.toUtf8()), qPrintable(path));
            QVERIFY2(!bytes.contains(abuseKey.toUtf8()), qPrintable(path));
        }
    }

    // The Playbook page after a run in the workbench at 1400 x 860, where its panes are
    // narrow. The Decision box's checklist: each item as tall as its text at the list's width.
    // Fitted in the list's own resize event, before its viewport had the new width, the items
    // kept the heights of a much narrower list: gaps of four lines between one-line items. Then
    // the stage details and the pending approvals.
    void playbookPageReadsAfterARun()
    {
        test::TempStore ts;
        for (const QString &f : WorkbenchService::sampleFiles())
            QVERIFY(ImportDispatcher(ts.store()).importFile(f).ok());
        applyTheme(Theme::Light); // as the workbench starts
        Workbench wb(ts.shared());
        MainWindow *w = wb.window();
        PlaybookPanel *pb = wb.playbook();
        runToFirstDecision(wb);
        if (QTest::currentTestFailed())
            return;
        w->casePages()->setCurrentWidget(pb);
        pb->stageList()->setCurrentIndex(pb->stageModel()->index(4, 0)); // a stage's details
        QListWidget *list = pb->checklist();
        QTRY_VERIFY(list->isVisible() && list->count() > 0);
        QTest::qWait(200);
        const int indicator = list->style()->pixelMetric(QStyle::PM_IndicatorWidth, nullptr, list);
        for (int i = 0; i < list->count(); ++i) {
            QListWidgetItem *item = list->item(i);
            // The text wrapped at the width the list shows it in, with room for the check box.
            const QRect text = list->fontMetrics().boundingRect(
                QRect(0, 0, list->viewport()->width() - indicator - 16, 1 << 16), Qt::TextWordWrap,
                item->text());
            const int height = list->visualItemRect(item).height();
            QVERIFY2(height <= std::max(text.height(), indicator) + 8,
                     qPrintable(QStringLiteral("'%1' is %2 px tall for %3 px of text")
                                    .arg(item->text())
                                    .arg(height)
                                    .arg(text.height())));
        }
        // And the box is tall enough for the list: its buttons stay below the last task.
        const int listBottom = list->mapTo(w, QPoint(0, list->height())).y();
        QVERIFY2(listBottom <= pb->closeButton()->mapTo(w, QPoint(0, 0)).y(),
                 "the Decision box's buttons cover the checklist");
        // Each stage's details read in the narrow pane without scrolling sideways, and the
        // sample's related alert (4b) has its name in at most two lines: as a five-column table
        // it took a word per line.
        QTextBrowser *detail = pb->stageDetail();
        for (int r = 0; r < pb->stageModel()->rowCount(); ++r) {
            pb->stageList()->setCurrentIndex(pb->stageModel()->index(r, 0));
            QTest::qWait(30);
            QVERIFY2(detail->horizontalScrollBar()->maximum() == 0,
                     qPrintable(QStringLiteral("stage row %1 scrolls sideways: %2")
                                    .arg(r)
                                    .arg(detail->toPlainText().left(300))));
        }
        pb->stageList()->setCurrentIndex(pb->stageModel()->index(4, 0));
        QTest::qWait(30);
        const QString name =
            QStringLiteral("Suspicious LSASS memory dump via comsvcs.dll MiniDump");
        const QTextCursor found = detail->document()->find(name);
        QVERIFY2(!found.isNull(), qPrintable(detail->toPlainText()));
        const QTextBlock block = found.block();
        const QTextLayout *layout = block.layout();
        QVERIFY(layout && layout->lineCount() > 0);
        int nameLines = 0;
        for (int i = 0; i < layout->lineCount(); ++i) {
            const QTextLine line = layout->lineAt(i);
            const int start = block.position() + line.textStart();
            if (start < found.selectionEnd() && start + line.textLength() > found.selectionStart())
                ++nameLines;
        }
        QVERIFY2(nameLines <= 2, qPrintable(QStringLiteral("the related alert's name takes %1 "
                                                           "lines in a %2 px pane")
                                                .arg(nameLines)
                                                .arg(detail->viewport()->width())));
        // The pending approvals (three after the sample's run) show whole, even with the pane
        // dragged as small as it goes.
        QTreeWidget *queue = pb->approvalQueue();
        QCOMPARE(queue->topLevelItemCount(), 3);
        auto *split = qobject_cast<QSplitter *>(queue->parentWidget());
        QVERIFY(split);
        QList<int> sizes = split->sizes();
        const int at = split->indexOf(queue);
        QVERIFY(at > 0);
        sizes[at - 1] += sizes[at];
        sizes[at] = 0;
        split->setSizes(sizes);
        QTest::qWait(50);
        const QRect last = queue->visualItemRect(queue->topLevelItem(2));
        QVERIFY2(queue->isVisible() && last.isValid() &&
                     last.bottom() < queue->viewport()->height(),
                 "the third pending approval is cut off");
        // On a laptop's 1366 x 768 the stage list shows all nine stages: the inputs for a new
        // run are folded to a line of their values.
        QVERIFY(!pb->inputsForm()->isVisible());
        QVERIFY2(pb->inputsSummary()->text().contains(QLatin1String("AutoRemediation=false")),
                 qPrintable(pb->inputsSummary()->text()));
        w->resize(1366, 768);
        QTest::qWait(100);
        QVERIFY2(pb->stageList()->verticalScrollBar()->maximum() == 0,
                 qPrintable(QStringLiteral("the stage list scrolls in %1 px")
                                .arg(pb->stageList()->viewport()->height())));
        // Unfolded, the form replaces the line; a value changed there shows once folded again.
        pb->inputsToggle()->click();
        QVERIFY(pb->inputsForm()->isVisible() && !pb->inputsSummary()->isVisible());
        QCheckBox *autoRemediation = nullptr;
        for (QCheckBox *c : pb->inputsForm()->findChildren<QCheckBox *>())
            if (c->text().contains(QLatin1String("without approval")))
                autoRemediation = c;
        QVERIFY(autoRemediation);
        QTest::mouseClick(autoRemediation, Qt::LeftButton, {},
                          QPoint(4, autoRemediation->height() / 2));
        pb->inputsToggle()->click();
        QVERIFY(!pb->inputsForm()->isVisible() && pb->inputsSummary()->isVisible());
        QVERIFY2(pb->inputsSummary()->text().contains(QLatin1String("AutoRemediation=true")),
                 qPrintable(pb->inputsSummary()->text()));
        QVERIFY(pb->inputAssignments().contains(QStringLiteral("AutoRemediation=true")));
    }

    // The playbook tags the sample's Sigma match as evidence. On the Evidence page it reads
    // "Sigma hit" (it read "sigma_hit"), the pane under the table has its label and comment
    // whole, and "Go to item" opens its event on the Timeline (it did nothing).
    void sigmaEvidenceOpensItsEvent()
    {
        test::TempStore ts;
        for (const QString &f : WorkbenchService::sampleFiles())
            QVERIFY(ImportDispatcher(ts.store()).importFile(f).ok());
        Workbench wb(ts.shared());
        MainWindow *w = wb.window();
        runToFirstDecision(wb);
        if (QTest::currentTestFailed())
            return;
        auto *evidence = w->findChild<EvidencePanel *>();
        auto *timeline = w->findChild<TimelinePanel *>();
        QVERIFY(evidence && timeline);
        w->casePages()->setCurrentWidget(evidence);
        EvidenceModel *model = evidence->model();
        int row = -1;
        QTRY_VERIFY([&] {
            for (int r = 0; r < model->rowCount(); ++r)
                if (model->index(r, 0).data(EvidenceModel::KindRole).toString() ==
                    QLatin1String("sigma_hit"))
                    row = r;
            return row >= 0;
        }());
        const EvidenceItem item = *model->itemAt(row);
        QCOMPARE(model->index(row, EvidenceModel::KindColumn).data().toString(),
                 QStringLiteral("Sigma hit"));
        QVERIFY2(item.ref.startsWith(QLatin1String("event:")), qPrintable(item.ref));
        evidence->view()->setCurrentIndex(model->index(row, 0));
        QVERIFY2(evidence->detailText().contains(item.label) &&
                     evidence->detailText().contains(item.detail),
                 qPrintable(evidence->detailText()));
        test::saveScreenshot(w, QStringLiteral("evidence-sigma-hit"));
        evidence->jumpToCurrent();
        QTRY_COMPARE(w->casePages()->currentWidget(), timeline);
        const qint64 eventId = item.ref.section(QLatin1Char(':'), 1, 1).toLongLong();
        QTRY_VERIFY(timeline->currentEvent() && timeline->currentEvent()->id == eventId);
    }

    // Every case page of the sample case after a playbook run, light and dark, for a person to
    // look at (CAUSA_SCREENSHOT_DIR; run again with QT_SCALE_FACTOR=1.25 and 1.5, and with
    // CAUSA_SCREENSHOT_SIZE=1366x768 for a laptop's screen).
    void screenshotSweep()
    {
        if (qEnvironmentVariableIsEmpty("CAUSA_SCREENSHOT_DIR"))
            QSKIP("set CAUSA_SCREENSHOT_DIR to write screenshots");
        const QString scale = qEnvironmentVariable("QT_SCALE_FACTOR");
        QString suffix = scale.isEmpty() ? QString() : QStringLiteral("@") + scale;
        QSize size(1400, 860);
        const QStringList wh =
            qEnvironmentVariable("CAUSA_SCREENSHOT_SIZE").split(QLatin1Char('x'));
        if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0) {
            size = QSize(wh[0].toInt(), wh[1].toInt());
            suffix += QLatin1Char('-') + wh.join(QLatin1Char('x'));
        }
        test::TempStore ts;
        for (const QString &f : WorkbenchService::sampleFiles())
            QVERIFY(ImportDispatcher(ts.store()).importFile(f).ok());
        for (Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            Workbench wb(ts.shared());
            MainWindow *w = wb.window();
            w->resize(size);
            w->show();
            QTRY_VERIFY(w->currentCaseId() > 0);
            PlaybookPanel *pb = wb.playbook();
            QTRY_COMPARE(pb->stageModel()->rowCount(), 9);
            QTRY_VERIFY(
                pb->stageModel()->index(0, 0).data(PlaybookStageModel::StateRole).isValid() &&
                !pb->busy());
            if (theme == Theme::Light) { // the run stays in the store for the dark round
                QTRY_VERIFY(pb->runAllButton()->isEnabled());
                QSignalSpy viewUpdates(pb, &PlaybookPanel::viewUpdated);
                QTest::mouseClick(pb->runAllButton(), Qt::LeftButton);
                QVERIFY(viewUpdates.wait(60000));
            }
            QTest::qWait(400);
            QTabWidget *pages = w->casePages();
            for (int i = 0; i < pages->count(); ++i) {
                pages->setCurrentIndex(i);
                if (pages->tabText(i) == QLatin1String("Playbook") && theme == Theme::Light)
                    for (int r = 0; r < pb->stageModel()->rowCount(); ++r) { // each stage's detail
                        pb->stageList()->setCurrentIndex(pb->stageModel()->index(r, 0));
                        QTest::qWait(100);
                        test::saveScreenshot(pb, QStringLiteral("sweep-%1-playbook-stage-%2%3")
                                                     .arg(i)
                                                     .arg(r)
                                                     .arg(suffix));
                    }
                if (pages->tabText(i) == QLatin1String("Playbook") &&
                    pb->stageModel()->rowCount() > 4)
                    pb->stageList()->setCurrentIndex(pb->stageModel()->index(4, 0));
                QTest::qWait(250);
                const QString page = pages->tabText(i)
                                         .toLower()
                                         .remove(QLatin1Char('&'))
                                         .replace(QLatin1Char(' '), QLatin1Char('-'));
                test::saveScreenshot(w,
                                     QStringLiteral("sweep-%1-%2%3")
                                         .arg(i)
                                         .arg(page + QLatin1Char('-') + themeName(theme), suffix));
            }
        }
        applyTheme(Theme::Light);
    }
};

QTEST_MAIN(TestWorkbenchServices)
#include "tst_workbenchservices.moc"
