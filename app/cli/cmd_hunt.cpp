// hunt --sigma PATH... [--case ID | --host NAME] [--json]: Sigma rules over the stored events.
#include "commands.h"

#include "sigma/hunt.h"

namespace causa::cli {

namespace {

// "--sigma A B --sigma C" and "--sigma=A": every path after --sigma up to the next option.
QStringList takeRulePaths(QStringList &args, bool *flagSeen)
{
    QStringList paths;
    for (qsizetype i = 0; i < args.size();) {
        const QString a = args.at(i);
        if (a.startsWith(QLatin1String("--sigma="))) {
            *flagSeen = true;
            paths << a.mid(8);
            args.remove(i);
            continue;
        }
        if (a != QLatin1String("--sigma")) {
            ++i;
            continue;
        }
        *flagSeen = true;
        args.remove(i);
        while (i < args.size() && !args.at(i).startsWith(QLatin1String("--")))
            paths << args.takeAt(i);
    }
    return paths;
}

} // namespace

int cmdHunt(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    bool sigmaGiven = false;
    const QStringList paths = takeRulePaths(ctx.args(), &sigmaGiven);
    bool caseGiven = false, hostGiven = false;
    const QString caseRef = ctx.takeOption(QStringLiteral("--case"), &caseGiven);
    const QString host = ctx.takeOption(QStringLiteral("--host"), &hostGiven);
    for (const QString &a : ctx.args())
        return ctx.usage(a.startsWith(QLatin1String("--"))
                             ? QStringLiteral("unknown option '%1'").arg(a)
                             : QStringLiteral("unexpected argument '%1'").arg(a));
    if (!sigmaGiven || paths.isEmpty() || paths.contains(QString()))
        return ctx.usage(QStringLiteral("hunt needs --sigma PATH (rule files or folders)"));
    if ((caseGiven && caseRef.isEmpty()) || (hostGiven && host.isEmpty()))
        return ctx.usage(QStringLiteral("--case needs an ID and --host a NAME"));
    if (caseGiven && hostGiven)
        return ctx.usage(QStringLiteral("hunt takes --case or --host, not both"));
    auto rules = sigma::RuleSet::fromPaths(paths);
    if (!rules)
        return ctx.fail(rules.error());
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    sigma::HuntScope scope;
    scope.host = host;
    if (caseGiven) {
        auto caseId = resolveCase(*store.value(), caseRef);
        if (!caseId)
            return ctx.fail(caseId.error());
        scope.caseId = caseId.value();
    }
    auto report = sigma::huntStore(*store.value(), rules.value(), scope);
    if (!report)
        return ctx.fail(report.error());
    if (asJson)
        ctx.printJson(sigma::toJson(report.value()));
    else
        ctx.out() << sigma::toText(report.value());
    return Ok;
}

} // namespace causa::cli
