#include "markingstore.h"

#include "auditlog.h"
#include "casestore.h"
#include "core/errorcodes.h"
#include "sqlutil.h"

#include <QSqlQuery>

#include <nlohmann/json.hpp>

namespace causa::markings {

namespace {

Result<QString> normalise(const QString &text, const QString &prefix, const QStringList &allowed)
{
    QString v = text.trimmed().toUpper();
    if (v.startsWith(prefix))
        v = v.mid(prefix.size());
    if (v.isEmpty() || allowed.contains(v))
        return v;
    return makeError(errc::kUsage, QStringLiteral("'%1' is not a %2 level (%3)")
                                       .arg(text.left(40), prefix.chopped(1),
                                            allowed.join(QStringLiteral(", "))));
}

std::string s(const QString &v)
{
    return v.toStdString();
}

} // namespace

Result<QString> normaliseTlp(const QString &text)
{
    return normalise(text, QStringLiteral("TLP:"),
                     {QStringLiteral("CLEAR"), QStringLiteral("GREEN"), QStringLiteral("AMBER"),
                      QStringLiteral("AMBER+STRICT"), QStringLiteral("RED")});
}

Result<QString> normalisePap(const QString &text)
{
    return normalise(text, QStringLiteral("PAP:"),
                     {QStringLiteral("CLEAR"), QStringLiteral("GREEN"), QStringLiteral("AMBER"),
                      QStringLiteral("RED")});
}

Result<void> markCase(CaseStore &store, qint64 caseId, const QString &tlpText,
                      const QString &papText, const QString &actor)
{
    auto tlp = normaliseTlp(tlpText);
    if (!tlp)
        return tlp.error();
    auto pap = normalisePap(papText);
    if (!pap)
        return pap.error();
    if (tlp->isEmpty() && pap->isEmpty())
        return makeError(errc::kUsage, QStringLiteral("give a TLP and/or a PAP marking"));
    auto before = store.caseSummary(caseId);
    if (!before)
        return before.error();
    const QString newTlp = tlp->isEmpty() ? before->tlp : tlp.value();
    const QString newPap = pap->isEmpty() ? before->pap : pap.value();
    if (newTlp == before->tlp && newPap == before->pap)
        return {};
    return store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "UPDATE cases SET tlp = ?, pap = ?, updated_at = ?, row_version = row_version + 1 WHERE id = ?"));
        if (auto r = sql::exec(q, {newTlp, newPap, sql::nowMs(), caseId}); !r)
            return r;
        const nlohmann::json payload = {{"tlp", s(newTlp)},
                                        {"pap", s(newPap)},
                                        {"previous_tlp", s(before->tlp)},
                                        {"previous_pap", s(before->pap)}};
        auto au = audit::append(db, caseId, actor, QStringLiteral("case.marked"),
                                QString::fromStdString(payload.dump()));
        return au ? Result<void>() : Result<void>(au.error());
    });
}

Result<qint64> markIndicator(CaseStore &store, qint64 caseId, const QString &indicator,
                             const QString &tlpText, const QString &papText, const QString &actor)
{
    auto tlp = normaliseTlp(tlpText);
    if (!tlp)
        return tlp.error();
    auto pap = normalisePap(papText);
    if (!pap)
        return pap.error();
    if (tlp->isEmpty() && pap->isEmpty())
        return makeError(errc::kUsage, QStringLiteral("give a TLP and/or a PAP marking"));
    auto indicators = store.indicatorsOfCase(caseId);
    if (!indicators)
        return indicators.error();
    bool isId = false;
    const qint64 id = indicator.toLongLong(&isId);
    const CaseIndicator *found = nullptr;
    for (const CaseIndicator &i : indicators.value())
        if ((isId && i.indicatorId == id) ||
            i.value.compare(indicator.trimmed(), Qt::CaseInsensitive) == 0)
            found = &i;
    if (!found)
        return makeError(
            errc::kNotFound,
            QStringLiteral("case %1 has no indicator '%2'").arg(caseId).arg(indicator.left(200)));
    const CaseIndicator target = *found;
    const QString newTlp = tlp->isEmpty() ? target.tlp : tlp.value();
    const QString newPap = pap->isEmpty() ? target.pap : pap.value();
    auto r = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE indicators SET tlp = ?, pap = ? WHERE id = ?"));
        if (auto r = sql::exec(q, {newTlp, newPap, target.indicatorId}); !r)
            return r;
        const nlohmann::json payload = {{"indicator_id", target.indicatorId},
                                        {"type", s(target.type)},
                                        {"value", s(target.value)},
                                        {"tlp", s(newTlp)},
                                        {"pap", s(newPap)},
                                        {"previous_tlp", s(target.tlp)},
                                        {"previous_pap", s(target.pap)}};
        auto au = audit::append(db, caseId, actor, QStringLiteral("indicator.marked"),
                                QString::fromStdString(payload.dump()));
        return au ? Result<void>() : Result<void>(au.error());
    });
    if (!r)
        return r.error();
    return target.indicatorId;
}

} // namespace causa::markings
