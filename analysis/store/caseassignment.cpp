#include "caseassignment.h"

#include "auditlog.h"
#include "casestore.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "sqlutil.h"

#include <QSqlQuery>

#include <nlohmann/json.hpp>

namespace causa {

namespace {

QString ownerText(const QString &assignee)
{
    return assignee.isEmpty() ? QStringLiteral("nobody") : assignee;
}

} // namespace

namespace caseassignment {

Result<Outcome> assign(CaseStore &store, const Request &req)
{
    const QString assignee = req.assignee.trimmed();
    const QString actor = req.actor.trimmed();
    if (actor.isEmpty())
        return makeError(errc::kUsage,
                         QStringLiteral("the analyst making the change must be named"));
    if (assignee.size() > 200 || assignee.contains(QLatin1Char('\n')) ||
        assignee.contains(QChar(0)))
        return makeError(errc::kUsage,
                         QStringLiteral("an assignee is one line of at most 200 characters"));
    Outcome out;
    auto tx = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery cur(db);
        cur.prepare(QStringLiteral("SELECT assignee, row_version FROM cases WHERE id = ?"));
        if (auto r = sql::exec(cur, {req.caseId}); !r)
            return r;
        if (!cur.next())
            return makeError(errc::kNoCase, QStringLiteral("no case with id %1").arg(req.caseId));
        out.previous = cur.value(0).toString();
        const int version = cur.value(1).toInt();
        cur.finish();
        if (req.expectedVersion && *req.expectedVersion != version)
            return makeError(
                errc::kConflict,
                QStringLiteral("case %1 was changed by someone else since you loaded it (it is now "
                               "assigned to %2); reload and try again")
                    .arg(req.caseId)
                    .arg(ownerText(out.previous)));
        if (out.previous == assignee) {
            out.changed = false;
            return {};
        }
        if (!req.force && !out.previous.isEmpty() && !assignee.isEmpty())
            return makeError(
                errc::kConflict,
                QStringLiteral("case %1 is already assigned to %2; reassigning it needs --force "
                               "(or 'Assign…' again after checking with %2)")
                    .arg(req.caseId)
                    .arg(out.previous));
        // Optimistic lock: the UPDATE only lands if nobody changed the case since the read above.
        QSqlQuery upd(db);
        upd.prepare(QStringLiteral(
            "UPDATE cases SET assignee = ?, updated_at = ?, row_version = row_version + 1 "
            "WHERE id = ? AND row_version = ?"));
        if (auto r = sql::exec(upd, {assignee, sql::nowMs(), req.caseId, version}); !r)
            return r;
        if (upd.numRowsAffected() != 1)
            return makeError(
                errc::kConflict,
                QStringLiteral("case %1 was assigned by someone else at the same moment")
                    .arg(req.caseId));
        const nlohmann::json payload{{"assignee", js::toStd(assignee)},
                                     {"previous", js::toStd(out.previous)}};
        auto entry = audit::append(db, req.caseId, actor,
                                   assignee.isEmpty() ? QStringLiteral("case.unassigned")
                                                      : QStringLiteral("case.assigned"),
                                   QString::fromStdString(payload.dump()));
        if (!entry)
            return entry.error();
        out.changed = true;
        return {};
    });
    if (!tx) {
        Error e = tx.error();
        // A lost race: name the analyst who has the case now.
        if (e.code == errc::kConflict && e.message.endsWith(QLatin1String("same moment")))
            if (auto now = store.caseSummary(req.caseId))
                e.message += QStringLiteral(" (it is now assigned to %1); reload and try again")
                                 .arg(ownerText(now->assignee));
        return e;
    }
    auto after = store.caseSummary(req.caseId);
    if (!after)
        return after.error();
    out.summary = std::move(after.value());
    return out;
}

} // namespace caseassignment
} // namespace causa
