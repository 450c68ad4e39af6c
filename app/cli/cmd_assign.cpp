// assign, unassign: who works a case (SPEC §14), with optimistic locking.
#include "commands.h"

#include "core/errorcodes.h"
#include "store/caseassignment.h"
#include "store/storejson.h"

namespace causa::cli {

namespace {

int assignCommand(CliContext &ctx, bool unassign)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    const bool force = ctx.takeFlag(QStringLiteral("--force"));
    QString by = ctx.takeOption(QStringLiteral("--by"));
    bool hasVersion = false;
    const QString versionText = ctx.takeOption(QStringLiteral("--if-version"), &hasVersion);
    const int wanted = unassign ? 1 : 2;
    if (ctx.args().size() != wanted || ctx.args().first().startsWith(QLatin1String("--")) ||
        (!unassign && ctx.args().at(1).startsWith(QLatin1String("--"))))
        return ctx.usage(unassign ? QStringLiteral("unassign needs exactly one CASE")
                                  : QStringLiteral("assign needs a CASE and a USER"));
    caseassignment::Request req;
    if (hasVersion) {
        bool ok = false;
        req.expectedVersion = versionText.toInt(&ok);
        if (!ok || *req.expectedVersion <= 0)
            return ctx.usage(
                QStringLiteral("--if-version needs the case's row_version (see 'show --json')"));
    }
    if (!unassign && ctx.args().at(1).trimmed().isEmpty())
        return ctx.usage(QStringLiteral("assign needs a non-empty USER (use 'unassign' to clear)"));
    if (by.trimmed().isEmpty())
        by = qEnvironmentVariable("USER", QStringLiteral("cli"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto caseId = resolveCase(*store.value(), ctx.args().first());
    if (!caseId)
        return ctx.fail(caseId.error());
    req.caseId = caseId.value();
    req.assignee = unassign ? QString() : ctx.args().at(1);
    req.actor = by;
    // Unassigning someone else's case is a deliberate act, like reassigning it.
    req.force = force || unassign;
    auto r = caseassignment::assign(*store.value(), req);
    if (!r)
        return ctx.fail(r.error(), r.error().code == errc::kUsage ? Usage : BadInput);
    if (asJson) {
        nlohmann::json j = toJson(r->summary);
        j["previous_assignee"] = r->previous.toStdString();
        j["changed"] = r->changed;
        ctx.printJson(j);
    } else if (!r->changed) {
        ctx.out() << "case " << req.caseId << " is already "
                  << (r->summary.assignee.isEmpty()
                          ? QStringLiteral("unassigned")
                          : QStringLiteral("assigned to ") + r->summary.assignee)
                  << Qt::endl;
    } else {
        ctx.out() << "case " << req.caseId << ' '
                  << (unassign ? QStringLiteral("unassigned")
                               : QStringLiteral("assigned to ") + r->summary.assignee)
                  << " (was: " << (r->previous.isEmpty() ? QStringLiteral("-") : r->previous) << ")"
                  << Qt::endl;
    }
    return Ok;
}

} // namespace

int cmdAssign(CliContext &ctx)
{
    return assignCommand(ctx, false);
}

int cmdUnassign(CliContext &ctx)
{
    return assignCommand(ctx, true);
}

} // namespace causa::cli
