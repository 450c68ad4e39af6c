// Models behind the panels that had no model test: the playbook stepper's stage list and the
// process tree. QAbstractItemModelTester is attached before any data arrives.
#include "import/importdispatcher.h"
#include "playbook/playbookengine.h"
#include "playbookstagemodel.h"
#include "processtreemodel.h"
#include "stagepresenter.h"
#include "testutils.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTextDocument>

using namespace causa;
using nlohmann::json;

namespace {

const QString kSample = QStringLiteral("/resources/samples/fin-ws-042-incident.json");

} // namespace

class TestPanelModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void playbookStagesFollowARun()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + kSample).ok());
        const qint64 caseId = ts.store().cases()->front().id;
        auto def = PlaybookDefinition::load(QStringLiteral("remote-psexec-lolbin"));
        QVERIFY(def.ok());

        PlaybookStageModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy; // the stepper could filter by state through the raw role
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setFilterRole(PlaybookStageModel::StateRole);
        model.setDefinition(def.value());
        QCOMPARE(model.rowCount(), 0);

        PlaybookEngine engine(ts.store(), def.value(), composeStageServices(ts.store()));
        auto run = engine.start(caseId, {}, QStringLiteral("alice"));
        QVERIFY(run.ok());
        model.setStages(engine.view(run->id)->stages);
        QCOMPARE(model.rowCount(), 9);
        QCOMPARE(model.columnCount(), int(PlaybookStageModel::ColumnCount));
        QCOMPARE(test::printModel(&model, {}, 0, 3),
                 QStringLiteral("1 | Triage: blocked? | pending\n"
                                "2 | Containment: terminate causality | pending\n"
                                "3 | Enrichment | pending\n"
                                "4a | Command-line analysis | pending\n"
                                "4b | Endpoint investigation | pending\n"
                                "4c | Threat hunting | pending\n"
                                "5 | Verdict & severity | pending\n"
                                "6 | Remediation | pending\n"
                                "7 | Close | pending\n"));

        // Same stages, new states: rows stay (selection survives), only data changes.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(engine.runAll(run->id, QStringLiteral("alice")).ok());
        model.setStages(engine.view(run->id)->stages);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QVERIFY(changed.first().at(2).value<QList<int>>().contains(PlaybookStageModel::StateRole));
        const QModelIndex triage = model.index(0, PlaybookStageModel::StateColumn);
        QCOMPARE(triage.data(PlaybookStageModel::StateRole).toString(),
                 QStringLiteral("completed"));
        QCOMPARE(triage.data(PlaybookStageModel::StageIdRole).toString(), QStringLiteral("triage"));
        QCOMPARE(triage.data(PlaybookStageModel::ActorRole).toString(), QStringLiteral("alice"));
        QVERIFY(triage.data(PlaybookStageModel::FinishedAtRole).toLongLong() > 0);
        QVERIFY(triage.data(Qt::ForegroundRole).value<QColor>().isValid());
        const QModelIndex containment = model.index(model.rowOf(QStringLiteral("containment")),
                                                    PlaybookStageModel::StateColumn);
        QCOMPARE(containment.data(PlaybookStageModel::StateRole).toString(),
                 QStringLiteral("awaiting_approval"));
        // display text only
        QCOMPARE(containment.data().toString(), QStringLiteral("awaiting approval"));
        proxy.setFilterFixedString(QStringLiteral("awaiting_approval"));
        QVERIFY(proxy.rowCount() >= 1);
        QCOMPARE(proxy.index(0, 0).data(PlaybookStageModel::StageIdRole).toString(),
                 QStringLiteral("containment"));

        // A different set of stages resets; clearing empties.
        std::vector<StageStateRecord> two(2);
        two[0].stageId = QStringLiteral("triage");
        two[1].stageId = QStringLiteral("unknown-stage");
        two[1].reason = QStringLiteral("line one\nline two <b>not markup</b>");
        model.setStages(two);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.index(1, PlaybookStageModel::TitleColumn).data().toString(),
                 QStringLiteral("unknown-stage"));
        // Reasons stay on one row; the tooltip keeps the full text.
        QVERIFY(!model.index(1, PlaybookStageModel::ReasonColumn)
                     .data()
                     .toString()
                     .contains(QLatin1Char('\n')));
        // ... shown as the text it is (Qt would guess "<b>" in a tooltip to be markup).
        QTextDocument tip;
        tip.setHtml(
            model.index(1, PlaybookStageModel::ReasonColumn).data(Qt::ToolTipRole).toString());
        QCOMPARE(tip.toPlainText(), two[1].reason);
        QCOMPARE(model.rowOf(QStringLiteral("nope")), -1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.index(0, 0).isValid());
    }

    // The stage pane's blocks (related alerts, proposals, hunt hits, Sigma matches) carry
    // names and targets from alerts and rules: markup in them is shown as text, and each
    // reads whole in the rendered document.
    void stageBlocksKeepMarkupAsText()
    {
        const std::string evil = "<img src=x onerror=alert(1)><b>x</b>";
        const json alert = {
            {"name", evil}, {"severity", "high"}, {"host", evil}, {"relation", "same <i>case</i>"}};
        const json hit = {
            {"type", "ipv4"}, {"value", evil}, {"where", "event"}, {"host", "H"}, {"why", evil}};
        const json match = {{"title", evil},      {"level", "high"}, {"host", "H"},
                            {"ts", "2026-11-19"}, {"tags", {evil}},  {"credit", evil}};
        const std::vector<std::pair<QString, json>> stages = {
            {QStringLiteral("endpoint"),
             {{"related_alerts", 1}, {"tactics", {{{"tactic", evil}, {"alerts", {alert}}}}}}},
            {QStringLiteral("containment"),
             {{"proposed", {{{"kind", "block_hash"}, {"target", evil}, {"rationale", evil}}}}}},
            {QStringLiteral("hunt"),
             {{"hits", {hit}},
              {"context", {hit}},
              {"sigma", {{"rules_loaded", 1}, {"matches", {match}}}}}}};
        for (const auto &[executor, outputs] : stages) {
            StageDefinition def;
            def.number = QStringLiteral("4");
            def.title = executor;
            def.executor = executor;
            StageStateRecord st;
            st.state = StageState::Completed;
            st.outputs = outputs;
            const QString html = stagepresenter::html(def, st);
            QVERIFY2(!html.contains(QLatin1String("<img")) && !html.contains(QLatin1String("<b>x")),
                     qPrintable(executor + QLatin1String(": ") + html));
            QTextDocument doc;
            doc.setHtml(html);
            QVERIFY2(doc.toPlainText().contains(QString::fromStdString(evil)),
                     qPrintable(executor + QLatin1String(": ") + doc.toPlainText()));
        }
    }

    void processTreeOfTheSample()
    {
        test::TempStore ts;
        QVERIFY(ImportDispatcher(ts.store()).importFile(test::sourceDir() + kSample).ok());
        QVERIFY(ImportDispatcher(ts.store())
                    .importFile(test::sourceDir() +
                                QStringLiteral("/resources/samples/fin-ws-042-events.jsonl"))
                    .ok());
        const qint64 caseId = ts.store().cases()->front().id;
        ProcessTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto forest = forestForCase(ts.store(), caseId);
        QVERIFY(forest.ok());
        model.setForest(std::make_shared<const ScopedForest>(std::move(forest).value()));
        QVERIFY(model.rowCount() >= 1);
        const QString dump = test::printModel(&model, {}, 0, 1);
        QVERIFY2(dump.contains(QStringLiteral("powershell.exe")), qPrintable(dump));
        QVERIFY(dump.contains(QStringLiteral("cmd.exe")));
        // Children are indented under their parent: the PowerShell line sits below cmd.exe.
        QVERIFY(dump.indexOf(QStringLiteral("cmd.exe")) <
                dump.indexOf(QStringLiteral("powershell.exe")));
        // Raw roles: the PID is a number, not display text.
        QModelIndex first = model.index(0, ProcessTreeModel::PidColumn);
        QVERIFY(first.data(ProcessTreeModel::PidRole).canConvert<qint64>());
        model.setForest(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestPanelModels)
#include "tst_panelmodels.moc"
