#include "intelstore.h"

#include "importsession.h"
#include "sqlutil.h"

namespace causa {

IntelWriter::IntelWriter(ImportSession &session) : m_session(session) {}

Result<void> IntelWriter::add(const IntelEntry &e)
{
    if (!m_insert) {
        m_insert = std::make_unique<QSqlQuery>(m_session.database());
        // The WHERE makes an unchanged entry return no row, so it counts as skipped.
        if (!m_insert->prepare(QStringLiteral(
                "INSERT INTO intel_entries (feed, kind, type, value, score, confidence, tlp, pap, "
                "creator, description, valid_from, valid_until, imported_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (feed, kind, type, value) DO UPDATE SET score = excluded.score, "
                "confidence = excluded.confidence, tlp = excluded.tlp, pap = excluded.pap, "
                "creator = excluded.creator, description = excluded.description, "
                "valid_from = excluded.valid_from, valid_until = excluded.valid_until, "
                "imported_at = excluded.imported_at "
                "WHERE intel_entries.score <> excluded.score OR intel_entries.confidence <> excluded.confidence "
                "OR intel_entries.tlp <> excluded.tlp OR intel_entries.pap <> excluded.pap "
                "OR intel_entries.creator <> excluded.creator "
                "OR intel_entries.description <> excluded.description "
                "OR intel_entries.valid_from <> excluded.valid_from "
                "OR intel_entries.valid_until <> excluded.valid_until "
                "RETURNING id"))) {
            Error err = sql::errorOf(*m_insert, QStringLiteral("intel.insert"));
            m_insert.reset();
            return err;
        }
    }
    QSqlQuery &q = *m_insert;
    const QVariantList values{e.feed,
                              e.kind,
                              e.type,
                              e.value,
                              e.score,
                              e.confidence,
                              e.tlp,
                              e.pap,
                              e.creator,
                              e.description,
                              e.validFrom,
                              e.validUntil,
                              e.importedAt > 0 ? e.importedAt : sql::nowMs()};
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, sql::bindable(values.at(i)));
    if (!q.exec())
        return sql::errorOf(q, QStringLiteral("storing intel %1 %2").arg(e.type, e.value.left(80)));
    if (q.next())
        ++m_session.counts().intel;
    else
        ++m_session.counts().skipped;
    q.finish();
    return {};
}

namespace intelstore {

Result<std::vector<IntelEntry>> lookup(const QSqlDatabase &db, const QString &type,
                                       const QString &value)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral(
            "SELECT feed, kind, type, value, score, confidence, tlp, pap, creator, description, "
            "valid_from, valid_until, imported_at FROM intel_entries WHERE type = ? AND value = ? "
            "ORDER BY CASE kind WHEN 'allowlist' THEN 0 ELSE 1 END, feed")))
        return sql::errorOf(q, QStringLiteral("intel lookup"));
    if (auto r = sql::exec(q, {type, value}); !r)
        return r.error();
    std::vector<IntelEntry> out;
    while (q.next()) {
        IntelEntry e;
        e.feed = q.value(0).toString();
        e.kind = q.value(1).toString();
        e.type = q.value(2).toString();
        e.value = q.value(3).toString();
        e.score = q.value(4).toInt();
        e.confidence = q.value(5).toInt();
        e.tlp = q.value(6).toString();
        e.pap = q.value(7).toString();
        e.creator = q.value(8).toString();
        e.description = q.value(9).toString();
        e.validFrom = q.value(10).toLongLong();
        e.validUntil = q.value(11).toLongLong();
        e.importedAt = q.value(12).toLongLong();
        out.push_back(std::move(e));
    }
    return out;
}

Result<qint64> count(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM intel_entries")) || !q.next())
        return sql::errorOf(q, QStringLiteral("counting intel"));
    return q.value(0).toLongLong();
}

} // namespace intelstore
} // namespace causa
