#include "reportfixture.h"

#include "import/importdispatcher.h"
#include "store/auditlog.h"
#include "store/importsession.h"
#include "store/sqlutil.h"
#include "testutils.h"

#include <QSqlQuery>

namespace causa::test {

qint64 importSampleCase(CaseStore &store)
{
    auto r = ImportDispatcher(store).importFile(
        sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json"));
    if (!r)
        qFatal("sample import failed: %s", qPrintable(r.error().toString()));
    auto cases = store.cases();
    return cases && !cases->empty() ? cases->front().id : 0;
}

void addInvestigationRecords(CaseStore &store, qint64 caseId)
{
    auto indicators = store.indicatorsOfCase(caseId);
    if (!indicators || indicators->empty())
        qFatal("the case has no indicators");
    qint64 hashId = 0;
    QString hash;
    for (const CaseIndicator &i : indicators.value())
        if (i.type == QLatin1String("sha256") && hashId == 0) {
            hashId = i.indicatorId;
            hash = i.value;
        }
    const qint64 t = 1795078700000;
    auto r = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto run = [&db](const QString &text,
                         std::initializer_list<QVariant> binds) -> Result<void> {
            QSqlQuery q(db);
            if (!q.prepare(text))
                return sql::errorOf(q, text);
            return sql::exec(q, binds);
        };
        if (auto x = run(
                QStringLiteral(
                    "INSERT INTO notes (case_id, author, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"),
                {caseId, QStringLiteral("alice"),
                 QStringLiteral("Confirmed with the user: <b>not</b> a scheduled job & not IT."), t,
                 t});
            !x)
            return x;
        if (auto x = run(
                QStringLiteral(
                    "INSERT INTO evidence (case_id, kind, ref, label, detail, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                {caseId, QStringLiteral("hunt_hit"), hash,
                 QStringLiteral("Found additional evidence"),
                 QStringLiteral("hash seen in 1 other alert"), QStringLiteral("playbook"),
                 t + 1000});
            !x)
            return x;
        if (auto x = run(
                QStringLiteral(
                    "INSERT INTO severity_history (case_id, severity, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)"),
                {caseId, int(Severity::High), QStringLiteral("malicious command line"),
                 QStringLiteral("playbook"), t + 2000});
            !x)
            return x;
        if (auto x = run(
                QStringLiteral(
                    "INSERT INTO playbook_runs (case_id, playbook_id, playbook_version, state, started_by, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                {caseId, QStringLiteral("psexec-lolbin"), QStringLiteral("1"),
                 QStringLiteral("waiting"), QStringLiteral("alice"), t, t + 5000});
            !x)
            return x;
        QSqlQuery last(db);
        if (!last.exec(QStringLiteral("SELECT MAX(id) FROM playbook_runs")) || !last.next())
            return sql::errorOf(last, QStringLiteral("run id"));
        const qint64 runId = last.value(0).toLongLong();
        if (auto x = run(
                QStringLiteral(
                    "INSERT INTO stage_states (run_id, stage_id, state, actor, reason, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                {runId, QStringLiteral("triage"), QStringLiteral("done"),
                 QStringLiteral("playbook"), QString(), t, t + 10});
            !x)
            return x;
        if (auto x = run(
                QStringLiteral(
                    "INSERT INTO actions (case_id, run_id, stage_id, kind, target, payload, state, connector, result, idempotency_key, required_approvals, created_at, updated_at, executed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                {caseId, runId, QStringLiteral("remediation"), QStringLiteral("block_hash"), hash,
                 QStringLiteral("{\"hash\":\"%1\"}").arg(hash), QStringLiteral("succeeded"),
                 QStringLiteral("xdr"),
                 QStringLiteral("{\"action_id\":77,\"status\":\"COMPLETED_SUCCESSFULLY\"}"),
                 QStringLiteral("k1"), 1, t + 3000, t + 4000, t + 4500});
            !x)
            return x;
        if (!last.exec(QStringLiteral("SELECT MAX(id) FROM actions")) || !last.next())
            return sql::errorOf(last, QStringLiteral("action id"));
        if (auto x = run(
                QStringLiteral(
                    "INSERT INTO approvals (action_id, approver, decision, note, decided_at) VALUES (?, ?, ?, ?, ?)"),
                {last.value(0).toLongLong(), QStringLiteral("bob"), QStringLiteral("approved"),
                 QStringLiteral("hash is on the feed"), t + 4200});
            !x)
            return x;
        if (auto x = run(
                QStringLiteral(
                    "INSERT INTO enrichments (indicator_id, provider, verdict, score, reliability, fetched_at) VALUES (?, ?, ?, ?, ?, ?)"),
                {hashId, QStringLiteral("wildfire"), QStringLiteral("malware"), 3,
                 QStringLiteral("B"), t + 100});
            !x)
            return x;
        if (auto x = run(
                QStringLiteral(
                    "INSERT INTO intel_entries (feed, type, value, score, confidence, tlp, description, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                {QStringLiteral("fin-ws-042-iocs"), QStringLiteral("sha256"), hash, 3, 90,
                 QStringLiteral("AMBER"), QStringLiteral("=HYPERLINK(\"http://evil\") loader"), t});
            !x)
            return x;
        auto a = audit::append(db, caseId, QStringLiteral("alice"), QStringLiteral("note_added"),
                               QStringLiteral("{\"note\":1}"), t);
        if (!a)
            return a.error();
        return {};
    });
    if (!r)
        qFatal("investigation records: %s", qPrintable(r.error().toString()));
}

qint64 addCaseWithCommandLine(CaseStore &store, const QString &ref, const QString &commandLine)
{
    ImportSession s(store, QStringLiteral("test"));
    if (!s.begin())
        qFatal("begin");
    CaseRecord c;
    c.source = QStringLiteral("test");
    c.sourceRef = ref;
    c.title = QStringLiteral("Case ") + ref;
    c.severity = Severity::High;
    c.createdAt = 1795078445000;
    auto caseId = s.upsertCase(c);
    if (!caseId)
        qFatal("case: %s", qPrintable(caseId.error().toString()));
    AlertRecord a;
    a.key = QStringLiteral("test|") + ref;
    a.source = QStringLiteral("test");
    a.alertId = ref + QStringLiteral("-1");
    a.name = QStringLiteral("Suspicious command line");
    a.severity = Severity::High;
    a.detectedAt = 1795078500000;
    a.endpoint.key = QStringLiteral("lab-01");
    a.endpoint.hostName = QStringLiteral("LAB-01");
    a.hostName = QStringLiteral("LAB-01");
    a.user = QStringLiteral("LAB\\tester");
    ProcessRecord parent;
    parent.key = QStringLiteral("lab-01|p-") + ref;
    parent.endpointKey = QStringLiteral("lab-01");
    parent.imageName = QStringLiteral("explorer.exe");
    parent.pid = 100;
    parent.startedAt = 1795078400000;
    ProcessRecord child;
    child.key = QStringLiteral("lab-01|c-") + ref;
    child.parentKey = parent.key;
    child.endpointKey = QStringLiteral("lab-01");
    child.imageName = QStringLiteral("cmd.exe");
    child.commandLine = commandLine;
    child.pid = 200;
    child.startedAt = 1795078499000;
    a.processes = {{ProcessRole::Causality, parent}, {ProcessRole::Action, child}};
    if (auto r = s.addAlert(caseId.value(), a); !r)
        qFatal("alert: %s", qPrintable(r.error().toString()));
    if (auto r = s.commit(QStringLiteral("test")); !r)
        qFatal("commit: %s", qPrintable(r.error().toString()));
    return caseId.value();
}

} // namespace causa::test
