#include "evidencestore.h"

#include "auditlog.h"
#include "core/errorcodes.h"
#include "sqlutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace causa {

namespace {

const QString kColumns =
    QStringLiteral("SELECT id, case_id, kind, ref, label, detail, created_by, created_at "
                   "FROM evidence ");

EvidenceItem itemOf(const QSqlQuery &q)
{
    return {q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
            q.value(3).toString(),   q.value(4).toString(),   q.value(5).toString(),
            q.value(6).toString(),   q.value(7).toLongLong()};
}

QString payloadOf(const EvidenceItem &e)
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("evidence_id"), e.id},
                                                       {QStringLiteral("kind"), e.kind},
                                                       {QStringLiteral("ref"), e.ref},
                                                       {QStringLiteral("label"), e.label},
                                                       {QStringLiteral("comment"), e.detail}})
                                 .toJson(QJsonDocument::Compact));
}

} // namespace

namespace evidencestore {

Result<std::vector<EvidenceItem>> items(const CaseStore &store, qint64 caseId)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.setForwardOnly(true);
    q.prepare(kColumns + QStringLiteral("WHERE case_id = ? ORDER BY created_at, id"));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    std::vector<EvidenceItem> out;
    while (q.next())
        out.push_back(itemOf(q));
    return out;
}

Result<EvidenceItem> tag(CaseStore &store, qint64 caseId, const QString &kind, const QString &ref,
                         const QString &label, const QString &comment, const QString &actor,
                         bool *created)
{
    if (kind.trimmed().isEmpty() || ref.isEmpty())
        return makeError(errc::kBadEvidence,
                         QStringLiteral("evidence needs a kind and a reference"));
    // (case, kind, ref, label) is a unique index; PostgreSQL refuses index rows over ~2.7 kB.
    if (ref.size() > 1024)
        return makeError(
            errc::kBadEvidence,
            QStringLiteral(
                "the evidence reference is %1 characters long; tag long values by their hash")
                .arg(ref.size()));
    const QString shortLabel = label.size() > 500 ? label.left(499) + QChar(0x2026) : label;
    EvidenceItem item{0, caseId, kind, ref, shortLabel, comment, actor, sql::nowMs()};
    bool isNew = false;
    auto r = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "INSERT INTO evidence (case_id, kind, ref, label, detail, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, kind, ref, label) DO NOTHING"));
        if (auto e = sql::exec(q, {caseId, kind, ref, sql::bindable(shortLabel),
                                   sql::bindable(comment), sql::bindable(actor), item.createdAt});
            !e)
            return e;
        isNew = q.numRowsAffected() == 1;
        q.finish();
        QSqlQuery s(db);
        s.prepare(kColumns +
                  QStringLiteral("WHERE case_id = ? AND kind = ? AND ref = ? AND label = ?"));
        if (auto e = sql::exec(s, {caseId, kind, ref, sql::bindable(shortLabel)}); !e)
            return e;
        if (!s.next())
            return sql::errorOf(s, QStringLiteral("reading back the evidence tag"));
        item = itemOf(s);
        s.finish();
        if (!isNew)
            return {};
        auto a =
            audit::append(db, caseId, actor, QStringLiteral("evidence.tagged"), payloadOf(item));
        if (!a)
            return a.error();
        return {};
    });
    if (!r)
        return r.error();
    if (created)
        *created = isNew;
    return item;
}

Result<void> untag(CaseStore &store, qint64 evidenceId, const QString &actor)
{
    return store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery s(db);
        s.prepare(kColumns + QStringLiteral("WHERE id = ?"));
        if (auto e = sql::exec(s, {evidenceId}); !e)
            return e;
        if (!s.next())
            return makeError(errc::kNotFound,
                             QStringLiteral("evidence %1 no longer exists").arg(evidenceId));
        const EvidenceItem item = itemOf(s);
        s.finish();
        QSqlQuery d(db);
        d.prepare(QStringLiteral("DELETE FROM evidence WHERE id = ?"));
        if (auto e = sql::exec(d, {evidenceId}); !e)
            return e;
        auto a = audit::append(db, item.caseId, actor, QStringLiteral("evidence.untagged"),
                               payloadOf(item));
        if (!a)
            return a.error();
        return {};
    });
}

} // namespace evidencestore
} // namespace causa
