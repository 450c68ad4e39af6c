#include "auditlog.h"

#include "sqlutil.h"

#include <QCryptographicHash>
#include <QSqlQuery>

#include <vector>

namespace causa::audit {

QString entryHash(qint64 caseId, const AuditEntry &e)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    const QByteArray sep("\x1f", 1);
    h.addData(e.prevHash.toUtf8());
    for (const QByteArray &part :
         {QByteArray::number(caseId), QByteArray::number(e.seq), QByteArray::number(e.timestamp),
          e.actor.toUtf8(), e.kind.toUtf8(), e.payload.toUtf8()}) {
        h.addData(sep);
        h.addData(part);
    }
    return QString::fromLatin1(h.result().toHex());
}

Result<void> Appender::lockChain(qint64 caseId)
{
    // SQLite: the writer already holds the database write lock (BEGIN IMMEDIATE).
    if (m_db.driverName() != QLatin1String("QPSQL") || m_locked.contains(caseId))
        return {};
    // PostgreSQL (READ COMMITTED): two transactions would both read the same last seq. Locking
    // the case row first makes the second wait until the first commits, then read its entry.
    // NO KEY UPDATE is the lock an UPDATE of the case takes anyway, so a transaction that also
    // updates the case (imports, severity, assignment) takes no second lock, and foreign-key
    // checks (KEY SHARE) from inserts into the case's tables are not blocked.
    if (!m_lockCase) {
        auto row = PreparedStatement::prepare(m_db, QStringLiteral("SELECT id FROM cases WHERE id = ? FOR NO KEY UPDATE"));
        if (!row)
            return row.error();
        m_lockCase = std::move(row.value());
    }
    auto found = m_lockCase->run({caseId});
    if (!found)
        return found.error();
    m_lockCase->reset();
    if (!found.value()) {
        // A chain without a case row (0 = store-wide entries): a transaction-scoped advisory lock.
        if (!m_lockOther) {
            auto adv = PreparedStatement::prepare(m_db, QStringLiteral("SELECT pg_advisory_xact_lock(1130457153, CAST(? AS INTEGER))"));
            if (!adv)
                return adv.error();
            m_lockOther = std::move(adv.value());
        }
        auto locked = m_lockOther->run({qint64(qint32(caseId))});
        if (!locked)
            return locked.error();
        m_lockOther->reset();
    }
    m_locked.insert(caseId);
    return {};
}

Result<AuditEntry> Appender::append(qint64 caseId, const QString &actor, const QString &kind,
                                    const QString &payloadJson, qint64 timestamp)
{
    if (auto locked = lockChain(caseId); !locked)
        return locked.error();
    if (!m_last) {
        auto last = PreparedStatement::prepare(
            m_db, QStringLiteral("SELECT seq, hash FROM audit_log WHERE case_id = ? ORDER BY seq DESC LIMIT 1"));
        auto ins = PreparedStatement::prepare(
            m_db, QStringLiteral("INSERT INTO audit_log (case_id, seq, ts, actor, kind, payload, prev_hash, hash) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        if (!last)
            return last.error();
        if (!ins)
            return ins.error();
        m_last = std::move(last.value());
        m_insert = std::move(ins.value());
    }
    AuditEntry e;
    e.actor = actor;
    e.kind = kind;
    e.payload = payloadJson.isEmpty() ? QStringLiteral("{}") : payloadJson;
    e.timestamp = timestamp > 0 ? timestamp : sql::nowMs();
    auto row = m_last->run({caseId});
    if (!row)
        return row.error();
    if (row.value()) {
        e.seq = m_last->columnInt64(0) + 1;
        e.prevHash = m_last->columnText(1);
    } else {
        e.seq = 1;
        e.prevHash = kGenesis;
    }
    m_last->reset();
    e.hash = entryHash(caseId, e);
    auto ins = m_insert->run({caseId, e.seq, e.timestamp, e.actor, e.kind, e.payload, e.prevHash, e.hash});
    if (!ins)
        return ins.error();
    m_insert->reset();
    return e;
}

Result<AuditEntry> append(QSqlDatabase &db, qint64 caseId, const QString &actor,
                          const QString &kind, const QString &payloadJson, qint64 timestamp)
{
    return Appender(db).append(caseId, actor, kind, payloadJson, timestamp);
}

Result<std::vector<AuditEntry>> entries(const QSqlDatabase &db, qint64 caseId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT seq, ts, actor, kind, payload, prev_hash, hash FROM audit_log "
                             "WHERE case_id = ? ORDER BY seq"));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    std::vector<AuditEntry> out;
    while (q.next()) {
        AuditEntry e;
        e.seq = q.value(0).toLongLong();
        e.timestamp = q.value(1).toLongLong();
        e.actor = q.value(2).toString();
        e.kind = q.value(3).toString();
        e.payload = q.value(4).toString();
        e.prevHash = q.value(5).toString();
        e.hash = q.value(6).toString();
        out.push_back(std::move(e));
    }
    return out;
}

Result<AuditVerification> verify(const QSqlDatabase &db, qint64 caseId)
{
    auto list = entries(db, caseId);
    if (!list)
        return list.error();
    AuditVerification v;
    QString prev = kGenesis;
    qint64 expectedSeq = 1;
    for (const AuditEntry &e : list.value()) {
        ++v.entries;
        QString problem;
        if (e.seq != expectedSeq)
            problem = QStringLiteral("entry %1 is missing (found %2 next)").arg(expectedSeq).arg(e.seq);
        else if (e.prevHash != prev)
            problem = QStringLiteral("entry %1 does not follow the previous entry").arg(e.seq);
        else if (entryHash(caseId, e) != e.hash)
            problem = QStringLiteral("entry %1 was modified after it was written").arg(e.seq);
        if (!problem.isEmpty() && v.intact) {
            v.intact = false;
            v.firstBadSeq = e.seq;
            v.problem = problem;
        }
        prev = e.hash;
        expectedSeq = e.seq + 1;
    }
    v.head = prev;
    return v;
}

} // namespace causa::audit
