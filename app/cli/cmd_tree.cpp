// tree (CASE | --host NAME) [--json]: the process forest of a case's endpoints or of one host.
#include "commands.h"

#include "core/errorcodes.h"
#include "forest/forestbuilder.h"

namespace causa::cli {

int cmdTree(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    bool hostGiven = false;
    const QString host = ctx.takeOption(QStringLiteral("--host"), &hostGiven);
    if (hostGiven && host.isEmpty())
        return ctx.usage(QStringLiteral("--host needs a NAME"));
    for (const QString &a : ctx.args())
        if (a.startsWith(QLatin1String("--")))
            return ctx.usage(QStringLiteral("unknown option '%1'").arg(a));
    if (hostGiven == !ctx.args().isEmpty() || ctx.args().size() > 1)
        return ctx.usage(QStringLiteral("tree needs CASE or --host NAME"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    Result<ScopedForest> forest = makeError(errc::kUsage, QString());
    if (hostGiven) {
        forest = forestForHost(*store.value(), host);
    } else {
        auto caseId = resolveCase(*store.value(), ctx.args().first());
        if (!caseId)
            return ctx.fail(caseId.error());
        forest = forestForCase(*store.value(), caseId.value());
    }
    if (!forest)
        return ctx.fail(forest.error());
    const ScopedForest &f = forest.value();
    if (asJson)
        ctx.printJson(toJson(f.forest, f.roots));
    else if (f.roots.empty())
        ctx.out() << "no processes" << Qt::endl;
    else
        ctx.out() << toText(f.forest, f.roots);
    return Ok;
}

} // namespace causa::cli
