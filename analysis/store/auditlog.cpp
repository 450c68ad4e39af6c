#include "auditlog.h"

#include "sqlutil.h"

#include <QCryptographicHash>
#include <QList>
#include <QMessageAuthenticationCode>
#include <QSqlQuery>

#include <algorithm>
#include <vector>

namespace causa::audit {

namespace {

void addField(QCryptographicHash &h, const QByteArray &part)
{
    h.addData(QByteArray::number(part.size()));
    h.addData(QByteArrayView(":"));
    h.addData(part);
}

QString hashV2(qint64 caseId, const AuditEntry &e)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(QByteArrayView("causa-audit-2\n"));
    for (const QByteArray &part :
         {e.prevHash.toUtf8(), QByteArray::number(caseId), QByteArray::number(e.seq),
          QByteArray::number(e.timestamp), e.actor.toUtf8(), e.kind.toUtf8(), e.payload.toUtf8()})
        addField(h, part);
    return QString::fromLatin1(h.result().toHex());
}

QByteArray headMessage(const SignedHead &h)
{
    return QStringLiteral("causa-audit-head-1\n%1\n%2\n%3\n%4")
        .arg(h.caseId)
        .arg(h.entries)
        .arg(h.head)
        .arg(h.signedAt)
        .toUtf8();
}

} // namespace

QString entryHash(qint64 caseId, const AuditEntry &e)
{
    if (e.format >= 2)
        return hashV2(caseId, e);
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
        auto row = PreparedStatement::prepare(
            m_db, QStringLiteral("SELECT id FROM cases WHERE id = ? FOR NO KEY UPDATE"));
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
            auto adv = PreparedStatement::prepare(
                m_db,
                QStringLiteral("SELECT pg_advisory_xact_lock(1130457153, CAST(? AS INTEGER))"));
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
            m_db,
            QStringLiteral(
                "SELECT seq, hash FROM audit_log WHERE case_id = ? ORDER BY seq DESC LIMIT 1"));
        auto ins = PreparedStatement::prepare(
            m_db,
            QStringLiteral(
                "INSERT INTO audit_log (case_id, seq, ts, actor, kind, payload, prev_hash, hash, format) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 2)"));
        auto head = PreparedStatement::prepare(
            m_db,
            QStringLiteral(
                "INSERT INTO audit_heads (case_id, entries, head, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (case_id) DO UPDATE SET entries = excluded.entries, "
                "head = excluded.head, updated_at = excluded.updated_at"));
        if (!last)
            return last.error();
        if (!ins)
            return ins.error();
        if (!head)
            return head.error();
        m_last = std::move(last.value());
        m_insert = std::move(ins.value());
        m_head = std::move(head.value());
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
    auto ins =
        m_insert->run({caseId, e.seq, e.timestamp, e.actor, e.kind, e.payload, e.prevHash, e.hash});
    if (!ins)
        return ins.error();
    m_insert->reset();
    if (m_heads == Heads::Deferred) {
        m_pendingHeads.insert(caseId, {e.seq, e.hash});
        return e;
    }
    // A head that is already further along (rows cut behind its back) refuses to move back:
    // the trigger aborts the append rather than paper over the gap.
    auto moved = m_head->run({caseId, e.seq, e.hash, sql::nowMs()});
    if (!moved)
        return moved.error();
    m_head->reset();
    return e;
}

Result<void> Appender::writeHeads()
{
    constexpr int kRows = 128;
    std::vector<SqlValue> values;
    auto write = [&](int rows) -> Result<void> {
        QString text =
            QStringLiteral("INSERT INTO audit_heads (case_id, entries, head, updated_at) VALUES ");
        for (int r = 0; r < rows; ++r)
            text += QLatin1String(r ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)");
        // Same rule as append(): a head further along refuses to move back (the trigger aborts).
        text += QStringLiteral(" ON CONFLICT (case_id) DO UPDATE SET entries = excluded.entries, "
                               "head = excluded.head, updated_at = excluded.updated_at");
        auto st = PreparedStatement::prepare(m_db, text);
        if (!st)
            return st.error();
        if (auto r = st.value()->run(std::span<const SqlValue>(values)); !r)
            return r.error();
        values.clear();
        return {};
    };
    QList<qint64> ids = m_pendingHeads.keys();
    std::sort(ids.begin(), ids.end());
    const qint64 now = sql::nowMs();
    int rows = 0;
    for (const qint64 id : std::as_const(ids)) {
        const Head &h = m_pendingHeads[id];
        values.insert(values.end(), {id, h.entries, h.hash, now});
        if (++rows == kRows) {
            if (auto r = write(rows); !r)
                return r;
            rows = 0;
        }
    }
    if (rows > 0) {
        if (auto r = write(rows); !r)
            return r;
    }
    m_pendingHeads.clear();
    return {};
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
    q.prepare(QStringLiteral(
        "SELECT seq, ts, actor, kind, payload, prev_hash, hash, format FROM audit_log "
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
        e.format = q.value(7).toInt();
        out.push_back(std::move(e));
    }
    return out;
}

namespace {

// Compares the chain with its stored head: a cut tail or a deleted chain leaves the head ahead.
Result<void> compareHead(const QSqlDatabase &db, qint64 caseId, AuditVerification &v,
                         qint64 lastSeq)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT entries, head FROM audit_heads WHERE case_id = ?"));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    QString problem;
    if (q.next()) {
        v.headEntries = q.value(0).toLongLong();
        v.storedHead = q.value(1).toString();
        if (v.entries == 0)
            problem = QStringLiteral("the whole chain is missing (its head records %1 entries)")
                          .arg(v.headEntries);
        else if (lastSeq != v.headEntries)
            problem = QStringLiteral("the chain ends at entry %1 but its head records %2 entries")
                          .arg(lastSeq)
                          .arg(v.headEntries);
        else if (v.head != v.storedHead)
            problem = QStringLiteral("the last entry's hash differs from the recorded head");
    } else if (v.entries > 0) {
        problem = QStringLiteral("the chain has no recorded head (it was removed)");
    }
    if (!problem.isEmpty() && v.intact) {
        v.intact = false;
        v.firstBadSeq = std::max<qint64>(lastSeq + 1, 1);
        v.problem = problem;
    }
    return {};
}

} // namespace

Result<AuditVerification> verify(const QSqlDatabase &db, qint64 caseId)
{
    auto list = entries(db, caseId);
    if (!list)
        return list.error();
    AuditVerification v;
    QString prev = kGenesis;
    qint64 expectedSeq = 1;
    qint64 lastSeq = 0;
    for (const AuditEntry &e : list.value()) {
        ++v.entries;
        QString problem;
        if (e.seq != expectedSeq)
            problem =
                QStringLiteral("entry %1 is missing (found %2 next)").arg(expectedSeq).arg(e.seq);
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
        lastSeq = e.seq;
    }
    v.head = prev;
    if (auto h = compareHead(db, caseId, v, lastSeq); !h)
        return h.error();
    return v;
}

SignedHead signHead(qint64 caseId, qint64 entries, const QString &head, const QByteArray &key,
                    qint64 signedAt)
{
    SignedHead h{caseId, entries, head, signedAt > 0 ? signedAt : sql::nowMs(), {}};
    if (key.isEmpty())
        return h;
    h.signature = QString::fromLatin1(
        QMessageAuthenticationCode::hash(headMessage(h), key, QCryptographicHash::Sha256).toHex());
    return h;
}

bool headSignatureValid(const SignedHead &h, const QByteArray &key)
{
    const QByteArray expected =
        QMessageAuthenticationCode::hash(headMessage(h), key, QCryptographicHash::Sha256).toHex();
    const QByteArray given = h.signature.toLatin1();
    // Constant time: the comparison does not tell how many leading characters matched.
    if (key.isEmpty() || given.size() != expected.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
    return diff == 0;
}

Result<QString> checkAgainst(const QSqlDatabase &db, const SignedHead &h)
{
    auto list = entries(db, h.caseId);
    if (!list)
        return list.error();
    const std::vector<AuditEntry> &all = list.value();
    if (h.entries == 0)
        return QString();
    if (static_cast<qint64>(all.size()) < h.entries)
        return QStringLiteral(
                   "the report recorded %1 audit entries; the store holds %2 (entries were removed)")
            .arg(h.entries)
            .arg(all.size());
    const AuditEntry &e = all[static_cast<size_t>(h.entries - 1)];
    if (e.seq != h.entries || e.hash != h.head)
        return QStringLiteral(
                   "entry %1 no longer has the hash the report recorded (the chain was rewritten)")
            .arg(h.entries);
    return QString();
}

} // namespace causa::audit
