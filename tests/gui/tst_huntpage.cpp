// The Hunt page as an analyst uses it (issue 22): the team's Sigma rules (the project's pack plus
// the folders of the store's hunt.sigma_paths) over the sample case's hosts, hits grouped by
// rule with level, ATT&CK tags and credit, a hit opening its event on the Timeline and its
// process in the Process tree, hostile event text shown literally; the Settings dialog's
// Hunting tab (Browse…, validation, rules loaded / skipped) and the setting's round trip
// through the store. Screenshots in light and dark.
#include "casepages.h"
#include "dialogs/settingsdialog.h"
#include "dialogs/sigmafolderseditor.h"
#include "forest/forestbuilder.h"
#include "guitestutils.h"
#include "import/importdispatcher.h"
#include "mainwindow.h"
#include "panels/casequeuepanel.h"
#include "panels/huntpanel.h"
#include "panels/processtreepanel.h"
#include "panels/timelinepanel.h"
#include "processtreemodel.h"
#include "services/workbenchservice.h"
#include "sigma/teamrules.h"
#include "store/settingsstore.h"
#include "testutils.h"
#include "theme.h"
#include "workbench.h"
#include "workbenchactions.h"

#include <QApplication>
#include <QCheckBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

using namespace causa;

namespace {

const QString kMarkup = QStringLiteral("<b>pwned</b><img src=x onerror=alert(1)>");

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// A PsExec service starting cmd.exe on the sample host, whose command line is hostile markup:
// the pack's "LOLBin started by a remote execution service" rule matches it.
QByteArray hostileEvent()
{
    return QByteArrayLiteral(
               "{\"EventID\": 1, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Hostname\": "
               "\"FIN-WS-042.corp.example\", \"UtcTime\": \"2026-11-19 09:10:00.000\", \"EventTime\": "
               "\"2026-11-19 09:10:00\", \"ProcessGuid\": \"{7c1e2a10-3b10-6a4f-4a02-00000000aa01}\", "
               "\"ProcessId\": 4411, \"Image\": \"C:\\\\Windows\\\\System32\\\\cmd.exe\", \"CommandLine\": "
               "\"cmd.exe /c echo ") +
           kMarkup.toUtf8() +
           QByteArrayLiteral(
               "\", \"ParentProcessGuid\": \"{7c1e2a10-3b10-6a4f-4a02-00000000aa00}\", \"ParentProcessId\": 4410, "
               "\"ParentImage\": \"C:\\\\Windows\\\\PSEXESVC.exe\", \"User\": \"CORP\\\\svc_backup\"}\n");
}

// The team's folder: one good rule (matches the sample's encoded PowerShell) and one broken file.
const QByteArray kGoodRule = QByteArrayLiteral(R"(title: Team Rule Encoded PowerShell
id: 6c4a3e0e-7a51-4c7e-9d0e-0f0b7e1a2b3c
status: test
description: Our team's rule for an encoded PowerShell command.
author: Team Blue
license: internal
tags:
    - attack.execution
    - attack.t1059.001
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        CommandLine|contains: ' -enc '
    condition: selection
level: medium
)");
const QByteArray kBrokenRule =
    QByteArrayLiteral("title: Broken\ndetection: {selection: [unclosed\n  condition: selection\n");

QTreeWidgetItem *ruleItem(QTreeWidget *tree, const QString &titlePrefix)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0).startsWith(titlePrefix))
            return tree->topLevelItem(i);
    return nullptr;
}

struct Bench
{
    test::TempStore ts;
    std::unique_ptr<Workbench> wb;
    HuntPanel *hunt = nullptr;

    bool open()
    {
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        ImportDispatcher importer(ts.store());
        for (const char *f : {"fin-ws-042-incident.json", "fin-ws-042-events.jsonl"})
            if (!importer.importFile(samples + QLatin1String(f)).ok())
                return false;
        const QString hostile = QDir(QStandardPaths::writableLocation(QStandardPaths::TempLocation))
                                    .filePath(QStringLiteral("tst_huntpage-hostile.jsonl"));
        if (!writeFile(hostile, hostileEvent()) || !importer.importFile(hostile).ok())
            return false;
        wb = std::make_unique<Workbench>(ts.shared());
        wb->window()->resize(1400, 860);
        wb->window()->show();
        hunt = wb->casePages()->hunt();
        return hunt != nullptr;
    }
    // Shows the Hunt page (the hunt runs when it is shown).
    void showHunt() { wb->window()->casePages()->setCurrentWidget(hunt); }
};

} // namespace

class TestHuntPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("causa-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_huntpage"));
        QSettings().clear();
    }

    // The project's pack over the sample case: rules loaded, hits grouped by rule (most severe
    // level first) with tags and credit, hostile markup kept literal, and a hit opening its event
    // on the Timeline and its process in the Process tree.
    void packHitsOnSampleCase()
    {
        Bench b;
        QVERIFY(b.open());
        QTRY_VERIFY_WITH_TIMEOUT(b.wb->window()->currentCaseId() > 0, 20000);
        b.showHunt();
        QTRY_VERIFY_WITH_TIMEOUT(b.hunt->result().rulesLoaded > 0, 20000);
        const HuntPageResult &r = b.hunt->result();
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.rulesLoaded >= 6);
        QVERIFY(r.eventsScanned >= 15);
        QVERIFY(!r.hits.empty());
        QVERIFY2(b.hunt->facts().contains(QStringLiteral("%1 rules loaded").arg(r.rulesLoaded)),
                 qPrintable(b.hunt->facts()));
        QVERIFY(b.hunt->headline().contains(QLatin1String("FIN-WS-042")));

        // Grouped: one top-level row per rule, "title [level] (count)", count = its children.
        QTreeWidget *tree = b.hunt->tree();
        QVERIFY(tree->topLevelItemCount() >= 2);
        int previousRank = -1;
        int hits = 0;
        const QStringList levels = {QStringLiteral("critical"), QStringLiteral("high"),
                                    QStringLiteral("medium"), QStringLiteral("low"),
                                    QStringLiteral("informational")};
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem *rule = tree->topLevelItem(i);
            QCOMPARE(rule->data(0, HuntPanel::ItemKindRole).toString(), QStringLiteral("rule"));
            const int count = rule->data(0, HuntPanel::HitCountRole).toInt();
            QCOMPARE(rule->childCount(), count);
            const QString level = rule->data(0, HuntPanel::LevelRole).toString();
            QVERIFY2(rule->text(0).contains(QStringLiteral(" [%1] (%2) — ").arg(level).arg(count)),
                     qPrintable(rule->text(0)));
            QVERIFY(rule->isFirstColumnSpanned());
            const int rank = int(levels.indexOf(level));
            QVERIFY(rank >= previousRank);
            previousRank = rank;
            for (int c = 0; c < rule->childCount(); ++c)
                QCOMPARE(rule->child(c)->data(0, HuntPanel::RuleIndexRole),
                         rule->data(0, HuntPanel::RuleIndexRole));
            hits += count;
        }
        QCOMPARE(hits, int(r.hits.size()));

        // The pack's LOLBin rule: its ATT&CK tags and its credit are on the row and in the detail.
        QTreeWidgetItem *lolbin =
            ruleItem(tree, QStringLiteral("LOLBin Started by a Remote Execution Service"));
        QVERIFY(lolbin);
        QVERIFY2(lolbin->text(0).contains(QLatin1String("T1021.002")), qPrintable(lolbin->text(0)));
        QVERIFY(lolbin->text(0).contains(QLatin1String("rule by Causa")));
        tree->setCurrentItem(lolbin);
        QVERIFY(b.hunt->detail()->toPlainText().contains(QLatin1String("attack.t1569.002")));
        QVERIFY(b.hunt->detail()->toPlainText().contains(QLatin1String("rule by Causa")));

        // The hostile command line: literal in the tree cell and in the detail, labels plain text.
        QTreeWidgetItem *hostile = nullptr;
        for (int c = 0; c < lolbin->childCount(); ++c)
            if (lolbin->child(c)->text(3).contains(kMarkup))
                hostile = lolbin->child(c);
        QVERIFY2(hostile, "the hostile event's summary is shown literally under the LOLBin rule");
        tree->setCurrentItem(hostile);
        QVERIFY(b.hunt->detail()->toPlainText().contains(kMarkup));
        for (const QLabel *l : b.hunt->findChildren<QLabel *>())
            QCOMPARE(l->textFormat(), Qt::PlainText);
        QVERIFY(b.hunt->openEventButton()->isEnabled());
        QVERIFY(b.hunt->openProcessButton()->isEnabled());

        // Double-clicking the hit opens its event on the Timeline page.
        QSignalSpy nav(b.hunt, &HuntPanel::navigateRequested);
        const qint64 eventId = hostile->data(0, HuntPanel::EventIdRole).toLongLong();
        QVERIFY(eventId > 0);
        tree->scrollToItem(hostile);
        const QPoint at = tree->visualItemRect(hostile).center();
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, at);
        QVERIFY(nav.count() >= 1);
        QCOMPARE(nav.last().at(0).toString(), QStringLiteral("event"));
        QCOMPARE(nav.last().at(1).toString(), QString::number(eventId));
        TimelinePanel *timeline = b.wb->casePages()->timeline();
        QTRY_COMPARE_WITH_TIMEOUT(b.wb->window()->casePages()->currentWidget(),
                                  static_cast<QWidget *>(timeline), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            timeline->currentEvent() && timeline->currentEvent()->id == eventId, 10000);

        // "Open process in tree" opens the cmd.exe the event created in the Process tree.
        b.wb->window()->casePages()->setCurrentWidget(b.hunt);
        tree->setCurrentItem(hostile);
        nav.clear();
        QTest::mouseClick(b.hunt->openProcessButton(), Qt::LeftButton);
        QCOMPARE(nav.count(), 1);
        QCOMPARE(nav.last().at(0).toString(), QStringLiteral("process"));
        const auto [host, key] = HuntPanel::splitProcessRef(nav.last().at(1).toString());
        QCOMPARE(host, hostile->data(0, HuntPanel::HostRole).toString());
        QCOMPARE(key, hostile->data(0, HuntPanel::ProcessKeyRole).toString());
        QVERIFY(!key.isEmpty());
        ProcessTreePanel *treePage = b.wb->window()->processTreePanel();
        QTRY_COMPARE_WITH_TIMEOUT(b.wb->window()->casePages()->currentWidget(),
                                  static_cast<QWidget *>(treePage), 10000);
        auto requestedIsSelected = [treePage, key = key] {
            const ScopedForest *f = treePage->model()->forest();
            const auto node = treePage->model()->nodeAt(treePage->view()->currentIndex());
            return f && node && f->forest.indexOf(key) >= 0 &&
                   f->forest.indexOf(node->key()) == f->forest.indexOf(key);
        };
        QTRY_VERIFY_WITH_TIMEOUT(requestedIsSelected(), 10000);
        QCOMPARE(treePage->model()->nodeAt(treePage->view()->currentIndex())->imageName(),
                 QStringLiteral("cmd.exe"));

        // Asked for before the case's own tree has arrived (the case selected again, so its tree
        // is reloaded, and the process opened at once): that tree opens on the alert's process
        // when it comes, and must not take the analyst's selection away.
        const ScopedForest *before = treePage->model()->forest();
        Q_EMIT b.wb->window()->queuePanel()->caseSelected(b.wb->window()->currentCaseId());
        b.wb->casePages()->openProcess(host, key);
        QTRY_VERIFY_WITH_TIMEOUT(treePage->model()->forest() != before, 10000);
        QVERIFY(requestedIsSelected());
    }

    // The team's folder through the Settings dialog (Browse… adds it; the tab says how many rules
    // load and which are skipped, with the reason): the broken file is named on the Hunt page's
    // skipped list and the good rule's hits appear. Screenshots in light and dark.
    void teamFolderThroughSettings()
    {
        QTemporaryDir rules;
        QVERIFY(
            writeFile(rules.filePath(QStringLiteral("team_encoded_powershell.yml")), kGoodRule));
        QVERIFY(writeFile(rules.filePath(QStringLiteral("broken.yml")), kBrokenRule));
        Bench b;
        QVERIFY(b.open());
        QTRY_VERIFY_WITH_TIMEOUT(b.wb->window()->currentCaseId() > 0, 20000);
        b.showHunt();
        QTRY_VERIFY_WITH_TIMEOUT(b.hunt->result().rulesLoaded > 0, 20000);
        const int packRules = b.hunt->result().rulesLoaded;
        QVERIFY(!ruleItem(b.hunt->tree(), QStringLiteral("Team Rule Encoded PowerShell")));

        WorkbenchActions *actions = b.wb->window()->workbenchActions();
        QSignalSpy changed(actions, &WorkbenchActions::settingsChanged);
        QSignalSpy shown(b.hunt, &HuntPanel::huntShown);
        bool seen = false;
        QTimer::singleShot(0, this, [&] {
            auto *d = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget());
            QVERIFY(d);
            seen = true;
            // A failed check returns early: the dialog must not stay open behind it.
            const auto closeOnFailure = qScopeGuard([d] {
                if (d->isVisible())
                    d->reject();
            });
            SigmaFoldersEditor *editor = d->sigmaFolders();
            d->tabs()->setCurrentWidget(d->tabs()->widget(d->tabs()->count() - 1));
            QCOMPARE(d->tabs()->tabText(d->tabs()->currentIndex()), QStringLiteral("Hunting"));
            // A folder that does not exist blocks OK and says why.
            QVERIFY(editor->addFolder(rules.filePath(QStringLiteral("nope"))));
            QTRY_VERIFY(editor->checked());
            QVERIFY(!editor->isValid());
            QVERIFY(!d->okButton()->isEnabled());
            QVERIFY(editor->problem().contains(QLatin1String("no such folder")));
            editor->table()->setCurrentCell(0, 0);
            QTest::mouseClick(editor->removeButton(), Qt::LeftButton);
            QVERIFY(editor->folders().isEmpty());
            QVERIFY(d->okButton()->isEnabled());
            // Browse… picks the folder (the file dialog answered here).
            auto *poll = new QTimer(d);
            int tries = 0;
            connect(poll, &QTimer::timeout, d, [&, poll] {
                auto *fd = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
                if (!fd && ++tries < 100)
                    return;
                poll->stop();
                if (!fd)
                    return;
                // accepting with nothing selected picks the folder shown
                fd->setDirectory(rules.path());
                // QFileDialog::accept(), public through QDialog
                static_cast<QDialog *>(fd)->accept();
                if (fd->isVisible()) // never leave a modal dialog open behind the test
                    fd->reject();
            });
            poll->start(50);
            QTest::mouseClick(editor->browseButton(), Qt::LeftButton);
            if (editor->folders().isEmpty()) // a native dialog the test cannot answer
                editor->addFolder(rules.path());
            QCOMPARE(editor->folders(), QStringList{QDir::cleanPath(rules.path())});
            QTRY_VERIFY(editor->checked());
            const sigma::RuleFolderCheck *check = editor->check(QDir::cleanPath(rules.path()));
            QVERIFY(check);
            QCOMPARE(check->loaded, 1);
            QCOMPARE(int(check->skipped.size()), 1);
            QVERIFY(editor->table()->item(0, 1)->text() == QLatin1String("1"));
            QVERIFY(
                editor->skippedView()->toPlainText().contains(QLatin1String("broken.yml: YAML")));
            d->resize(d->sizeHint().expandedTo(QSize(760, 480)));
            test::saveScreenshot(d, QStringLiteral("settings-hunting-browse"));
            QTest::mouseClick(d->okButton(), Qt::LeftButton);
        });
        actions->settingsAction()->trigger();
        QVERIFY(seen);
        QVERIFY(changed.wait(10000));
        auto stored = WorkbenchSettings::load(b.ts.store());
        QVERIFY(stored.ok());
        QCOMPARE(stored->sigmaPaths, QStringList{QDir::cleanPath(rules.path())});

        // The Hunt page hunts again with the team's folder.
        QTRY_VERIFY_WITH_TIMEOUT(b.hunt->result().rulesLoaded == packRules + 1, 20000);
        const HuntPageResult &r = b.hunt->result();
        QCOMPARE(r.ruleFolders, stored->sigmaPaths);
        QTableWidget *skipped = b.hunt->skippedTable();
        bool named = false;
        for (int row = 0; row < skipped->rowCount(); ++row)
            named = named || (skipped->item(row, 0)->text().endsWith(QLatin1String("broken.yml")) &&
                              skipped->item(row, 1)->text().startsWith(QLatin1String("YAML")));
        QVERIFY2(named, "the skipped list names the broken file and its reason");
        QVERIFY(b.hunt->skippedToggle()->isEnabled());
        QVERIFY(!skipped->isVisible());
        QTest::mouseClick(b.hunt->skippedToggle(), Qt::LeftButton);
        QVERIFY(skipped->isVisible());
        QTreeWidgetItem *team =
            ruleItem(b.hunt->tree(), QStringLiteral("Team Rule Encoded PowerShell [medium]"));
        QVERIFY(team);
        // On a 1400 px window the hits' names, Host and When (UTC) are all in view, without
        // scrolling; the rule rows span the width.
        QTreeWidget *tree = b.hunt->tree();
        QVERIFY2(
            tree->header()->sectionViewportPosition(2) + tree->columnWidth(2) <=
                tree->viewport()->width(),
            qPrintable(QStringLiteral("When (UTC) ends at %1 of %2 px")
                           .arg(tree->header()->sectionViewportPosition(2) + tree->columnWidth(2))
                           .arg(tree->viewport()->width())));
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem *rule = tree->topLevelItem(i);
            QVERIFY(rule->isFirstColumnSpanned());
            for (int c = 0; c < rule->childCount(); ++c) {
                const int needed =
                    QFontMetrics(tree->font()).horizontalAdvance(rule->child(c)->text(0)) +
                    2 * tree->indentation();
                QVERIFY2(needed <= tree->columnWidth(0), qPrintable(rule->child(c)->text(0)));
            }
        }
        QVERIFY(team->childCount() >= 1);
        QVERIFY(team->text(0).contains(QLatin1String("T1059.001")));
        QVERIFY(team->text(0).contains(QLatin1String("rule by Team Blue, internal")));
        QVERIFY(team->child(0)->text(3).contains(QLatin1String("-enc")));
        // The case's XDR alert 31337 (powershell -enc) is hunted too: its hit names the alert and
        // has no event to open on the timeline.
        QVERIFY2(b.hunt->facts().contains(QLatin1String("2 XDR alerts scanned")),
                 qPrintable(b.hunt->facts()));
        QTreeWidgetItem *alertHit = nullptr;
        for (int c = 0; c < team->childCount(); ++c)
            if (team->child(c)->text(0) == QLatin1String("XDR alert 31337"))
                alertHit = team->child(c);
        QVERIFY(alertHit);
        QCOMPARE(alertHit->data(0, HuntPanel::EventIdRole).toLongLong(), qint64(0));
        QCOMPARE(alertHit->data(0, HuntPanel::AlertIdRole).toString(), QStringLiteral("31337"));
        b.hunt->tree()->setCurrentItem(alertHit);
        QVERIFY(b.hunt->detail()->toPlainText().contains(QLatin1String("matched XDR alert 31337")));
        QVERIFY(!b.hunt->openEventButton()->isEnabled());
        QVERIFY(!b.hunt->openCurrentEvent());

        // Every host in the store: the toggle hunts again.
        QSignalSpy again(b.hunt, &HuntPanel::huntShown);
        b.hunt->allHostsCheck()->setChecked(true);
        QVERIFY(again.wait(20000));
        QVERIFY(b.hunt->result().allHosts);
        QVERIFY(b.hunt->headline().contains(QLatin1String("every host")));
        b.hunt->allHostsCheck()->setChecked(false);
        QVERIFY(again.wait(20000));

        // Screenshots of the page as the analyst sees it, light and dark (the tree was rebuilt:
        // find the hostile hit again and show its detail).
        QTreeWidgetItem *lolbin = ruleItem(b.hunt->tree(), QStringLiteral("LOLBin Started"));
        QVERIFY(lolbin && lolbin->childCount() >= 1);
        QTreeWidgetItem *hostile = nullptr;
        for (int c = 0; c < lolbin->childCount(); ++c)
            if (lolbin->child(c)->text(3).contains(kMarkup))
                hostile = lolbin->child(c);
        QVERIFY(hostile);
        for (Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            QTest::qWait(100);
            b.hunt->tree()->setCurrentItem(hostile);
            QVERIFY(b.hunt->detail()->toPlainText().contains(kMarkup));
            test::saveScreenshot(b.wb->window(), QStringLiteral("huntpage-") + themeName(theme));
            SettingsDialog d(actions->settings(), b.wb->window());
            d.resize(d.sizeHint().expandedTo(QSize(760, 480)));
            d.show();
            d.tabs()->setCurrentIndex(d.tabs()->count() - 1);
            QTRY_VERIFY(d.sigmaFolders()->checked());
            test::saveScreenshot(&d, QStringLiteral("settings-hunting-") + themeName(theme));
        }
        applyTheme(Theme::Light);
    }

    // hunt.sigma_paths round-trips through the store's settings: saved, read back, shown in the
    // dialog, and names with ';' (the separator) refused.
    void settingsFolderRoundTrips()
    {
        test::TempStore ts;
        QTemporaryDir a, c;
        WorkbenchSettings s;
        s.sigmaPaths = {a.path(), c.path()};
        QVERIFY(s.save(ts.store()).ok());
        auto raw = settingsstore::values(ts.store(), sigma::kSigmaPathsSetting);
        QVERIFY(raw.ok());
        QCOMPARE(raw->at(sigma::kSigmaPathsSetting), a.path() + QLatin1Char(';') + c.path());
        auto loaded = WorkbenchSettings::load(ts.store());
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->sigmaPaths, s.sigmaPaths);
        QCOMPARE(loaded.value(), s);

        SettingsDialog d(loaded.value());
        QCOMPARE(d.sigmaFolders()->folders(), s.sigmaPaths);
        QTRY_VERIFY(d.sigmaFolders()->checked());
        QVERIFY(d.okButton()->isEnabled()); // empty folders: 0 rules, but valid
        QCOMPARE(d.storeSettings().sigmaPaths, s.sigmaPaths);
        QCOMPARE(d.storeSettings(), loaded.value());

        WorkbenchSettings bad = s;
        bad.sigmaPaths << QStringLiteral("/rules;/more");
        QVERIFY(!bad.validate().ok());
        QVERIFY(!bad.save(ts.store()).ok());
        WorkbenchSettings none;
        QVERIFY(none.save(ts.store()).ok());
        QVERIFY(WorkbenchSettings::load(ts.store())->sigmaPaths.isEmpty());
    }
};

QTEST_MAIN(TestHuntPage)
#include "tst_huntpage.moc"
