#include "enrichmentstore.h"

#include "core/errorcodes.h"
#include "sqlutil.h"

#include <QSqlQuery>

namespace causa::enrichmentstore {

namespace {

const char *kSubjectColumns = "i.id, i.type, i.value, i.internal, i.tlp, i.pap, i.manual_score, "
                              "i.manual_reason, i.manual_by";

EnrichmentSubject readSubject(const QSqlQuery &q)
{
    EnrichmentSubject s;
    s.indicatorId = q.value(0).toLongLong();
    s.type = q.value(1).toString();
    s.value = q.value(2).toString();
    s.internal = q.value(3).toInt() != 0;
    s.tlp = q.value(4).toString();
    s.pap = q.value(5).toString();
    s.manualScore = q.value(6).isNull() ? -1 : q.value(6).toInt();
    s.manualReason = q.value(7).toString();
    s.manualBy = q.value(8).toString();
    return s;
}

} // namespace

Result<std::vector<EnrichmentSubject>> subjectsOfCase(const QSqlDatabase &db, qint64 caseId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral(
            "SELECT %1, ci.context FROM case_indicators ci JOIN indicators i ON i.id = ci.indicator_id "
            "WHERE ci.case_id = ? ORDER BY i.type, i.value, ci.context")
            .arg(QLatin1String(kSubjectColumns)));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    std::vector<EnrichmentSubject> out;
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        if (out.empty() || out.back().indicatorId != id)
            out.push_back(readSubject(q));
        out.back().contexts << q.value(9).toString();
    }
    return out;
}

Result<EnrichmentSubject> subject(const QSqlDatabase &db, qint64 indicatorId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT %1 FROM indicators i WHERE i.id = ?")
                  .arg(QLatin1String(kSubjectColumns)));
    if (auto r = sql::exec(q, {indicatorId}); !r)
        return r.error();
    if (!q.next())
        return makeError(errc::kNotFound,
                         QStringLiteral("no indicator with id %1").arg(indicatorId));
    return readSubject(q);
}

Result<std::vector<HashProcess>> processesOfCase(const QSqlDatabase &db, qint64 caseId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT DISTINCT p.sha256, p.sha1, p.md5, p.image_name, p.image_path, "
        "p.signature_status, p.signature_vendor FROM processes p "
        "JOIN alert_processes ap ON ap.process_id = p.id JOIN alerts a ON a.id = ap.alert_id "
        "WHERE a.case_id = ?"));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    std::vector<HashProcess> out;
    while (q.next()) {
        HashProcess h;
        h.sha256 = q.value(0).toString();
        h.sha1 = q.value(1).toString();
        h.md5 = q.value(2).toString();
        h.process.imageName = q.value(3).toString();
        h.process.imagePath = q.value(4).toString();
        h.process.signatureStatus = q.value(5).toString();
        h.process.signatureVendor = q.value(6).toString();
        out.push_back(std::move(h));
    }
    return out;
}

Result<QStringList> alertRawsOfCase(const QSqlDatabase &db, qint64 caseId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT raw FROM alerts WHERE case_id = ? ORDER BY id"));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

Result<std::vector<std::pair<qint64, ProviderResult>>> cachedResults(const QSqlDatabase &db,
                                                                     qint64 caseId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT e.indicator_id, e.provider, e.verdict, e.score, e.reliability, e.fetched_at, "
        "e.expires_at, e.raw FROM enrichments e WHERE e.indicator_id IN "
        "(SELECT indicator_id FROM case_indicators WHERE case_id = ?) "
        "ORDER BY e.indicator_id, e.provider"));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    std::vector<std::pair<qint64, ProviderResult>> out;
    while (q.next()) {
        ProviderResult r;
        r.provider = q.value(1).toString();
        r.verdict = q.value(2).toString();
        r.score = static_cast<Score>(std::clamp(q.value(3).toInt(), 0, 3));
        r.reliability = q.value(4).toString();
        r.fetchedAt = q.value(5).toLongLong();
        r.expiresAt = q.value(6).toLongLong();
        r.raw = q.value(7).toString();
        r.cached = true;
        out.emplace_back(q.value(0).toLongLong(), std::move(r));
    }
    return out;
}

Result<void> saveResults(QSqlDatabase &db,
                         const std::vector<std::pair<qint64, ProviderResult>> &results)
{
    QSqlQuery q(db);
    if (!q.prepare(QStringLiteral(
            "INSERT INTO enrichments (indicator_id, provider, verdict, score, reliability, fetched_at, expires_at, raw) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (indicator_id, provider) DO UPDATE SET "
            "verdict = excluded.verdict, score = excluded.score, reliability = excluded.reliability, "
            "fetched_at = excluded.fetched_at, expires_at = excluded.expires_at, raw = excluded.raw")))
        return sql::errorOf(q, QStringLiteral("enrichment.save"));
    for (const auto &[id, r] : results)
        if (auto e = sql::exec(q, {id, r.provider, r.verdict, int(r.score), r.reliability,
                                   r.fetchedAt, r.expiresAt, r.raw});
            !e)
            return e;
    return {};
}

Result<std::vector<qint64>> setManualVerdict(QSqlDatabase &db, qint64 indicatorId, int score,
                                             const QString &reason, const QString &analyst)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "UPDATE indicators SET manual_score = ?, manual_reason = ?, manual_by = ? WHERE id = ?"));
    if (auto r = sql::exec(q, {score, reason, analyst, indicatorId}); !r)
        return r.error();
    if (q.numRowsAffected() != 1)
        return makeError(errc::kNotFound,
                         QStringLiteral("no indicator with id %1").arg(indicatorId));
    QSqlQuery c(db);
    c.prepare(QStringLiteral(
        "SELECT DISTINCT case_id FROM case_indicators WHERE indicator_id = ? ORDER BY case_id"));
    if (auto r = sql::exec(c, {indicatorId}); !r)
        return r.error();
    std::vector<qint64> cases;
    while (c.next())
        cases.push_back(c.value(0).toLongLong());
    return cases;
}

} // namespace causa::enrichmentstore
