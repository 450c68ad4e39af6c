#include "patternstore.h"

#include "casestore.h"
#include "core/errorcodes.h"
#include "sqlutil.h"

#include <QSqlQuery>

namespace causa {

namespace patternstore {

Result<StoredPattern> save(CaseStore &store, const CustomRule &rule, const QString &createdBy)
{
    if (rule.kind != QLatin1String("pattern") && rule.kind != QLatin1String("allowlist"))
        return makeError(
            errc::kPatternKind,
            QStringLiteral("kind must be 'pattern' or 'allowlist', not '%1'").arg(rule.kind));
    if (rule.name.trimmed().isEmpty() || rule.pattern.trimmed().isEmpty())
        return makeError(errc::kPatternEmpty, QStringLiteral("a rule needs a name and a pattern"));
    if (rule.weight < 0 || rule.weight > 100)
        return makeError(errc::kPatternWeight, QStringLiteral("weight must be 0-100"));
    StoredPattern stored;
    auto ok = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto q = sql::prepare(
            db, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM analysis_patterns "
                               "WHERE kind = ? AND name = ?"));
        if (!q)
            return q.error();
        if (auto r = sql::exec(q.value(), {rule.kind, rule.name}); !r)
            return r.error();
        const int version = q->next() ? q->value(0).toInt() + 1 : 1;
        auto retire = sql::prepare(db, QStringLiteral("UPDATE analysis_patterns SET active = 0 "
                                                      "WHERE kind = ? AND name = ?"));
        if (!retire)
            return retire.error();
        if (auto r = sql::exec(retire.value(), {rule.kind, rule.name}); !r)
            return r.error();
        auto ins = sql::prepare(
            db,
            QStringLiteral(
                "INSERT INTO analysis_patterns (kind, name, pattern, category, weight, version, active, "
                "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)"));
        if (!ins)
            return ins.error();
        const qint64 now = sql::nowMs();
        if (auto r = sql::exec(ins.value(),
                               {rule.kind, rule.name, rule.pattern, sql::bindable(rule.category),
                                rule.weight, version, sql::bindable(createdBy), now});
            !r)
            return r.error();
        stored.id = ins->lastInsertId().toLongLong();
        stored.rule = rule;
        stored.rule.version = version;
        stored.createdBy = createdBy;
        stored.createdAt = now;
        return {};
    });
    if (!ok)
        return ok.error();
    return stored;
}

Result<void> retire(CaseStore &store, const QString &kind, const QString &name)
{
    return store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto q = sql::prepare(
            db,
            QStringLiteral("UPDATE analysis_patterns SET active = 0 WHERE kind = ? AND name = ?"));
        if (!q)
            return q.error();
        return sql::exec(q.value(), {kind, name});
    });
}

Result<QList<StoredPattern>> list(const CaseStore &store, bool activeOnly)
{
    auto db = store.connection();
    if (!db)
        return db.error();
    auto q = sql::prepare(
        db.value(),
        QStringLiteral(
            "SELECT id, kind, name, pattern, category, weight, version, active, created_by, created_at "
            "FROM analysis_patterns %1 ORDER BY kind, name, version DESC")
            .arg(activeOnly ? QStringLiteral("WHERE active = 1") : QString()));
    if (!q)
        return q.error();
    if (auto r = sql::exec(q.value()); !r)
        return r.error();
    QList<StoredPattern> out;
    while (q->next()) {
        StoredPattern p;
        p.id = q->value(0).toLongLong();
        p.rule.kind = q->value(1).toString();
        p.rule.name = q->value(2).toString();
        p.rule.pattern = q->value(3).toString();
        p.rule.category = q->value(4).toString();
        p.rule.weight = q->value(5).toInt();
        p.rule.version = q->value(6).toInt();
        p.active = q->value(7).toInt() != 0;
        p.createdBy = q->value(8).toString();
        p.createdAt = q->value(9).toLongLong();
        out.push_back(std::move(p));
    }
    return out;
}

Result<QList<CustomRule>> activeRules(const CaseStore &store)
{
    auto rows = list(store, true);
    if (!rows)
        return rows.error();
    QList<CustomRule> rules;
    for (const StoredPattern &p : rows.value())
        rules.push_back(p.rule);
    return rules;
}

} // namespace patternstore
} // namespace causa
