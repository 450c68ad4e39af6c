// pattern, allow, mark: the analyst's versioned custom patterns and allowlist entries (SPEC §6),
// and the TLP/PAP markings of cases and indicators (SPEC §3, §8, §10).
#include "commands.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "store/markingstore.h"
#include "store/patternstore.h"

namespace causa::cli {

namespace {

nlohmann::json patternJson(const StoredPattern &p)
{
    return {{"id", p.id},
            {"kind", js::toStd(p.rule.kind)},
            {"name", js::toStd(p.rule.name)},
            {"pattern", js::toStd(p.rule.pattern)},
            {"category", js::toStd(p.rule.category)},
            {"weight", p.rule.weight},
            {"version", p.rule.version},
            {"active", p.active},
            {"created_by", js::toStd(p.createdBy)},
            {"created_at", p.createdAt}};
}

int listRules(CliContext &ctx, const CaseStore &store, const QString &kind, bool all, bool asJson)
{
    auto list = patternstore::list(store, !all);
    if (!list)
        return ctx.fail(list.error(), Failure);
    nlohmann::json out = nlohmann::json::array();
    for (const StoredPattern &p : list.value()) {
        if (p.rule.kind != kind)
            continue;
        if (asJson) {
            out.push_back(patternJson(p));
            continue;
        }
        ctx.out() << QStringLiteral("%1 v%2%3  %4")
                         .arg(p.rule.name)
                         .arg(p.rule.version)
                         .arg(p.active ? QString() : QStringLiteral(" (retired)"), p.rule.pattern);
        if (kind == QLatin1String("pattern"))
            ctx.out()
                << QStringLiteral("  [%1, weight %2]").arg(p.rule.category).arg(p.rule.weight);
        ctx.out() << QStringLiteral("  by %1").arg(p.createdBy.isEmpty() ? QStringLiteral("-")
                                                                         : p.createdBy)
                  << Qt::endl;
    }
    if (asJson)
        ctx.printJson(out);
    return Ok;
}

// pattern add NAME --match TEXT [--category C] [--weight N] | pattern list [--all] | pattern disable NAME
// allow   add NAME --match TEXT | allow list [--all] | allow remove NAME
int ruleCommand(CliContext &ctx, const QString &kind, const QString &retireVerb)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    const bool all = ctx.takeFlag(QStringLiteral("--all"));
    const QString match = ctx.takeOption(QStringLiteral("--match"));
    const QString category = ctx.takeOption(QStringLiteral("--category"));
    bool hasWeight = false;
    const QString weightText = ctx.takeOption(QStringLiteral("--weight"), &hasWeight);
    QString by = ctx.takeOption(QStringLiteral("--by"));
    if (by.trimmed().isEmpty())
        by = defaultActor();
    const QString cmd =
        kind == QLatin1String("pattern") ? QStringLiteral("pattern") : QStringLiteral("allow");
    const QString help =
        QStringLiteral("%1 add NAME --match TEXT%2 | %1 list [--all] [--json] | %1 %3 NAME")
            .arg(cmd,
                 kind == QLatin1String("pattern")
                     ? QStringLiteral(" [--category C] [--weight 0-100]")
                     : QString(),
                 retireVerb);
    if (ctx.args().isEmpty())
        return ctx.usage(help);
    const QString verb = ctx.args().takeFirst();
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    if (verb == QLatin1String("list") && ctx.args().isEmpty())
        return listRules(ctx, *store.value(), kind, all, asJson);
    if (ctx.args().size() != 1)
        return ctx.usage(help);
    const QString name = ctx.args().first();
    if (verb == QLatin1String("add")) {
        if (match.trimmed().isEmpty())
            return ctx.usage(help);
        CustomRule rule;
        rule.kind = kind;
        rule.name = name;
        rule.pattern = match;
        rule.category = category.isEmpty() && kind == QLatin1String("pattern")
                            ? QStringLiteral("suspicious_parameters")
                            : category;
        bool ok = true;
        rule.weight =
            hasWeight ? weightText.toInt(&ok) : (kind == QLatin1String("pattern") ? 40 : 0);
        if (!ok)
            return ctx.usage(QStringLiteral("--weight takes a number 0-100"));
        auto saved = patternstore::save(*store.value(), rule, by);
        if (!saved)
            return ctx.fail(saved.error());
        if (asJson)
            ctx.printJson(patternJson(saved.value()));
        else
            ctx.out() << kind << ' ' << name << " v" << saved->rule.version << " saved" << Qt::endl;
        return Ok;
    }
    if (verb == retireVerb) {
        auto list = patternstore::list(*store.value(), true);
        if (!list)
            return ctx.fail(list.error(), Failure);
        const bool known = std::any_of(list->begin(), list->end(), [&](const StoredPattern &p) {
            return p.rule.kind == kind && p.rule.name == name;
        });
        if (!known)
            return ctx.fail(makeError(errc::kNotFound,
                                      QStringLiteral("no active %1 named '%2'").arg(kind, name)));
        if (auto r = patternstore::retire(*store.value(), kind, name); !r)
            return ctx.fail(r.error(), Failure);
        ctx.out() << kind << ' ' << name << " retired (its versions stay in the history)"
                  << Qt::endl;
        return Ok;
    }
    return ctx.usage(help);
}

} // namespace

int cmdPattern(CliContext &ctx)
{
    return ruleCommand(ctx, QStringLiteral("pattern"), QStringLiteral("disable"));
}

int cmdAllow(CliContext &ctx)
{
    return ruleCommand(ctx, QStringLiteral("allowlist"), QStringLiteral("remove"));
}

// mark CASE [--tlp LEVEL] [--pap LEVEL] [--indicator ID|VALUE] [--by NAME]
int cmdMark(CliContext &ctx)
{
    const QString tlp = ctx.takeOption(QStringLiteral("--tlp"));
    const QString pap = ctx.takeOption(QStringLiteral("--pap"));
    const QString indicator = ctx.takeOption(QStringLiteral("--indicator"));
    QString by = ctx.takeOption(QStringLiteral("--by"));
    if (by.trimmed().isEmpty())
        by = defaultActor();
    if (ctx.args().size() != 1 || (tlp.isEmpty() && pap.isEmpty()))
        return ctx.usage(QStringLiteral(
            "mark needs CASE and --tlp LEVEL and/or --pap LEVEL (optionally --indicator ID|VALUE)"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto caseId = resolveCase(*store.value(), ctx.args().first());
    if (!caseId)
        return ctx.fail(caseId.error());
    if (!indicator.isEmpty()) {
        auto id = markings::markIndicator(*store.value(), caseId.value(), indicator, tlp, pap, by);
        if (!id)
            return ctx.fail(id.error(), id.error().code == errc::kUsage ? Usage : BadInput);
        ctx.out() << "indicator " << id.value() << " of case " << caseId.value() << " marked"
                  << Qt::endl;
        return Ok;
    }
    if (auto r = markings::markCase(*store.value(), caseId.value(), tlp, pap, by); !r)
        return ctx.fail(r.error(), r.error().code == errc::kUsage ? Usage : BadInput);
    auto c = store.value()->caseSummary(caseId.value());
    if (!c)
        return ctx.fail(c.error(), Failure);
    ctx.out() << "case " << caseId.value() << " marked TLP:" << c->tlp << " PAP:" << c->pap
              << Qt::endl;
    return Ok;
}

} // namespace causa::cli
