// Playbook engine: stage transitions, verdict rule, severity, actions, skip/override, resume,
// deterministic replay, audit chain.
#include "connectors/exportconnector.h"
#include "core/jsonutil.h"
#include "playbooktestutil.h"
#include "store/actionstore.h"
#include "store/auditlog.h"
#include "store/playbookstore.h"
#include "testasserts.h"
#include "testutils.h"

#include <QSqlQuery>

using namespace causa;
using nlohmann::json;

// QCOMPARE cannot print nlohmann::json; compare as JSON and show both sides on failure.

Q_DECLARE_METATYPE(std::optional<QString>)
Q_DECLARE_METATYPE(std::optional<int>)

namespace {

void makeBlocked(json &reply)
{
    json &a = reply["alerts"]["data"][0];
    a["action"] = "BLOCKED";
    a["action_pretty"] = "Prevented (Blocked)";
}

QStringList auditKinds(CaseStore &store, qint64 caseId)
{
    QStringList kinds;
    auto e = audit::entries(store.connection().value(), caseId);
    for (const AuditEntry &x : e.value())
        kinds << x.kind;
    return kinds;
}

} // namespace

class TestPlaybookEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void definitionLoadsWithDefaults()
    {
        const PlaybookDefinition d = test::samplePlaybook();
        QCOMPARE(d.id, QStringLiteral("remote-psexec-lolbin"));
        QStringList ids;
        for (const StageDefinition &s : d.stages)
            ids << s.number;
        QCOMPARE(ids, (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                                   QStringLiteral("4a"), QStringLiteral("4b"), QStringLiteral("4c"),
                                   QStringLiteral("5"), QStringLiteral("6"), QStringLiteral("7")}));
        const json in = d.defaultInputs();
        JCOMPARE(in["AutoRemediation"], json(false));
        JCOMPARE(in["HighAlertsThreshold"], json(1));
        JCOMPARE(in["CriticalAlertsThreshold"], json(1));
        JCOMPARE(in["RelatedAlertsWindow"], json("2h"));
        JCOMPARE(in["TwoPersonRule"], json(false));
        JCOMPARE(in["MinimumScoreToBlock"], json(3));
        JCOMPARE(in["VerdictRule"], json("score"));
        QCOMPARE(d.stage(QStringLiteral("remediation"))->checklist.size(), 3);
        QCOMPARE(parseDurationMs(QStringLiteral("2h")), qint64(7'200'000));
    }

    void badInputsAreRefused_data()
    {
        QTest::addColumn<QString>("assignment");
        QTest::newRow("unknown name") << QStringLiteral("Nope=1");
        QTest::newRow("bool garbage") << QStringLiteral("AutoRemediation=maybe");
        QTest::newRow("int garbage") << QStringLiteral("HighAlertsThreshold=lots");
        QTest::newRow("score above 3") << QStringLiteral("MinimumScoreToBlock=4");
        QTest::newRow("bad duration") << QStringLiteral("RelatedAlertsWindow=two hours");
        QTest::newRow("bad enum") << QStringLiteral("VerdictRule=vibes");
        QTest::newRow("no equals") << QStringLiteral("AutoRemediation");
    }
    void badInputsAreRefused()
    {
        QFETCH(QString, assignment);
        auto r = test::samplePlaybook().applyInputs(test::samplePlaybook().defaultInputs(),
                                                    {assignment});
        QVERIFY(!r.ok());
        QVERIFY(!r.error().message.isEmpty());
    }

    void hostileDefinitionsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("doc");
        QTest::newRow("not json") << QByteArray("{stages: [");
        QTest::newRow("no stages") << QByteArray(R"({"id":"x","stages":[]})");
        QTest::newRow("duplicate stage") << QByteArray(
            R"({"id":"x","stages":[{"id":"a","executor":"triage"},{"id":"a","executor":"close"}]})");
        QTest::newRow("condition on later stage") << QByteArray(
            R"({"id":"x","stages":[{"id":"a","executor":"triage","skip_if":{"stage":"b","output":"o","equals":true}},{"id":"b","executor":"close"}]})");
        QTest::newRow("deep nesting") << QByteArray(100000, '[');
        QTest::newRow("bad default") << QByteArray(
            R"({"id":"x","inputs":[{"name":"N","type":"int","default":"x"}],"stages":[{"id":"a","executor":"triage"}]})");
    }
    void hostileDefinitionsAreRefused()
    {
        QFETCH(QByteArray, doc);
        QVERIFY(!PlaybookDefinition::parse(doc, QStringLiteral("test.json")).ok());
    }

    void transitions_data()
    {
        QTest::addColumn<bool>("blocked");
        QTest::addColumn<QStringList>("inputs");
        QTest::addColumn<std::optional<QString>>("cmdVerdict");
        QTest::addColumn<bool>("cmdFlag");
        QTest::addColumn<std::optional<int>>("high");
        QTest::addColumn<int>("critical");
        QTest::addColumn<std::optional<int>>("huntHits");
        QTest::addColumn<QString>("containment");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("remediation");
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("runState");

        const int med = int(Severity::Medium), high = int(Severity::High);
        const std::optional<QString> none;
        const std::optional<int> noInt;
        QTest::newRow("not blocked, malicious command line")
            << false << QStringList{} << std::optional<QString>(QStringLiteral("malicious"))
            << false << noInt << 0 << noInt << QStringLiteral("awaiting_approval")
            << QStringLiteral("malicious") << QStringLiteral("awaiting_approval") << high
            << QStringLiteral("awaiting_approval");
        QTest::newRow("blocked alert skips containment")
            << true << QStringList{} << std::optional<QString>(QStringLiteral("malicious")) << false
            << noInt << 0 << noInt << QStringLiteral("skipped") << QStringLiteral("malicious")
            << QStringLiteral("awaiting_approval") << high << QStringLiteral("awaiting_approval");
        QTest::newRow("no services: nothing to work with, not malicious")
            << true << QStringList{} << none << false << noInt << 0 << noInt
            << QStringLiteral("skipped") << QStringLiteral("not_malicious")
            << QStringLiteral("skipped") << med << QStringLiteral("awaiting_decision");
        QTest::newRow("benign command line, no other evidence")
            << true << QStringList{} << std::optional<QString>(QStringLiteral("benign")) << false
            << std::optional<int>(0) << 0 << std::optional<int>(0) << QStringLiteral("skipped")
            << QStringLiteral("not_malicious") << QStringLiteral("skipped") << med
            << QStringLiteral("awaiting_decision");
        QTest::newRow("one high alert reaches threshold 1")
            << true << QStringList{} << none << false << std::optional<int>(1) << 0 << noInt
            << QStringLiteral("skipped") << QStringLiteral("malicious")
            << QStringLiteral("awaiting_approval") << high << QStringLiteral("awaiting_approval");
        QTest::newRow("one high alert under threshold 2")
            << true << QStringList{QStringLiteral("HighAlertsThreshold=2")} << none << false
            << std::optional<int>(1) << 0 << noInt << QStringLiteral("skipped")
            << QStringLiteral("not_malicious") << QStringLiteral("skipped") << med
            << QStringLiteral("awaiting_decision");
        QTest::newRow("critical threshold 0 disables the rule")
            << true << QStringList{QStringLiteral("CriticalAlertsThreshold=0")} << none << false
            << std::optional<int>(0) << 3 << noInt << QStringLiteral("skipped")
            << QStringLiteral("not_malicious") << QStringLiteral("skipped") << med
            << QStringLiteral("awaiting_decision");
        QTest::newRow("two critical alerts reach threshold 2")
            << true << QStringList{QStringLiteral("CriticalAlertsThreshold=2")} << none << false
            << std::optional<int>(0) << 2 << noInt << QStringLiteral("skipped")
            << QStringLiteral("malicious") << QStringLiteral("awaiting_approval") << high
            << QStringLiteral("awaiting_approval");
        QTest::newRow("hunt hit makes it malicious")
            << true << QStringList{} << none << false << noInt << 0 << std::optional<int>(1)
            << QStringLiteral("skipped") << QStringLiteral("malicious")
            << QStringLiteral("awaiting_approval") << high << QStringLiteral("awaiting_approval");
        QTest::newRow("suspicious with a flag under score rule")
            << true << QStringList{} << std::optional<QString>(QStringLiteral("suspicious")) << true
            << noInt << 0 << noInt << QStringLiteral("skipped") << QStringLiteral("not_malicious")
            << QStringLiteral("skipped") << med << QStringLiteral("awaiting_decision");
        QTest::newRow("suspicious with a flag under xsoar-flags rule")
            << true << QStringList{QStringLiteral("VerdictRule=xsoar-flags")}
            << std::optional<QString>(QStringLiteral("suspicious")) << true << noInt << 0 << noInt
            << QStringLiteral("skipped") << QStringLiteral("malicious")
            << QStringLiteral("awaiting_approval") << high << QStringLiteral("awaiting_approval");
        QTest::newRow("auto remediation executes and closes")
            << false << QStringList{QStringLiteral("AutoRemediation=true")}
            << std::optional<QString>(QStringLiteral("malicious")) << false << noInt << 0 << noInt
            << QStringLiteral("completed") << QStringLiteral("malicious")
            << QStringLiteral("completed") << high << QStringLiteral("completed");
    }
    void transitions()
    {
        QFETCH(bool, blocked);
        QFETCH(QStringList, inputs);
        QFETCH(std::optional<QString>, cmdVerdict);
        QFETCH(bool, cmdFlag);
        QFETCH(std::optional<int>, high);
        QFETCH(int, critical);
        QFETCH(std::optional<int>, huntHits);
        QFETCH(QString, containment);
        QFETCH(QString, verdict);
        QFETCH(QString, remediation);
        QFETCH(int, severity);
        QFETCH(QString, runState);

        test::TempStore ts;
        const qint64 caseId =
            test::importSample(ts.store(), blocked ? makeBlocked : std::function<void(json &)>());
        QVERIFY(caseId > 0);
        test::ScriptedServices sc;
        sc.cmdVerdict = cmdVerdict;
        sc.cmdFlag = cmdFlag;
        sc.high = high;
        sc.critical = critical;
        sc.huntHits = huntHits;
        sc.scores = std::map<QString, int>{
            {QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e"),
             3}};
        PlaybookEngine engine(ts.store(), test::samplePlaybook(),
                              test::makeServices(ts.store(), sc));
        QTemporaryDir exportDir;
        engine.setConnectors(std::make_shared<ExportConnector>(exportDir.path(),
                                                               QByteArray("0123456789abcdef0123")));
        auto run = engine.start(caseId, inputs, QStringLiteral("alice"));
        QVERIFY2(run.ok(), run.ok() ? "" : qPrintable(run.error().toString()));
        auto v = engine.runAll(run->id, QStringLiteral("alice"));
        QVERIFY2(v.ok(), v.ok() ? "" : qPrintable(v.error().toString()));

        QCOMPARE(test::stageState(v.value(), QStringLiteral("triage")),
                 QStringLiteral("completed"));
        JCOMPARE(test::stage(v.value(), QStringLiteral("triage"))->outputs["blocked"],
                 json(blocked));
        QCOMPARE(test::stageState(v.value(), QStringLiteral("containment")), containment);
        QCOMPARE(test::stageState(v.value(), QStringLiteral("cmdline")),
                 cmdVerdict ? QStringLiteral("completed") : QStringLiteral("unavailable"));
        if (!cmdVerdict)
            QCOMPARE(test::stage(v.value(), QStringLiteral("cmdline"))->reason,
                     QStringLiteral("no command-line analyser available"));
        QCOMPARE(QString::fromStdString(test::stage(v.value(), QStringLiteral("verdict"))
                                            ->outputs["verdict"]
                                            .get<std::string>()),
                 verdict);
        QCOMPARE(test::stageState(v.value(), QStringLiteral("remediation")), remediation);
        QCOMPARE(QString(toText(v->run.state)), runState);
        auto cs = ts.store().caseSummary(caseId);
        QCOMPARE(int(cs->severity), severity);
        auto history = playbookstore::severityHistory(ts.store(), caseId);
        int raised = 0;
        for (const auto &h : history.value())
            raised += h.reason.startsWith(QLatin1String("playbook verdict")) ? 1 : 0;
        QCOMPARE(raised, severity == int(Severity::High) ? 1 : 0);

        const bool autoOn = inputs.contains(QStringLiteral("AutoRemediation=true"));
        for (const ActionRecord &a : v->actions) {
            if (autoOn) {
                QCOMPARE(a.state, ActionState::Succeeded);
                QCOMPARE(a.approvals.size(), size_t(1));
                QCOMPARE(a.approvals[0].approver, QStringLiteral("auto-remediation"));
            } else {
                // AutoRemediation off: nothing executes, everything waits for a person.
                QCOMPARE(a.state, ActionState::AwaitingApproval);
                QVERIFY(a.approvals.empty());
                QVERIFY(a.result.is_null());
            }
        }
        if (verdict == QLatin1String("malicious")) {
            const auto &out = test::stage(v.value(), QStringLiteral("remediation"))->outputs;
            // The malicious hash, and the victim endpoint's isolation.
            JCOMPARE(out["proposed"].size(), size_t(2));
            JCOMPARE(out["proposed"][0]["kind"], json("block_hash"));
            JCOMPARE(out["proposed"][1]["kind"], json("isolate_endpoint"));
            JCOMPARE(out["checklist"].size(), size_t(3));
        }
        if (runState == QLatin1String("completed")) {
            // Only AutoRemediation closes by itself.
            QVERIFY(autoOn);
            QCOMPARE(test::stageState(v.value(), QStringLiteral("close")),
                     QStringLiteral("completed"));
            QCOMPARE(cs->status, QStringLiteral("closed"));
            QCOMPARE(cs->verdict, QStringLiteral("true_positive"));
        } else if (runState == QLatin1String("awaiting_decision")) {
            // Stage 7 proposes; the case stays open for the analyst. No events are stored for
            // the sample here, so it never proposes a benign resolution on its own.
            QCOMPARE(test::stageState(v.value(), QStringLiteral("close")),
                     QStringLiteral("awaiting_decision"));
            QVERIFY(cs->status != QLatin1String("closed"));
            QCOMPARE(js::str(test::stage(v.value(), QStringLiteral("close"))->outputs,
                             "proposed_resolution"),
                     QString());
            QVERIFY(!v->waitingFor.isEmpty());
        } else {
            QCOMPARE(test::stageState(v.value(), QStringLiteral("close")),
                     QStringLiteral("pending"));
            QVERIFY(!v->waitingFor.isEmpty());
        }
        if (huntHits && *huntHits > 0) {
            auto ev = playbookstore::evidence(ts.store(), caseId);
            bool found = false;
            for (const auto &e : ev.value())
                found |= e.label == QLatin1String("Found additional evidence");
            QVERIFY(found);
        }
        auto ok = audit::verify(ts.store().connection().value(), caseId);
        QVERIFY(ok->intact);
        QVERIFY(auditKinds(ts.store(), caseId).contains(QStringLiteral("stage.completed")));
    }

    void minimumScoreSelectsIndicators_data()
    {
        QTest::addColumn<int>("minimum");
        QTest::addColumn<QStringList>("kinds");
        // The victim endpoint's isolation comes with any malicious verdict.
        QTest::newRow("3 blocks the malicious hash only")
            << 3 << QStringList{QStringLiteral("block_hash"), QStringLiteral("isolate_endpoint")};
        QTest::newRow("2 adds the suspicious IP")
            << 2
            << QStringList{QStringLiteral("block_hash"), QStringLiteral("block_ip"),
                           QStringLiteral("isolate_endpoint")};
    }
    void minimumScoreSelectsIndicators()
    {
        QFETCH(int, minimum);
        QFETCH(QStringList, kinds);
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store(), makeBlocked);
        test::ScriptedServices sc;
        sc.huntHits = 1;
        sc.scores = std::map<QString, int>{
            {QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e"), 3},
            {QStringLiteral("10.20.30.15"), 2}};
        PlaybookEngine engine(ts.store(), test::samplePlaybook(),
                              test::makeServices(ts.store(), sc));
        auto run = engine.start(caseId, {QStringLiteral("MinimumScoreToBlock=%1").arg(minimum)},
                                QStringLiteral("alice"));
        auto v = engine.runAll(run->id, QStringLiteral("alice"));
        QVERIFY(v.ok());
        QStringList got;
        for (const ActionRecord &a : v->actions)
            got << a.kind;
        got.sort();
        QCOMPARE(got, kinds);
    }

    void severityIsNeverLowered()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store(), makeBlocked);
        {
            QSqlQuery q(ts.store().connection().value());
            QVERIFY(q.exec(
                QStringLiteral("UPDATE cases SET severity = %1").arg(int(Severity::Critical))));
        }
        test::ScriptedServices sc;
        sc.huntHits = 2;
        PlaybookEngine engine(ts.store(), test::samplePlaybook(),
                              test::makeServices(ts.store(), sc));
        auto run = engine.start(caseId, {}, QStringLiteral("alice"));
        auto v = engine.runAll(run->id, QStringLiteral("alice"));
        QCOMPARE(QString::fromStdString(test::stage(v.value(), QStringLiteral("verdict"))
                                            ->outputs["verdict"]
                                            .get<std::string>()),
                 QStringLiteral("malicious"));
        QCOMPARE(ts.store().caseSummary(caseId)->severity, Severity::Critical);
        const auto hist = playbookstore::severityHistory(ts.store(), caseId);
        for (const auto &h : hist.value())
            QVERIFY(!h.reason.startsWith(QLatin1String("playbook verdict")));
    }

    // Stage 4c tags each Sigma match as evidence, with where it matched: "event:<id>:<rule>",
    // or "alert:<alerts.id>:<rule>" for a rule that matched an XDR alert (it wrote
    // "event:0:<rule>", which the Evidence page could not open).
    void sigmaMatchesAreTaggedWhereTheyMatched()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store(), makeBlocked);
        test::ScriptedServices sc;
        StageServices services = test::makeServices(ts.store(), sc);
        services.huntCase = [](qint64) -> Result<json> {
            json matches = json::array();
            matches.push_back({{"source", "event"},
                               {"rule_id", "rule-a"},
                               {"title", "On an event"},
                               {"level", "high"},
                               {"host", "FIN-WS-042"},
                               {"event", 7}});
            matches.push_back({{"source", "alert"},
                               {"rule_id", "rule-b"},
                               {"title", "On an alert"},
                               {"level", "medium"},
                               {"host", "FIN-WS-042"},
                               {"event", 0},
                               {"alert", "31337"},
                               {"alert_row", 3}});
            return json{{"hits", json::array()},
                        {"sigma", {{"rules_loaded", 2}, {"matches", matches}}}};
        };
        PlaybookEngine engine(ts.store(), test::samplePlaybook(), services);
        auto run = engine.start(caseId, {}, QStringLiteral("alice"));
        QVERIFY(run.ok());
        QVERIFY(engine.runAll(run->id, QStringLiteral("alice")).ok());
        const auto evidence = playbookstore::evidence(ts.store(), caseId);
        QVERIFY(evidence.ok());
        QStringList refs;
        for (const auto &e : evidence.value())
            if (e.kind == QLatin1String("sigma_hit"))
                refs << e.ref;
        refs.sort();
        QCOMPARE(refs,
                 (QStringList{QStringLiteral("alert:3:rule-b"), QStringLiteral("event:7:rule-a")}));
    }

    void skipAndOverrideAreRecorded()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store(), makeBlocked);
        test::ScriptedServices sc;
        sc.cmdVerdict = QStringLiteral("benign");
        sc.scores = std::map<QString, int>{
            {QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e"),
             3}};
        PlaybookEngine engine(ts.store(), test::samplePlaybook(),
                              test::makeServices(ts.store(), sc));
        auto run = engine.start(caseId, {}, QStringLiteral("alice"));
        QVERIFY(engine.step(run->id, QStringLiteral("alice")).ok()); // triage
        // containment (skipped: blocked)
        QVERIFY(engine.step(run->id, QStringLiteral("alice")).ok());
        QVERIFY(!engine
                     .skipStage(run->id, QStringLiteral("enrichment"), QString(),
                                QStringLiteral("alice"))
                     .ok());
        QVERIFY(engine
                    .skipStage(run->id, QStringLiteral("hunt"),
                               QStringLiteral("hunting done in the SIEM"), QStringLiteral("alice"))
                    .ok());
        auto v = engine.runAll(run->id, QStringLiteral("alice"));
        QCOMPARE(test::stageState(v.value(), QStringLiteral("hunt")), QStringLiteral("skipped"));
        QCOMPARE(test::stage(v.value(), QStringLiteral("hunt"))->reason,
                 QStringLiteral("hunting done in the SIEM"));
        QCOMPARE(test::stage(v.value(), QStringLiteral("hunt"))->actor, QStringLiteral("alice"));
        JCOMPARE(test::stage(v.value(), QStringLiteral("verdict"))->outputs["verdict"],
                 json("not_malicious"));
        QCOMPARE(v->run.state, RunState::AwaitingDecision); // stage 7 waits for the analyst

        // The analyst overrides the verdict: later stages run again with the new value.
        QVERIFY(!engine
                     .overrideOutput(run->id, QStringLiteral("verdict"), QStringLiteral("verdict"),
                                     "malicious", QString(), QStringLiteral("bob"))
                     .ok());
        QVERIFY(engine
                    .overrideOutput(run->id, QStringLiteral("verdict"), QStringLiteral("verdict"),
                                    "malicious", QStringLiteral("same TTPs as incident 4100"),
                                    QStringLiteral("bob"))
                    .ok());
        v = engine.view(run->id);
        const auto &out = test::stage(v.value(), QStringLiteral("verdict"))->outputs;
        JCOMPARE(out["verdict"], json("malicious"));
        JCOMPARE(out["overrides"]["verdict"]["previous"], json("not_malicious"));
        JCOMPARE(out["overrides"]["verdict"]["reason"], json("same TTPs as incident 4100"));
        // The stage's "why" shown in the stage list is the analyst's now, not the engine's.
        const QString why = test::stage(v.value(), QStringLiteral("verdict"))->reason;
        QVERIFY2(why.contains(QStringLiteral("overridden by bob")) &&
                     why.contains(QStringLiteral("malicious")) &&
                     why.contains(QStringLiteral("same TTPs as incident 4100")),
                 qPrintable(why));
        QCOMPARE(test::stageState(v.value(), QStringLiteral("remediation")),
                 QStringLiteral("pending"));
        v = engine.runAll(run->id, QStringLiteral("bob"));
        QCOMPARE(test::stageState(v.value(), QStringLiteral("remediation")),
                 QStringLiteral("awaiting_approval"));
        const QStringList kinds = auditKinds(ts.store(), caseId);
        QVERIFY(kinds.contains(QStringLiteral("stage.skipped")));
        QVERIFY(kinds.contains(QStringLiteral("stage.override")));
        QVERIFY(kinds.contains(QStringLiteral("stage.reset")));
        QVERIFY(audit::verify(ts.store().connection().value(), caseId)->intact);
    }

    void runSurvivesReopenAndResumes()
    {
        QTemporaryDir dir;
        StoreLocation loc;
        loc.path = dir.path() + QStringLiteral("/s.sqlite");
        qint64 caseId = 0, runId = 0;
        test::ScriptedServices sc;
        sc.cmdVerdict = QStringLiteral("malicious");
        {
            auto store = CaseStore::open(loc);
            caseId = test::importSample(*store.value());
            PlaybookEngine engine(*store.value(), test::samplePlaybook(),
                                  test::makeServices(*store.value(), sc));
            auto run = engine.resumeOrStart(caseId, {QStringLiteral("HighAlertsThreshold=2")},
                                            QStringLiteral("alice"));
            runId = run->id;
            for (int i = 0; i < 3; ++i)
                QVERIFY(engine.step(runId, QStringLiteral("alice")).ok());
        }
        auto store = CaseStore::open(loc);
        PlaybookEngine engine(*store.value(), test::samplePlaybook(),
                              test::makeServices(*store.value(), sc));
        auto run = engine.resumeOrStart(caseId, {QStringLiteral("HighAlertsThreshold=2")},
                                        QStringLiteral("alice"));
        QCOMPARE(run->id, runId);
        JCOMPARE(run->inputs["HighAlertsThreshold"], json(2));
        auto v = engine.view(runId);
        QCOMPARE(v->nextStage, QStringLiteral("cmdline"));
        QCOMPARE(test::stageState(v.value(), QStringLiteral("enrichment")),
                 QStringLiteral("unavailable"));
        v = engine.runAll(runId, QStringLiteral("alice"));
        JCOMPARE(test::stage(v.value(), QStringLiteral("verdict"))->outputs["verdict"],
                 json("malicious"));
        // Different inputs are a different run.
        auto other = engine.resumeOrStart(caseId, {QStringLiteral("HighAlertsThreshold=3")},
                                          QStringLiteral("alice"));
        QVERIFY(other->id != runId);
    }

    void sameCaseAndInputsGiveSameOutputs()
    {
        test::ScriptedServices sc;
        sc.cmdVerdict = QStringLiteral("malicious");
        sc.high = 1;
        sc.huntHits = 1;
        sc.scores = std::map<QString, int>{
            {QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e"),
             3}};
        std::vector<json> outputs;
        for (int round = 0; round < 2; ++round) {
            test::TempStore ts;
            const qint64 caseId = test::importSample(ts.store());
            PlaybookEngine engine(ts.store(), test::samplePlaybook(),
                                  test::makeServices(ts.store(), sc));
            // Two runs in the same store too: the second must agree with the first.
            for (int r = 0; r < 2; ++r) {
                auto run = engine.start(caseId, {}, QStringLiteral("alice"));
                auto v = engine.runAll(run->id, QStringLiteral("alice"));
                json all = json::object();
                for (const StageStateRecord &s : v->stages)
                    all[s.stageId.toStdString()] = s.outputs;
                outputs.push_back(all);
            }
        }
        QCOMPARE(outputs.size(), size_t(4));
        for (const json &o : outputs)
            QCOMPARE(QString::fromStdString(o.dump()),
                     QString::fromStdString(outputs.front().dump()));
    }

    void twoPersonRuleNeedsTwoApprovers()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store());
        QTemporaryDir exportDir;
        PlaybookEngine engine(ts.store(), test::samplePlaybook(), {});
        engine.setConnectors(std::make_shared<ExportConnector>(exportDir.path(),
                                                               QByteArray("0123456789abcdef0123")));
        auto run =
            engine.start(caseId, {QStringLiteral("TwoPersonRule=true")}, QStringLiteral("alice"));
        auto v = engine.runAll(run->id, QStringLiteral("alice"));
        QCOMPARE(v->actions.size(), size_t(1));
        const ActionRecord a = v->actions.front();
        QCOMPARE(a.kind, QStringLiteral("terminate_causality"));
        QCOMPARE(a.requiredApprovals, 2);
        // alice started the run: under the two-person rule two other analysts approve.
        auto own = engine.decide(a.id, QStringLiteral("alice"), true, QStringLiteral("mine"));
        QVERIFY(!own.ok());
        QCOMPARE(own.error().code, QStringLiteral("own-run"));
        auto first =
            engine.decide(a.id, QStringLiteral("carol"), true, QStringLiteral("looks right"));
        QVERIFY(first.ok());
        QCOMPARE(first->state, ActionState::AwaitingApproval);
        auto again = engine.decide(a.id, QStringLiteral("Carol"), true, QString());
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, QStringLiteral("duplicate-approver"));
        auto second = engine.decide(a.id, QStringLiteral("bob"), true, QStringLiteral("agreed"));
        QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(second.error().toString()));
        QCOMPARE(second->state, ActionState::Succeeded);
        QCOMPARE(second->connector, QStringLiteral("export"));
        QCOMPARE(second->approvals.size(), size_t(2));
        QVERIFY(QFile::exists(exportDir.path() +
                              QStringLiteral("/case-%1-remediation.ps1").arg(caseId)));
        // Executed once: a second execution is refused.
        auto twice = engine.execute(a.id, QStringLiteral("bob"));
        QVERIFY(!twice.ok());
        QCOMPARE(twice.error().code, QStringLiteral("not-approved"));
        v = engine.view(run->id);
        QCOMPARE(test::stageState(v.value(), QStringLiteral("containment")),
                 QStringLiteral("completed"));
    }

    void rejectRecordsTheReason()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store());
        PlaybookEngine engine(ts.store(), test::samplePlaybook(), {});
        auto run = engine.start(caseId, {}, QStringLiteral("alice"));
        auto v = engine.runAll(run->id, QStringLiteral("alice"));
        const qint64 id = v->actions.front().id;
        QVERIFY(!engine.decide(id, QStringLiteral("bob"), false, QString()).ok());
        auto r =
            engine.decide(id, QStringLiteral("bob"), false, QStringLiteral("host is a honeypot"));
        QVERIFY(r.ok());
        QCOMPARE(r->state, ActionState::Rejected);
        QCOMPARE(r->approvals.front().note, QStringLiteral("host is a honeypot"));
        auto late = engine.decide(id, QStringLiteral("carol"), true, QString());
        QCOMPARE(late.error().code, QStringLiteral("not-awaiting"));
        QVERIFY(late.error().message.contains(QStringLiteral("bob")));
        auto entries = audit::entries(ts.store().connection().value(), caseId);
        bool found = false;
        for (const AuditEntry &e : entries.value())
            found |= e.kind == QLatin1String("action.rejected") &&
                     e.payload.contains(QStringLiteral("host is a honeypot"));
        QVERIFY(found);
        // Everything decided: the playbook runs to stage 7, which waits for the analyst's close.
        v = engine.runAll(run->id, QStringLiteral("alice"));
        QCOMPARE(v->run.state, RunState::AwaitingDecision);
        QVERIFY(engine
                    .closeCase(caseId, QStringLiteral("benign_true_positive"),
                               QStringLiteral("honeypot"), QStringLiteral("bob"))
                    .ok());
        QCOMPARE(engine.view(run->id)->run.state, RunState::Completed);
    }

    void tamperedAuditRowIsDetected_data()
    {
        QTest::addColumn<QString>("tamper");
        QTest::newRow("edited payload")
            << QStringLiteral("UPDATE audit_log SET payload = '{}' WHERE seq = 3");
        QTest::newRow("edited actor")
            << QStringLiteral("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4");
        QTest::newRow("deleted row") << QStringLiteral("DELETE FROM audit_log WHERE seq = 5");
    }
    void tamperedAuditRowIsDetected()
    {
        QFETCH(QString, tamper);
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store());
        PlaybookEngine engine(ts.store(), test::samplePlaybook(), {});
        auto run = engine.start(caseId, {}, QStringLiteral("alice"));
        QVERIFY(engine.runAll(run->id, QStringLiteral("alice")).ok());
        QVERIFY(audit::verify(ts.store().connection().value(), caseId)->intact);
        QVERIFY(test::dropAuditGuards(ts.store().connection().value()));
        QSqlQuery q(ts.store().connection().value());
        QVERIFY(q.exec(tamper));
        QCOMPARE(q.numRowsAffected(), 1);
        auto v = audit::verify(ts.store().connection().value(), caseId);
        QVERIFY(!v->intact);
        QVERIFY(v->firstBadSeq >= 3 && v->firstBadSeq <= 6);
    }
};

QTEST_GUILESS_MAIN(TestPlaybookEngine)
#include "tst_playbookengine.moc"
