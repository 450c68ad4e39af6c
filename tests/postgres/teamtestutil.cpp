#include "teamtestutil.h"

#include "store/actionstore.h"
#include "store/sqlutil.h"

#include <QSqlQuery>

namespace causa::test {

std::unique_ptr<QProcess> startCli(const QStringList &args, const QStringList &extraEnv)
{
    auto p = std::make_unique<QProcess>();
    if (!extraEnv.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &kv : extraEnv)
            env.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        p->setProcessEnvironment(env);
    }
    p->setProgram(cliPath());
    p->setArguments(args);
    p->start();
    return p;
}

CliResult finishCli(QProcess &p, int timeoutMs)
{
    CliResult r;
    if (!p.waitForStarted(10000)) {
        r.err = "cannot start causa-cli: " + p.errorString().toUtf8();
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = "causa-cli timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

qint64 importSampleWithCli(TempStore &ts)
{
    const auto r = runCli(
        ts.cliArgs() +
        QStringList{QStringLiteral("import"),
                    sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")});
    if (r.exitCode != 0) {
        qWarning("import failed: %s", r.err.constData());
        return 0;
    }
    auto id = ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242"));
    return id ? id.value() : 0;
}

std::vector<qint64> proposeActions(CaseStore &store, qint64 caseId, int n, const QString &prefix)
{
    std::vector<qint64> ids;
    auto tx = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        ids.clear();
        for (int i = 0; i < n; ++i) {
            ActionRecord a;
            a.caseId = caseId;
            a.kind = QStringLiteral("block_ip");
            a.target = QStringLiteral("198.51.100.%1").arg(i + 1);
            a.payload = {{"ip", a.target.toStdString()}};
            a.rationale = QStringLiteral("race test");
            a.idempotencyKey = QStringLiteral("%1-%2").arg(prefix).arg(i);
            auto stored = actionstore::insert(db, a, nullptr);
            if (!stored)
                return stored.error();
            if (auto r = actionstore::markAwaiting(db, stored->id); !r)
                return r;
            ids.push_back(stored->id);
        }
        return {};
    });
    if (!tx)
        qWarning("proposing actions failed: %s", qPrintable(tx.error().toString()));
    return ids;
}

WriteGate::WriteGate(const StoreLocation &location, const QString &table, qint64 rowId)
{
    auto s = CaseStore::open(location);
    if (!s)
        return;
    m_store = s.value();
    auto db = m_store->connection();
    if (!db)
        return;
    if (m_store->dialect().kind() == SqlDialect::Kind::Sqlite) {
        m_holding = sql::execText(db.value(), QStringLiteral("BEGIN IMMEDIATE")).ok();
        return;
    }
    if (!sql::execText(db.value(), QStringLiteral("BEGIN")))
        return;
    QSqlQuery q(db.value());
    m_holding =
        q.exec(
            QStringLiteral("SELECT id FROM %1 WHERE id = %2 FOR UPDATE").arg(table).arg(rowId)) &&
        q.next();
}

WriteGate::~WriteGate()
{
    release();
}

int WriteGate::waiters(CaseStore &observer) const
{
    if (observer.dialect().kind() == SqlDialect::Kind::Sqlite)
        return 0;
    auto db = observer.connection();
    if (!db)
        return 0;
    QSqlQuery q(db.value());
    if (!q.exec(QStringLiteral(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")) ||
        !q.next())
        return 0;
    return q.value(0).toInt();
}

void WriteGate::release()
{
    if (!m_holding)
        return;
    m_holding = false;
    if (auto db = m_store->connection())
        (void)sql::execText(db.value(), QStringLiteral("ROLLBACK"));
}

} // namespace causa::test
