// run, actions, approve, reject: the playbook engine and response actions (SPEC §5, §9, §11).
#include "commands.h"

#include "core/errorcodes.h"
#include "playbook/workbenchsettings.h"

#include "connectors/exportconnector.h"
#include "connectors/xdrconnector.h"
#include "core/jsonutil.h"
#include "playbook/playbookengine.h"
#include "store/actionstore.h"

#include <QStandardPaths>

namespace causa::cli {

namespace {

const QString kPlaybook = QStringLiteral("remote-psexec-lolbin");

} // namespace

QString defaultActor()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("cli") : user;
}

namespace {

QString approvalsText(const ActionRecord &a)
{
    QStringList parts;
    for (const ApprovalRecord &ap : a.approvals)
        parts << QStringLiteral("%1 %2%3").arg(
            ap.decision, ap.approver,
            ap.note.isEmpty() ? QString() : QStringLiteral(" (\"%1\")").arg(ap.note));
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QStringLiteral("; "));
}

void printAction(CliContext &ctx, const ActionRecord &a)
{
    ctx.out() << "  #" << a.id << "  " << a.kind << "  " << a.target << "  [" << toText(a.state)
              << "]";
    if (a.requiredApprovals > 1)
        ctx.out() << "  needs " << a.requiredApprovals << " approvers";
    ctx.out() << "\n      why: " << a.rationale << "\n      approvals: " << approvalsText(a);
    if (!a.result.is_null())
        ctx.out() << "\n      result: " << QString::fromStdString(a.result.dump());
    ctx.out() << Qt::endl;
}

void printView(CliContext &ctx, const PlaybookDefinition &def, const RunView &v)
{
    ctx.out() << "Playbook " << def.title << " - run " << v.run.id << " on case " << v.run.caseId
              << " [" << toText(v.run.state) << "]" << Qt::endl;
    for (size_t i = 0; i < v.stages.size(); ++i) {
        const StageStateRecord &st = v.stages[i];
        const StageDefinition &sd = def.stages[i];
        ctx.out() << QStringLiteral("  %1  %2  %3")
                         .arg(sd.number, -3)
                         .arg(sd.title, -34)
                         .arg(toText(st.state), -18);
        if (!st.reason.isEmpty())
            ctx.out() << "  " << st.reason.left(160);
        ctx.out() << Qt::endl;
        if (sd.executor == QLatin1String("verdict") && st.state == StageState::Completed)
            ctx.out() << "       verdict: " << js::str(st.outputs, "verdict") << Qt::endl;
        if (sd.executor == QLatin1String("remediation") &&
            !st.outputs.value("checklist", nlohmann::json::array()).empty()) {
            ctx.out() << "       manual checklist:" << Qt::endl;
            for (const auto &c : st.outputs["checklist"]) {
                const bool done = c.is_object() && c.value("done", false);
                ctx.out() << "         [" << (done ? 'x' : ' ') << "] "
                          << (c.is_object()   ? js::str(c, "item")
                              : c.is_string() ? QString::fromStdString(c.get<std::string>())
                                              : QString())
                          << (c.is_object() && c.contains("by")
                                  ? QStringLiteral("  (%1)").arg(js::str(c, "by"))
                                  : QString())
                          << Qt::endl;
            }
        }
    }
    if (!v.actions.empty()) {
        ctx.out() << "Actions:" << Qt::endl;
        for (const ActionRecord &a : v.actions)
            printAction(ctx, a);
    }
    if (!v.waitingFor.isEmpty())
        ctx.out() << "Waiting: " << v.waitingFor << Qt::endl;
    else if (!v.nextStage.isEmpty())
        ctx.out() << "Next stage: " << v.nextStage << Qt::endl;
}

Result<qint64> parseActionId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0)
        return makeError(errc::kUsage, QStringLiteral("'%1' is not an action id").arg(text));
    return id;
}

} // namespace

// Builds the engine with the connector chosen by --connector / CAUSA_CONNECTOR (export by
// default). Export is always the fallback for kinds the primary connector cannot carry out.
Result<std::unique_ptr<PlaybookEngine>> makeEngine(CliContext &ctx, CaseStore &store)
{
    QString connector = ctx.takeOption(QStringLiteral("--connector"));
    // --connector, then CAUSA_CONNECTOR, then the store's settings (Settings → Response).
    auto team = WorkbenchSettings::load(store);
    if (!team)
        return team.error();
    if (connector.isEmpty())
        connector = qEnvironmentVariable("CAUSA_CONNECTOR", team->connector);
    const QString xdrUrl = ctx.takeOption(QStringLiteral("--xdr-url"));
    const bool advanced = ctx.takeFlag(QStringLiteral("--xdr-advanced-key"));
    QString exportDir = ctx.takeOption(QStringLiteral("--export-dir"));
    if (exportDir.isEmpty())
        exportDir = qEnvironmentVariable("CAUSA_EXPORT_DIR");
    if (exportDir.isEmpty())
        exportDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                    QStringLiteral("/exports");

    auto def = PlaybookDefinition::load(kPlaybook);
    if (!def)
        return def.error();
    // Stages 4b/4c ask a Cortex XDR tenant when one is configured (--tenant or the default).
    StageServiceOptions services;
    services.tenant = ctx.takeOption(QStringLiteral("--tenant"));
    services.useTenant = !ctx.takeFlag(QStringLiteral("--local"));
    auto engine =
        std::make_unique<PlaybookEngine>(store, def.value(), composeStageServices(store, services));
    engine->setInputDefaults(team->playbookAssignments());
    auto key = ExportConnector::localKey();
    if (!key)
        return key.error();
    auto exporter = std::make_shared<ExportConnector>(exportDir, key.value());
    if (connector == QLatin1String("xdr")) {
        XdrConnectorSettings s = XdrConnectorSettings::fromEnvironment();
        if (!xdrUrl.isEmpty())
            s.baseUrl = QUrl(xdrUrl);
        s.advancedKey |= advanced;
        const QString timeout = qEnvironmentVariable("CAUSA_XDR_TIMEOUT_MS");
        if (!timeout.isEmpty())
            s.timeoutMs = timeout.toInt();
        const QString polls = qEnvironmentVariable("CAUSA_XDR_STATUS_POLLS");
        if (!polls.isEmpty())
            s.statusPolls = polls.toInt();
        const QString interval = qEnvironmentVariable("CAUSA_XDR_POLL_INTERVAL_MS");
        if (!interval.isEmpty())
            s.pollIntervalMs = interval.toInt();
        engine->setConnectors(std::make_shared<XdrConnector>(s), exporter);
    } else if (connector == QLatin1String("export")) {
        engine->setConnectors(exporter);
    } else {
        return makeError(errc::kUsage,
                         QStringLiteral("unknown connector '%1' (export or xdr)").arg(connector));
    }
    return engine;
}

int cmdRun(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    const bool stepOnly = ctx.takeFlag(QStringLiteral("--step"));
    const bool autoRemediation = ctx.takeFlag(QStringLiteral("--auto-remediation"));
    QString actor = ctx.takeOption(QStringLiteral("--by"));
    if (actor.isEmpty())
        actor = defaultActor();
    QStringList inputs;
    for (bool present = true; present;) {
        const QString v = ctx.takeOption(QStringLiteral("--input"), &present);
        if (present)
            inputs << v;
    }
    if (autoRemediation)
        inputs << QStringLiteral("AutoRemediation=true");
    const QString skip = ctx.takeOption(QStringLiteral("--skip"));
    const QString rerun = ctx.takeOption(QStringLiteral("--rerun"));
    const QString overrideSpec = ctx.takeOption(QStringLiteral("--override"));
    const QString reason = ctx.takeOption(QStringLiteral("--reason"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto engine = makeEngine(ctx, *store.value());
    if (!engine)
        return ctx.fail(engine.error(), engine.error().code == errc::kUsage ? Usage : Failure);
    if (ctx.args().size() != 1 || ctx.args().first().startsWith(QLatin1String("--")))
        return ctx.usage(QStringLiteral("run needs exactly one CASE (and knows no '%1')")
                             .arg(ctx.args().join(QLatin1Char(' '))));
    auto caseId = resolveCase(*store.value(), ctx.args().first());
    if (!caseId)
        return ctx.fail(caseId.error());
    PlaybookEngine &e = *engine.value();
    auto run = e.resumeOrStart(caseId.value(), inputs, actor);
    if (!run)
        return ctx.fail(run.error());
    const qint64 runId = run->id;
    if (!skip.isEmpty()) {
        if (auto r = e.skipStage(runId, skip, reason, actor); !r)
            return ctx.fail(r.error());
    } else if (!overrideSpec.isEmpty()) {
        // STAGE.KEY=VALUE; VALUE is JSON when it parses, else a string.
        const qsizetype dot = overrideSpec.indexOf(QLatin1Char('.'));
        const qsizetype eq = overrideSpec.indexOf(QLatin1Char('='));
        if (dot <= 0 || eq <= dot + 1)
            return ctx.usage(QStringLiteral("--override needs STAGE.KEY=VALUE"));
        const std::string raw = js::toStd(overrideSpec.mid(eq + 1));
        nlohmann::json value = nlohmann::json::parse(raw, nullptr, false);
        if (value.is_discarded())
            value = raw;
        if (auto r =
                e.overrideOutput(runId, overrideSpec.left(dot),
                                 overrideSpec.mid(dot + 1, eq - dot - 1), value, reason, actor);
            !r)
            return ctx.fail(r.error());
    } else if (!rerun.isEmpty()) {
        if (auto r = e.runStage(runId, rerun, actor); !r)
            return ctx.fail(r.error());
    } else if (stepOnly) {
        if (auto r = e.step(runId, actor); !r)
            return ctx.fail(r.error());
    } else if (auto r = e.runAll(runId, actor); !r) {
        return ctx.fail(r.error());
    }
    auto v = e.view(runId);
    if (!v)
        return ctx.fail(v.error());
    if (asJson)
        ctx.printJson(toJson(v.value()));
    else
        printView(ctx, e.definition(), v.value());
    return Ok;
}

int cmdActions(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    const bool preview = ctx.takeFlag(QStringLiteral("--preview"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto engine = makeEngine(ctx, *store.value());
    if (!engine)
        return ctx.fail(engine.error(), engine.error().code == errc::kUsage ? Usage : Failure);
    if (ctx.args().size() != 1)
        return ctx.usage(QStringLiteral("actions needs exactly one CASE"));
    auto caseId = resolveCase(*store.value(), ctx.args().first());
    if (!caseId)
        return ctx.fail(caseId.error());
    auto list = actionstore::actionsOfCase(*store.value(), caseId.value());
    if (!list)
        return ctx.fail(list.error(), Failure);
    if (asJson) {
        nlohmann::json out = nlohmann::json::array();
        for (const ActionRecord &a : list.value()) {
            nlohmann::json j = toJson(a);
            if (preview) {
                auto p = engine.value()->preview(a.id);
                j["preview"] =
                    p ? p.value() : nlohmann::json{{"error", js::toStd(p.error().message)}};
            }
            out.push_back(j);
        }
        ctx.printJson(out);
        return Ok;
    }
    if (list->empty())
        ctx.out() << "no actions for case " << caseId.value() << Qt::endl;
    for (const ActionRecord &a : list.value()) {
        printAction(ctx, a);
        if (preview) {
            auto p = engine.value()->preview(a.id);
            ctx.out() << "      dry run: "
                      << (p ? QString::fromStdString(p->dump())
                            : QStringLiteral("(%1)").arg(p.error().message))
                      << Qt::endl;
        }
    }
    return Ok;
}

static int decideCommand(CliContext &ctx, bool approve)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    const QString by = ctx.takeOption(QStringLiteral("--by"));
    bool hasNote = false;
    const QString note = ctx.takeOption(QStringLiteral("--note"), &hasNote);
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto engine = makeEngine(ctx, *store.value());
    if (!engine)
        return ctx.fail(engine.error(), engine.error().code == errc::kUsage ? Usage : Failure);
    if (ctx.args().size() != 1)
        return ctx.usage(QStringLiteral("%1 needs exactly one action ID")
                             .arg(approve ? QStringLiteral("approve") : QStringLiteral("reject")));
    if (by.trimmed().isEmpty())
        return ctx.usage(QStringLiteral("--by NAME is required: every decision names its analyst"));
    if (!approve && note.trimmed().isEmpty())
        return ctx.usage(QStringLiteral("reject needs --note with the reason"));
    auto id = parseActionId(ctx.args().first());
    if (!id)
        return ctx.usage(id.error().message);
    auto a = engine.value()->decide(id.value(), by, approve, note);
    if (!a)
        return ctx.fail(a.error());
    if (asJson)
        ctx.printJson(toJson(a.value()));
    else
        printAction(ctx, a.value());
    if (a->state == ActionState::Failed)
        return Failure;
    return Ok;
}

int cmdApprove(CliContext &ctx)
{
    return decideCommand(ctx, true);
}

int cmdReject(CliContext &ctx)
{
    return decideCommand(ctx, false);
}

} // namespace causa::cli
