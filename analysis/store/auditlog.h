#pragma once

#include "core/result.h"
#include "preparedstatement.h"

#include <memory>

#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <vector>

namespace causa {

struct AuditEntry
{
    qint64 seq = 0;
    qint64 timestamp = 0;
    QString actor;
    QString kind;
    QString payload; // JSON text
    QString prevHash;
    QString hash;
    // 1: fields joined by a separator (entries written before migration 016); 2: each field
    // length-prefixed, so no text can move from one field into the next.
    int format = 2;
};

struct AuditVerification
{
    bool intact = true;
    qint64 entries = 0;
    QString head; // hash of the last entry
    qint64 firstBadSeq = -1;
    QString problem;
    qint64 headEntries = -1; // the stored head (audit_heads), -1 when the case has none
    QString storedHead;
};

// A chain head anchored outside the store: written into each report JSON, signed with the
// analyst's local key (HMAC-SHA256), and compared later by `verify-audit CASE --against`.
struct SignedHead
{
    qint64 caseId = 0;
    qint64 entries = 0;
    QString head;
    qint64 signedAt = 0;
    QString signature; // hex
};

// Append-only, hash-chained audit log per case. Each entry's hash is SHA-256 over the previous
// hash and the entry's fields, so editing or deleting any row breaks the chain; the case's head
// (last seq and hash, audit_heads) is updated with each append, so cutting the tail or the whole
// chain is seen too. Triggers refuse UPDATE and DELETE on both tables (migration 016).
namespace audit {

inline const QString kGenesis =
    QStringLiteral("0000000000000000000000000000000000000000000000000000000000000000");

QString entryHash(qint64 caseId, const AuditEntry &e);

SignedHead signHead(qint64 caseId, qint64 entries, const QString &head, const QByteArray &key,
                    qint64 signedAt = 0);
bool headSignatureValid(const SignedHead &h, const QByteArray &key);
// Compares the case's chain with a head signed earlier: the chain must still hold that entry
// with that hash (later entries may follow). Returns an empty string when it does, or the problem.
Result<QString> checkAgainst(const QSqlDatabase &db, const SignedHead &h);
// Appends many entries with statements prepared once (imports touching thousands of cases).
class Appender
{
public:
    // Heads::Deferred keeps each chain's new head in memory until writeHeads(), which writes
    // them 128 per statement: a bulk import appends to thousands of chains, and on SQLite each
    // single head upsert carried a statement journal. The caller must call writeHeads() before
    // its transaction commits.
    enum class Heads
    {
        Immediate,
        Deferred
    };
    explicit Appender(QSqlDatabase db, Heads heads = Heads::Immediate)
        : m_db(std::move(db)), m_heads(heads)
    {}
    Result<AuditEntry> append(qint64 caseId, const QString &actor, const QString &kind,
                              const QString &payloadJson, qint64 timestamp = 0);
    Result<void> writeHeads();

private:
    // Serialises appends to one case's chain across writers (see lockChain in the .cpp).
    Result<void> lockChain(qint64 caseId);

    QSqlDatabase m_db;
    std::unique_ptr<PreparedStatement> m_last;
    std::unique_ptr<PreparedStatement> m_insert;
    std::unique_ptr<PreparedStatement> m_head;
    std::unique_ptr<PreparedStatement> m_lockCase;
    std::unique_ptr<PreparedStatement> m_lockOther;
    QSet<qint64> m_locked;
    Heads m_heads;
    struct Head
    {
        qint64 entries = 0;
        QString hash;
    };
    QHash<qint64, Head> m_pendingHeads;
};

// Must run inside the caller's transaction. Several writers may append to the same case at once:
// on PostgreSQL each append first locks the case's chain until the transaction ends (SQLite
// writers are already serialised by BEGIN IMMEDIATE), so seq numbers never collide.
Result<AuditEntry> append(QSqlDatabase &db, qint64 caseId, const QString &actor,
                          const QString &kind, const QString &payloadJson, qint64 timestamp = 0);
Result<std::vector<AuditEntry>> entries(const QSqlDatabase &db, qint64 caseId);
Result<AuditVerification> verify(const QSqlDatabase &db, qint64 caseId);

} // namespace audit
} // namespace causa
