// The analyst's decisions in the engine (issue: the analyst decides): stage 7 proposes and the
// analyst closes; a run without evidence never closes; AutoRemediation closes and says so; reopen,
// checklist ticks and ad-hoc actions are audited; 4b counts the case's other alerts; 4c keeps the
// case's own logs out of the evidence. Runs on SQLite and, as *_pg, on PostgreSQL.
#include "connectors/exportconnector.h"
#include "core/jsonutil.h"
#include "import/importdispatcher.h"
#include "investigation/endpointinvestigation.h"
#include "investigation/threathunt.h"
#include "playbooktestutil.h"
#include "store/actionstore.h"
#include "store/auditlog.h"
#include "testasserts.h"
#include "testutils.h"

#include <QTemporaryDir>

using namespace causa;
using nlohmann::json;

namespace {

const QString kSampleHash =
    QStringLiteral("c3337f4290161ceb82d33cf36e4341b815fa7055df07eb83d5545cec8d39c57e");

std::vector<AuditEntry> auditOf(CaseStore &store, qint64 caseId, const QString &kind)
{
    std::vector<AuditEntry> out;
    const auto rows_ = audit::entries(store.connection().value(), caseId).value();
    for (const AuditEntry &e : rows_)
        if (e.kind == kind)
            out.push_back(e);
    return out;
}

json payloadOf(const AuditEntry &e)
{
    return json::parse(e.payload.toStdString(), nullptr, false);
}

// Approves every action that waits, so the run can reach stage 7.
void approveAll(PlaybookEngine &engine, CaseStore &store, qint64 caseId)
{
    const auto rows_ = actionstore::actionsOfCase(store, caseId).value();
    for (const ActionRecord &a : rows_)
        if (a.state == ActionState::AwaitingApproval)
            QVERIFY(engine.decide(a.id, QStringLiteral("lead"), true, QStringLiteral("ok")).ok());
}

struct Fixture
{
    test::TempStore ts;
    QTemporaryDir exports;
    qint64 caseId = 0;
    std::unique_ptr<PlaybookEngine> engine;

    explicit Fixture(const test::ScriptedServices &sc)
    {
        caseId = test::importSample(ts.store());
        engine = std::make_unique<PlaybookEngine>(ts.store(), test::samplePlaybook(),
                                                  test::makeServices(ts.store(), sc));
        engine->setConnectors(std::make_shared<ExportConnector>(
            exports.path(), QByteArray("decisions-test-key-0123456789")));
    }
};

test::ScriptedServices maliciousServices()
{
    test::ScriptedServices sc;
    sc.cmdVerdict = QStringLiteral("malicious");
    sc.high = 0;
    sc.huntHits = 0;
    sc.scores = std::map<QString, int>{{kSampleHash, 3}};
    return sc;
}

QString importFiles(CaseStore &store, const QStringList &files)
{
    for (const QString &f : files)
        if (auto r = ImportDispatcher(store).importFile(f); !r)
            return r.error().toString();
    return {};
}

} // namespace

class TestPlaybookDecisions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stageSevenProposesTheAnalystCloses()
    {
        Fixture f(maliciousServices());
        auto run = f.engine->start(f.caseId, {}, QStringLiteral("alice"));
        QVERIFY(run.ok());
        auto v = f.engine->runAll(run->id, QStringLiteral("alice"));
        for (int round = 0; round < 4 && v->run.state == RunState::AwaitingApproval; ++round) {
            approveAll(*f.engine, f.ts.store(), f.caseId);
            v = f.engine->runAll(run->id, QStringLiteral("alice"));
        }
        QCOMPARE(test::stageState(v.value(), QStringLiteral("close")),
                 QStringLiteral("awaiting_decision"));
        QCOMPARE(v->run.state, RunState::AwaitingDecision);
        QCOMPARE(js::str(test::stage(v.value(), QStringLiteral("close"))->outputs,
                         "proposed_resolution"),
                 QStringLiteral("true_positive"));
        QVERIFY(v->waitingFor.contains(QStringLiteral("true positive")));
        auto cs = f.ts.store().caseSummary(f.caseId);
        QVERIFY(cs->status != QLatin1String("closed"));
        QVERIFY(auditOf(f.ts.store(), f.caseId, QStringLiteral("case.closed")).empty());

        // The analyst disagrees with the proposal: false positive, with a note.
        QVERIFY(!f.engine
                     ->closeCase(f.caseId, QStringLiteral("false_positive"), QString(),
                                 QStringLiteral("alice"))
                     .ok());
        QVERIFY(!f.engine
                     ->closeCase(f.caseId, QStringLiteral("maybe"), QStringLiteral("n"),
                                 QStringLiteral("alice"))
                     .ok());
        QVERIFY(f.engine
                    ->closeCase(f.caseId, QStringLiteral("false_positive"),
                                QStringLiteral("admin maintenance window"), QStringLiteral("alice"))
                    .ok());
        cs = f.ts.store().caseSummary(f.caseId);
        QCOMPARE(cs->status, QStringLiteral("closed"));
        QCOMPARE(cs->verdict, QStringLiteral("false_positive"));
        const auto closed = auditOf(f.ts.store(), f.caseId, QStringLiteral("case.closed"));
        QCOMPARE(closed.size(), size_t(1));
        QCOMPARE(closed.front().actor, QStringLiteral("alice"));
        const json p = payloadOf(closed.front());
        QCOMPARE(p.value("automatic", true), false);
        QCOMPARE(p.value("proposed", std::string()), std::string("true_positive"));
        QCOMPARE(p.value("resolution", std::string()), std::string("false_positive"));
        v = f.engine->view(run->id);
        QCOMPARE(v->run.state, RunState::Completed);
        QCOMPARE(
            js::str(test::stage(v.value(), QStringLiteral("close"))->outputs["decision"], "by"),
            QStringLiteral("alice"));
        QVERIFY(!f.engine
                     ->closeCase(f.caseId, QStringLiteral("true_positive"), QStringLiteral("again"),
                                 QStringLiteral("bob"))
                     .ok());

        // Reopen is audited and stage 7 waits again; a second close works.
        QVERIFY(!f.engine->reopenCase(f.caseId, QString(), QStringLiteral("bob")).ok());
        QVERIFY(f.engine
                    ->reopenCase(f.caseId, QStringLiteral("new evidence from the SIEM"),
                                 QStringLiteral("bob"))
                    .ok());
        cs = f.ts.store().caseSummary(f.caseId);
        QCOMPARE(cs->status, QStringLiteral("in_progress"));
        const auto reopened = auditOf(f.ts.store(), f.caseId, QStringLiteral("case.reopened"));
        QCOMPARE(reopened.size(), size_t(1));
        QCOMPARE(payloadOf(reopened.front()).value("previous_resolution", std::string()),
                 std::string("false_positive"));
        v = f.engine->view(run->id);
        QCOMPARE(test::stageState(v.value(), QStringLiteral("close")),
                 QStringLiteral("awaiting_decision"));
        QVERIFY(f.engine
                    ->closeCase(f.caseId, QStringLiteral("true_positive"),
                                QStringLiteral("confirmed"), QStringLiteral("bob"))
                    .ok());
        QCOMPARE(f.ts.store().caseSummary(f.caseId)->verdict, QStringLiteral("true_positive"));
        QVERIFY(audit::verify(f.ts.store().connection().value(), f.caseId)->intact);
    }

    void runWithoutEvidenceNeverClosesAsBenign_data()
    {
        QTest::addColumn<bool>("autoRemediation");
        QTest::newRow("manual") << false;
        QTest::newRow("auto-remediation") << true;
    }

    void runWithoutEvidenceNeverClosesAsBenign()
    {
        QFETCH(bool, autoRemediation);
        Fixture f(test::ScriptedServices{}); // every evidence service unavailable, no events stored
        auto run = f.engine->start(
            f.caseId,
            {QStringLiteral("AutoRemediation=%1")
                 .arg(autoRemediation ? QStringLiteral("true") : QStringLiteral("false"))},
            QStringLiteral("alice"));
        QVERIFY(run.ok());
        auto v = f.engine->runAll(run->id, QStringLiteral("alice"));
        for (int round = 0; round < 4 && v->run.state == RunState::AwaitingApproval; ++round) {
            approveAll(*f.engine, f.ts.store(), f.caseId);
            v = f.engine->runAll(run->id, QStringLiteral("alice"));
        }
        QCOMPARE(test::stageState(v.value(), QStringLiteral("verdict")),
                 QStringLiteral("completed"));
        QCOMPARE(test::stageState(v.value(), QStringLiteral("close")),
                 QStringLiteral("awaiting_decision"));
        const json &out = test::stage(v.value(), QStringLiteral("close"))->outputs;
        QCOMPARE(js::str(out, "proposed_resolution"), QString());
        QStringList missing;
        for (const json &m : out["missing"])
            missing << js::str(m, "stage");
        for (const char *s : {"enrichment", "cmdline", "endpoint", "hunt", "events"})
            QVERIFY2(missing.contains(QLatin1String(s)),
                     qPrintable(missing.join(QLatin1Char(','))));
        QVERIFY(v->waitingFor.contains(QStringLiteral("evidence is missing")));
        QVERIFY(f.ts.store().caseSummary(f.caseId)->status != QLatin1String("closed"));
        QVERIFY(auditOf(f.ts.store(), f.caseId, QStringLiteral("case.closed")).empty());
    }

    void autoRemediationClosesAndSaysSo()
    {
        Fixture f(maliciousServices());
        auto run = f.engine->start(f.caseId, {QStringLiteral("AutoRemediation=true")},
                                   QStringLiteral("alice"));
        auto v = f.engine->runAll(run->id, QStringLiteral("alice"));
        QVERIFY(v.ok());
        QCOMPARE(v->run.state, RunState::Completed);
        auto cs = f.ts.store().caseSummary(f.caseId);
        QCOMPARE(cs->status, QStringLiteral("closed"));
        QCOMPARE(cs->verdict, QStringLiteral("true_positive"));
        QVERIFY(cs->resolutionNote.contains(QStringLiteral("automatically")));
        const auto closed = auditOf(f.ts.store(), f.caseId, QStringLiteral("case.closed"));
        QCOMPARE(closed.size(), size_t(1));
        QCOMPARE(payloadOf(closed.front()).value("automatic", false), true);
        QCOMPARE(test::stage(v.value(), QStringLiteral("close"))->outputs.value("automatic", false),
                 true);
    }

    // Issue 18: AutoRemediation under TwoPersonRule gives each action its first approval only;
    // the run says it waits for a person, nothing is executed and the case is not closed.
    void autoRemediationWaitsForASecondPerson()
    {
        Fixture f(maliciousServices());
        auto run = f.engine->start(
            f.caseId,
            {QStringLiteral("AutoRemediation=true"), QStringLiteral("TwoPersonRule=true")},
            QStringLiteral("alice"));
        auto v = f.engine->runAll(run->id, QStringLiteral("alice"));
        QVERIFY(v.ok());
        QCOMPARE(v->run.state, RunState::AwaitingApproval);
        QCOMPARE(f.ts.store().caseSummary(f.caseId)->status == QStringLiteral("closed"), false);
        const auto actions = actionstore::actionsOfCase(f.ts.store(), f.caseId).value();
        QVERIFY(!actions.empty());
        for (const ActionRecord &a : actions) {
            QCOMPARE(a.state, ActionState::AwaitingApproval);
            QCOMPARE(a.approvals.size(), size_t(1));
            QCOMPARE(a.approvals.front().approver, QStringLiteral("auto-remediation"));
        }
        // A second person's approval lets the first action go.
        auto done = f.engine->decide(actions.front().id, QStringLiteral("carol"), true, {});
        QVERIFY2(done.ok(), done.ok() ? "" : qPrintable(done.error().toString()));
        QVERIFY(done->state != ActionState::AwaitingApproval);
    }

    void closingWaitsForPendingActions()
    {
        Fixture f(maliciousServices());
        auto run = f.engine->start(f.caseId, {}, QStringLiteral("alice"));
        // stops at containment's approval
        auto v = f.engine->runAll(run->id, QStringLiteral("alice"));
        QCOMPARE(v->run.state, RunState::AwaitingApproval);
        auto r = f.engine->closeCase(f.caseId, QStringLiteral("duplicate"),
                                     QStringLiteral("dup of 4100"), QStringLiteral("alice"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("actions-pending"));
        const auto rows_ = actionstore::actionsOfCase(f.ts.store(), f.caseId).value();
        for (const ActionRecord &a : rows_)
            QVERIFY(
                f.engine
                    ->decide(a.id, QStringLiteral("lead"), false, QStringLiteral("duplicate case"))
                    .ok());
        QVERIFY(f.engine
                    ->closeCase(f.caseId, QStringLiteral("duplicate"),
                                QStringLiteral("dup of 4100"), QStringLiteral("alice"))
                    .ok());
        // The run's Close stage holds the decision; the run is finished.
        v = f.engine->view(run->id);
        QCOMPARE(test::stageState(v.value(), QStringLiteral("close")), QStringLiteral("completed"));
        QCOMPARE(js::str(test::stage(v.value(), QStringLiteral("close"))->outputs["decision"],
                         "resolution"),
                 QStringLiteral("duplicate"));
        QCOMPARE(v->run.state, RunState::Completed);
    }

    void checklistTicksAreAudited()
    {
        Fixture f(maliciousServices());
        auto run = f.engine->start(f.caseId, {}, QStringLiteral("alice"));
        // remediation not run
        QVERIFY(!f.engine->tickChecklist(run->id, 0, true, {}, QStringLiteral("alice")).ok());
        auto v = f.engine->runAll(run->id, QStringLiteral("alice"));
        approveAll(*f.engine, f.ts.store(), f.caseId);
        v = f.engine->runAll(run->id, QStringLiteral("alice"));
        QVERIFY(f.engine
                    ->tickChecklist(run->id, 1, true, QStringLiteral("svc_backup disabled in AD"),
                                    QStringLiteral("carol"))
                    .ok());
        QVERIFY(!f.engine->tickChecklist(run->id, 7, true, {}, QStringLiteral("carol")).ok());
        v = f.engine->view(run->id);
        const json items =
            test::stage(v.value(), QStringLiteral("remediation"))->outputs["checklist"];
        QCOMPARE(items.size(), size_t(3));
        QCOMPARE(items[1].value("done", false), true);
        QCOMPARE(items[1].value("by", std::string()), std::string("carol"));
        QCOMPARE(items[0].value("done", true), false);
        const auto ticks = auditOf(f.ts.store(), f.caseId, QStringLiteral("checklist.ticked"));
        QCOMPARE(ticks.size(), size_t(1));
        QVERIFY(payloadOf(ticks.front()).value("item", std::string()).find("Disable or suspend") ==
                0);
        // Re-running the stage keeps the tick.
        QVERIFY(f.engine->runStage(run->id, QStringLiteral("remediation"), QStringLiteral("carol"))
                    .ok());
        v = f.engine->view(run->id);
        QCOMPARE(test::stage(v.value(), QStringLiteral("remediation"))
                     ->outputs["checklist"][1]
                     .value("done", false),
                 true);
    }

    void isolationIsProposedOnAMaliciousVerdict()
    {
        Fixture f(maliciousServices());
        auto run = f.engine->start(f.caseId, {}, QStringLiteral("alice"));
        // stops at remediation's approvals
        auto v = f.engine->runAll(run->id, QStringLiteral("alice"));
        QCOMPARE(test::stageState(v.value(), QStringLiteral("remediation")),
                 QStringLiteral("awaiting_approval"));
        bool isolate = false;
        const auto rows_ = actionstore::actionsOfCase(f.ts.store(), f.caseId).value();
        for (const ActionRecord &a : rows_)
            if (a.kind == QLatin1String("isolate_endpoint")) {
                isolate = true;
                QVERIFY(a.target.startsWith(QStringLiteral("FIN-WS-042")));
                QCOMPARE(a.state, ActionState::AwaitingApproval);
                QVERIFY(!js::str(a.payload, "agent_id").isEmpty());
            }
        QVERIFY(isolate);
    }

    void adhocActionsWaitForApproval_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("target");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("block ip") << "block_ip"
                                  << "203.0.113.66" << true;
        QTest::newRow("block hash") << "block_hash" << kSampleHash.toUpper() << true;
        QTest::newRow("block url") << "block_url"
                                   << "https://evil.example/x.ps1" << true;
        QTest::newRow("block domain") << "block_domain"
                                      << "evil.example" << true;
        QTest::newRow("isolate host") << "isolate_endpoint"
                                      << "FIN-WS-042" << true;
        QTest::newRow("isolate unknown host") << "isolate_endpoint"
                                              << "OTHER-HOST" << false;
        QTest::newRow("markup as ip") << "block_ip"
                                      << "<b>1.2.3.4</b>" << false;
        QTest::newRow("short hash") << "block_hash"
                                    << "abc123" << false;
        QTest::newRow("javascript url") << "block_url"
                                        << "javascript:alert(1)" << false;
        QTest::newRow("huge target") << "block_domain" << QString(10000, QLatin1Char('a')) << false;
        QTest::newRow("NUL in domain")
            << "block_domain" << QStringLiteral("evil") + QChar(0) + QStringLiteral(".example")
            << false;
        QTest::newRow("unknown kind") << "format_disk"
                                      << "C:" << false;
    }

    void adhocActionsWaitForApproval()
    {
        QFETCH(QString, kind);
        QFETCH(QString, target);
        QFETCH(bool, accepted);
        Fixture f(maliciousServices());
        // no reason
        QVERIFY(!f.engine->proposeAction(f.caseId, kind, target, QString(), QStringLiteral("dave"))
                     .ok());
        auto a = f.engine->proposeAction(f.caseId, kind, target, QStringLiteral("seen in the tree"),
                                         QStringLiteral("dave"));
        QCOMPARE(a.ok(), accepted);
        if (!accepted) {
            QVERIFY(actionstore::actionsOfCase(f.ts.store(), f.caseId)->empty());
            return;
        }
        QCOMPARE(a->state, ActionState::AwaitingApproval);
        QCOMPARE(a->stageId, QStringLiteral("adhoc"));
        QVERIFY(a->rationale.contains(QStringLiteral("dave")));
        QCOMPARE(
            auditOf(f.ts.store(), f.caseId, QStringLiteral("action.proposed_by_analyst")).size(),
            size_t(1));
        QVERIFY(!f.engine
                     ->proposeAction(f.caseId, kind, target, QStringLiteral("again"),
                                     QStringLiteral("dave"))
                     .ok());
        auto decided = f.engine->decide(a->id, QStringLiteral("lead"), true, {});
        QVERIFY(decided.ok());
        QCOMPARE(decided->state, ActionState::Succeeded);
    }

    void sampleLsassAlertCountsInEndpointInvestigation()
    {
        test::TempStore ts;
        const qint64 caseId = test::importSample(ts.store());
        auto inv = investigateEndpoint(ts.store(), caseId, 2 * 3600 * 1000);
        QVERIFY2(inv.ok(), inv.ok() ? "" : qPrintable(inv.error().toString()));
        QCOMPARE(inv->highAlerts, 1);
        bool lsass = false;
        for (const auto &g : inv->tactics)
            for (const AlertBrief &a : g.alerts)
                if (a.name.contains(QStringLiteral("LSASS"))) {
                    lsass = true;
                    QCOMPARE(a.relation, QStringLiteral("same case"));
                }
        QVERIFY(lsass);
        // The engine's stage 4b and 5 with the real services: the LSASS alert makes the verdict.
        PlaybookEngine engine(ts.store(), test::samplePlaybook(),
                              composeStageServices(ts.store(), {QString(), false, 0}));
        auto run =
            engine.start(caseId, {QStringLiteral("VerdictRule=score")}, QStringLiteral("alice"));
        QVERIFY(engine
                    .skipStage(run->id, QStringLiteral("enrichment"),
                               QStringLiteral("tested elsewhere"), QStringLiteral("alice"))
                    .ok());
        QVERIFY(engine.runStage(run->id, QStringLiteral("endpoint"), QStringLiteral("alice")).ok());
        QVERIFY(engine.runStage(run->id, QStringLiteral("verdict"), QStringLiteral("alice")).ok());
        auto v = engine.view(run->id);
        QCOMPARE(js::int64(test::stage(v.value(), QStringLiteral("endpoint"))->outputs, "high"),
                 qint64(1));
        const QString reasons = QString::fromStdString(
            test::stage(v.value(), QStringLiteral("verdict"))->outputs["reasons"].dump());
        QVERIFY2(reasons.contains(QStringLiteral("high-severity")), qPrintable(reasons));
    }

    void caseOwnLogsAreNotHuntEvidence()
    {
        test::TempStore ts;
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        QCOMPARE(importFiles(ts.store(), {samples + QStringLiteral("fin-ws-042-incident.json"),
                                          samples + QStringLiteral("fin-ws-042-events.jsonl")}),
                 QString());
        const qint64 caseId = ts.store().cases()->front().id;
        auto hunt = huntCase(ts.store(), caseId);
        QVERIFY2(hunt.ok(), hunt.ok() ? "" : qPrintable(hunt.error().toString()));
        QVERIFY2(!hunt->hits.empty(), "the sample's own logs mention the remote IP");
        for (const HuntHit &h : hunt->hits) {
            QVERIFY2(!h.counts, qPrintable(h.why + QStringLiteral(" / ") + h.summary));
            QVERIFY(!h.why.isEmpty());
        }
        QCOMPARE(toJson(hunt.value()).value("hit_count", -1), 0);

        // The same remote IP in another host's log is evidence, and says why.
        QTemporaryDir dir;
        const QString other = dir.filePath(QStringLiteral("other-host.jsonl"));
        QFile f(other);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"EventID": 3, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "HR-WS-007.corp.example", )"
            R"("UtcTime": "2026-11-19 09:10:00.000", "ProcessGuid": "{aaaaaaaa-1111-2222-3333-444444444444}", "ProcessId": 5120, )"
            R"("Image": "C:\\Windows\\System32\\svchost.exe", "Protocol": "tcp", "SourceIp": "10.20.40.7", "SourcePort": "51000", )"
            R"("DestinationIp": "10.20.30.15", "DestinationPort": "445"})"
            "\n");
        f.close();
        QCOMPARE(importFiles(ts.store(), {other}), QString());
        hunt = huntCase(ts.store(), caseId);
        int counting = 0;
        for (const HuntHit &h : hunt->hits)
            if (h.counts) {
                ++counting;
                QVERIFY2(h.why.contains(QStringLiteral("another host")), qPrintable(h.why));
                QVERIFY(h.hostName.contains(QStringLiteral("HR-WS-007"), Qt::CaseInsensitive));
            }
        QCOMPARE(counting, 1);
    }
};

QTEST_GUILESS_MAIN(TestPlaybookDecisions)
#include "tst_playbookdecisions.moc"
