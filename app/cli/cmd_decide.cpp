// close, reopen, checklist, propose: the analyst's own decisions on a case (SPEC §5, §11).
#include "commands.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "store/actionstore.h"

namespace causa::cli {

namespace {

// Every decision names its analyst: --by, else $USER.
QString actorOf(CliContext &ctx)
{
    const QString by = ctx.takeOption(QStringLiteral("--by"));
    return by.trimmed().isEmpty() ? defaultActor() : by.trimmed();
}

int failWith(CliContext &ctx, const Error &e)
{
    return ctx.fail(e, e.code == errc::kUsage ? Usage : BadInput);
}

} // namespace

int cmdClose(CliContext &ctx)
{
    const QString resolution = ctx.takeOption(QStringLiteral("--resolution"));
    const QString note = ctx.takeOption(QStringLiteral("--note"));
    const QString actor = actorOf(ctx);
    if (ctx.args().size() != 1)
        return ctx.usage(
            QStringLiteral("close needs exactly one CASE, --resolution (%1) and --note TEXT")
                .arg(PlaybookEngine::resolutions().join(QLatin1Char('|'))));
    if (resolution.isEmpty() || note.trimmed().isEmpty())
        return ctx.usage(QStringLiteral("close needs --resolution (%1) and --note TEXT")
                             .arg(PlaybookEngine::resolutions().join(QLatin1Char('|'))));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto engine = makeEngine(ctx, *store.value());
    if (!engine)
        return ctx.fail(engine.error(), Failure);
    auto caseId = resolveCase(*store.value(), ctx.args().first());
    if (!caseId)
        return ctx.fail(caseId.error());
    if (auto r = engine.value()->closeCase(caseId.value(), resolution, note, actor); !r)
        return failWith(ctx, r.error());
    ctx.out() << "case " << caseId.value() << " closed as " << resolution << " by " << actor
              << Qt::endl;
    return Ok;
}

int cmdReopen(CliContext &ctx)
{
    const QString note = ctx.takeOption(QStringLiteral("--note"));
    const QString actor = actorOf(ctx);
    if (ctx.args().size() != 1 || note.trimmed().isEmpty())
        return ctx.usage(QStringLiteral("reopen needs exactly one CASE and --note REASON"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto engine = makeEngine(ctx, *store.value());
    if (!engine)
        return ctx.fail(engine.error(), Failure);
    auto caseId = resolveCase(*store.value(), ctx.args().first());
    if (!caseId)
        return ctx.fail(caseId.error());
    if (auto r = engine.value()->reopenCase(caseId.value(), note, actor); !r)
        return failWith(ctx, r.error());
    ctx.out() << "case " << caseId.value() << " reopened by " << actor << Qt::endl;
    return Ok;
}

// checklist CASE [--json] | checklist CASE --tick N|--untick N [--note T] [--by NAME]
int cmdChecklist(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    bool ticking = false, unticking = false;
    const QString tick = ctx.takeOption(QStringLiteral("--tick"), &ticking);
    const QString untick = ctx.takeOption(QStringLiteral("--untick"), &unticking);
    const QString note = ctx.takeOption(QStringLiteral("--note"));
    const QString actor = actorOf(ctx);
    if (ctx.args().size() != 1 || (ticking && unticking))
        return ctx.usage(QStringLiteral(
            "checklist needs exactly one CASE, and at most one of --tick N / --untick N"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto engine = makeEngine(ctx, *store.value());
    if (!engine)
        return ctx.fail(engine.error(), Failure);
    auto caseId = resolveCase(*store.value(), ctx.args().first());
    if (!caseId)
        return ctx.fail(caseId.error());
    PlaybookEngine &e = *engine.value();
    auto run = e.latestRun(caseId.value());
    if (!run)
        return ctx.fail(run.error(), Failure);
    if (!run->has_value())
        return ctx.fail(makeError(
            errc::kNotRun, QStringLiteral("case %1 has no playbook run").arg(caseId.value())));
    const qint64 runId = run->value().id;
    if (ticking || unticking) {
        bool ok = false;
        const int n = (ticking ? tick : untick).toInt(&ok);
        if (!ok || n < 1)
            return ctx.usage(QStringLiteral("--tick/--untick take an item number from 1"));
        if (auto r = e.tickChecklist(runId, n - 1, ticking, note, actor); !r)
            return failWith(ctx, r.error());
    }
    auto v = e.view(runId);
    if (!v)
        return ctx.fail(v.error(), Failure);
    nlohmann::json items = nlohmann::json::array();
    for (const StageStateRecord &st : v->stages)
        for (const nlohmann::json &c : st.outputs.value("checklist", nlohmann::json::array()))
            items.push_back(c);
    if (asJson) {
        ctx.printJson(items);
        return Ok;
    }
    if (items.empty())
        ctx.out() << "no checklist yet: the remediation stage has not run" << Qt::endl;
    int n = 0;
    for (const nlohmann::json &c : items) {
        const bool done = c.is_object() && c.value("done", false);
        ctx.out() << QStringLiteral("%1. [%2] %3")
                         .arg(++n)
                         .arg(done ? QLatin1Char('x') : QLatin1Char(' '))
                         .arg(c.is_object() ? js::str(c, "item")
                                            : QString::fromStdString(c.dump()));
        if (c.is_object() && c.contains("by"))
            ctx.out() << QStringLiteral("  (%1 by %2%3)")
                             .arg(done ? QStringLiteral("ticked") : QStringLiteral("unticked"),
                                  js::str(c, "by"),
                                  js::str(c, "note").isEmpty()
                                      ? QString()
                                      : QStringLiteral(": ") + js::str(c, "note"));
        ctx.out() << Qt::endl;
    }
    return Ok;
}

// propose CASE --kind KIND --target VALUE --reason TEXT [--by NAME] [--json]
int cmdPropose(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    const QString kind = ctx.takeOption(QStringLiteral("--kind"));
    const QString target = ctx.takeOption(QStringLiteral("--target"));
    const QString reason = ctx.takeOption(QStringLiteral("--reason"));
    const QString actor = actorOf(ctx);
    if (ctx.args().size() != 1 || kind.isEmpty() || target.isEmpty() || reason.trimmed().isEmpty())
        return ctx.usage(
            QStringLiteral("propose needs CASE --kind (block_hash|block_ip|block_url|block_domain|"
                           "disable_user|isolate_endpoint) --target VALUE --reason TEXT"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto engine = makeEngine(ctx, *store.value());
    if (!engine)
        return ctx.fail(engine.error(), Failure);
    auto caseId = resolveCase(*store.value(), ctx.args().first());
    if (!caseId)
        return ctx.fail(caseId.error());
    auto a = engine.value()->proposeAction(caseId.value(), kind, target, reason, actor);
    if (!a)
        return failWith(ctx, a.error());
    if (asJson)
        ctx.printJson(toJson(a.value()));
    else
        ctx.out() << "action " << a->id << " (" << a->kind << ' ' << a->target << ") is "
                  << toText(a->state) << Qt::endl;
    return Ok;
}

} // namespace causa::cli
