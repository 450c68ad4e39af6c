// chain (CASE | --host NAME) [--json]: the PsExec-like lateral-movement chain, source → victim.
#include "commands.h"

#include "core/errorcodes.h"
#include "investigation/lateralchain.h"

namespace causa::cli {

int cmdChain(CliContext &ctx)
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
        return ctx.usage(QStringLiteral("chain needs CASE or --host NAME"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    Result<ChainReport> report = makeError(errc::kUsage, QString());
    if (hostGiven) {
        report = buildChainsForHost(*store.value(), host);
    } else {
        auto caseId = resolveCase(*store.value(), ctx.args().first());
        if (!caseId)
            return ctx.fail(caseId.error());
        report = buildChainsForCase(*store.value(), caseId.value());
    }
    if (!report)
        return ctx.fail(report.error());
    if (asJson)
        ctx.printJson(toJson(report.value()));
    else
        ctx.out() << toText(report.value());
    return Ok;
}

} // namespace causa::cli
