// tenant / pull / secret: live Cortex XDR tenants and the keys they need (SPEC §4.4).
#include "commands.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "secrets/secretstore.h"
#include "store/tenantstore.h"
#include "xdr/tenantpins.h"
#include "xdr/xdrpull.h"
#include "xdr/xdrtenants.h"

#include <QDateTime>
#include <QFile>

#include <cstdio>

namespace causa::cli {

namespace {

using nlohmann::json;

// Reads one line from stdin: keys never go on the command line (ps shows argv to every user).
QString readKeyFromStdin()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(in.readLine(64 * 1024)).trimmed();
}

// "2h", "30m", "90s", "1d" or milliseconds.
qint64 parseDuration(const QString &text, bool *ok)
{
    *ok = false;
    QString t = text.trimmed().toLower();
    qint64 unit = 1;
    if (t.endsWith(QLatin1Char('d')))
        unit = 86400000;
    else if (t.endsWith(QLatin1Char('h')))
        unit = 3600000;
    else if (t.endsWith(QLatin1Char('m')))
        unit = 60000;
    else if (t.endsWith(QLatin1Char('s')))
        unit = 1000;
    if (unit != 1)
        t.chop(1);
    const qint64 v = t.toLongLong(ok);
    return *ok && v >= 0 ? v * unit : (*ok = false, 0);
}

json profileJson(const TenantProfile &p, const QString &defaultName)
{
    auto key = secrets::read(p.secretName());
    return {{"name", js::toStd(p.name)},
            {"api_url", js::toStd(p.apiUrl)},
            {"key_id", js::toStd(p.keyId)},
            {"key_type", p.advancedKey ? "advanced" : "standard"},
            {"key_stored", key && !key->isEmpty()},
            {"ca_file", js::toStd(p.caFile)},
            {"allow_self_signed", p.allowSelfSigned},
            {"timeout_ms", p.timeoutMs},
            {"default", p.name == defaultName}};
}

// The client for --tenant NAME (or the default / only tenant).
Result<std::pair<TenantProfile, XdrEndpoint>> resolveTenant(CaseStore &store, QString name)
{
    if (name.isEmpty()) {
        auto active = tenantstore::activeTenant(store);
        if (!active)
            return active.error();
        if (active->isEmpty())
            return makeError(
                errc::kXdrNoTenant,
                QStringLiteral("no tenant given and no default tenant; use --tenant NAME "
                               "(see 'causa-cli tenant list')"));
        name = active.value();
    }
    auto profile = tenantstore::get(store, name);
    if (!profile)
        return profile.error();
    auto endpoint = xdrtenants::endpoint(store, profile.value());
    if (!endpoint)
        return endpoint.error();
    return std::make_pair(profile.value(), endpoint.value());
}

XdrClientOptions cliClientOptions(CliContext &ctx)
{
    XdrClientOptions o;
    QTextStream *err = &ctx.err();
    o.status = [err](const QString &s) { *err << "  " << s << Qt::endl; };
    return o;
}

int exitFor(const Error &e)
{
    // Bad replies and import errors are bad input; the network and the tenant are failures.
    return e.code.startsWith(QLatin1String("xdr-")) && e.code != errc::kXdrBadReply ? Failure
                                                                                    : BadInput;
}

int tenantAdd(CliContext &ctx, bool replace)
{
    // Options given on the command line; for 'edit' the rest comes from the stored profile.
    bool hasUrl = false, hasKeyId = false, hasType = false, hasCa = false, hasTimeout = false;
    const QString url = ctx.takeOption(QStringLiteral("--url"), &hasUrl);
    const QString keyId = ctx.takeOption(QStringLiteral("--key-id"), &hasKeyId);
    QString type = ctx.takeOption(QStringLiteral("--key-type"), &hasType);
    if (ctx.takeFlag(QStringLiteral("--advanced"))) {
        hasType = true;
        type = QStringLiteral("advanced");
    }
    if (hasType && type != QLatin1String("advanced") && type != QLatin1String("standard"))
        return ctx.usage(QStringLiteral("--key-type is standard or advanced"));
    const QString caFile = ctx.takeOption(QStringLiteral("--ca-file"), &hasCa);
    const bool selfSigned = ctx.takeFlag(QStringLiteral("--allow-self-signed"));
    const bool verify = ctx.takeFlag(QStringLiteral("--verify-tls"));
    const QString timeout = ctx.takeOption(QStringLiteral("--timeout"), &hasTimeout);
    int timeoutMs = 30000;
    if (hasTimeout) {
        bool ok = false;
        const bool hasUnit = !timeout.isEmpty() && timeout.back().isLetter();
        timeoutMs = int(parseDuration(hasUnit ? timeout : timeout + QLatin1Char('s'), &ok));
        if (!ok)
            return ctx.usage(QStringLiteral("--timeout takes seconds (e.g. 30 or 30s)"));
    }
    const bool keyStdin = ctx.takeFlag(QStringLiteral("--key-stdin"));
    const QString keyEnv = ctx.takeOption(QStringLiteral("--key-env"));
    const bool makeDefault = ctx.takeFlag(QStringLiteral("--default"));
    if (ctx.args().size() != 1 || ctx.args().first().startsWith(QLatin1String("--")))
        return ctx.usage(
            QStringLiteral("tenant add NAME --url URL --key-id ID [--key-type standard|advanced] "
                           "(--key-stdin | --key-env VAR) [--ca-file PEM] [--allow-self-signed] "
                           "[--timeout SEC] [--default]"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    TenantProfile p;
    p.name = ctx.args().first();
    auto existing = tenantstore::get(*store.value(), p.name);
    if (!replace && existing)
        return ctx.fail(makeError(
            errc::kExists,
            QStringLiteral("tenant '%1' exists; use 'tenant edit' to change it").arg(p.name)));
    if (replace && !existing)
        return ctx.fail(existing.error());
    if (replace)
        p = existing.value();
    if (hasUrl)
        p.apiUrl = url;
    if (hasKeyId)
        p.keyId = keyId;
    if (hasType)
        p.advancedKey = type == QLatin1String("advanced");
    if (hasCa)
        p.caFile = caFile;
    if (selfSigned)
        p.allowSelfSigned = true;
    if (verify)
        p.allowSelfSigned = false;
    if (hasTimeout || !replace)
        p.timeoutMs = timeoutMs;
    if (const QString why = p.validate(); !why.isEmpty())
        return ctx.usage(why);
    QString key;
    if (keyStdin)
        key = readKeyFromStdin();
    else if (!keyEnv.isEmpty())
        key = qEnvironmentVariable(keyEnv.toUtf8().constData()).trimmed();
    if (key.isEmpty() && !replace)
        return ctx.usage(QStringLiteral(
            "give the API key with --key-stdin (first line of stdin) or --key-env VAR"));
    if (!key.isEmpty())
        if (auto r = secrets::write(p.secretName(), key); !r)
            return ctx.fail(r.error(), Failure);
    if (auto r = xdrtenants::save(*store.value(), p); !r)
        return ctx.fail(r.error());
    if (makeDefault)
        if (auto r = tenantstore::setDefaultTenant(*store.value(), p.name); !r)
            return ctx.fail(r.error());
    ctx.out() << "tenant " << p.name << (replace ? " updated" : " added") << "; key in "
              << secrets::backendDescription() << Qt::endl;
    return Ok;
}

} // namespace

int cmdTenant(CliContext &ctx)
{
    if (ctx.args().isEmpty())
        return ctx.usage(QStringLiteral("tenant add|edit|list|test|confirm|remove|default"));
    const QString sub = ctx.args().takeFirst();
    if (sub == QLatin1String("add") || sub == QLatin1String("edit"))
        return tenantAdd(ctx, sub == QLatin1String("edit"));
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    if (sub == QLatin1String("list")) {
        auto all = tenantstore::list(*store.value());
        if (!all)
            return ctx.fail(all.error(), Failure);
        const QString def = [&] {
            auto d = tenantstore::defaultTenant(*store.value());
            return d ? d.value() : QString();
        }();
        json list = json::array();
        for (const TenantProfile &p : all.value()) {
            json t = profileJson(p, def);
            t["confirmed_by_you"] =
                bool(tenantpins::check(tenantstore::storeId(*store.value()), p));
            list.push_back(std::move(t));
        }
        if (asJson) {
            ctx.printJson(list);
        } else {
            if (list.empty())
                ctx.out() << "no tenants (add one with 'causa-cli tenant add')" << Qt::endl;
            for (const json &t : list)
                ctx.out() << (t["default"].get<bool>() ? "* " : "  ")
                          << QString::fromStdString(t["name"]) << "  "
                          << QString::fromStdString(t["api_url"]) << "  key id "
                          << QString::fromStdString(t["key_id"]) << " ("
                          << QString::fromStdString(t["key_type"])
                          << (t["key_stored"].get<bool>() ? ", key stored" : ", NO KEY")
                          << (t["confirmed_by_you"].get<bool>() ? ", confirmed by you"
                                                                : ", NOT confirmed by you")
                          << ")" << Qt::endl;
            ctx.out() << "keys: " << secrets::backendDescription() << Qt::endl;
        }
        return Ok;
    }
    if (ctx.args().size() != 1)
        return ctx.usage(QStringLiteral("tenant %1 NAME").arg(sub));
    const QString name = ctx.args().first();
    if (sub == QLatin1String("remove")) {
        auto removed = xdrtenants::remove(*store.value(), name);
        if (!removed)
            return ctx.fail(removed.error(), Failure);
        if (auto r = secrets::remove(TenantProfile::secretNameFor(name)); !r)
            return ctx.fail(r.error(), Failure);
        if (!removed.value())
            return ctx.fail(
                makeError(errc::kXdrNoTenant, QStringLiteral("no tenant '%1'").arg(name)));
        ctx.out() << "tenant " << name << " removed (and its key)" << Qt::endl;
        return Ok;
    }
    if (sub == QLatin1String("confirm")) {
        // The analyst has checked where the tenant points; their key may go there from now on.
        auto confirmed = xdrtenants::confirm(*store.value(), name);
        if (!confirmed)
            return ctx.fail(confirmed.error(), exitFor(confirmed.error()));
        ctx.out() << "tenant " << name << " confirmed: " << tenantpins::describe(confirmed.value())
                  << Qt::endl;
        return Ok;
    }
    if (sub == QLatin1String("default")) {
        if (auto r = tenantstore::setDefaultTenant(
                *store.value(), name == QLatin1String("none") ? QString() : name);
            !r)
            return ctx.fail(r.error());
        ctx.out() << "default tenant: " << name << Qt::endl;
        return Ok;
    }
    if (sub == QLatin1String("test")) {
        auto t = resolveTenant(*store.value(), name);
        if (!t)
            return ctx.fail(t.error(), exitFor(t.error()));
        XdrClientOptions o;
        o.maxAttempts = 1; // a test reports what happened, it does not wait out rate limits
        auto r = XdrClient(t->second, o).testConnection();
        if (!r) {
            QString kind = QStringLiteral("FAILED");
            if (r.error().code == errc::kXdrAuth)
                kind = QStringLiteral("UNAUTHORIZED");
            else if (r.error().code == errc::kXdrUnreachable || r.error().code == errc::kXdrTimeout)
                kind = QStringLiteral("UNREACHABLE");
            ctx.out() << kind << ": " << r.error().message << Qt::endl;
            return Failure;
        }
        ctx.out() << r.value() << " at " << t->first.apiUrl << Qt::endl;
        return Ok;
    }
    return ctx.usage(
        QStringLiteral(
            "unknown tenant sub-command '%1' (add, edit, list, test, confirm, remove, default)")
            .arg(sub));
}

int cmdPull(CliContext &ctx)
{
    const QString tenant = ctx.takeOption(QStringLiteral("--tenant"));
    const bool related = ctx.takeFlag(QStringLiteral("--related"));
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    bool present = false;
    const QString windowText = ctx.takeOption(QStringLiteral("--window"), &present);
    qint64 windowMs = 2 * 3600 * 1000;
    if (present) {
        bool ok = false;
        windowMs = parseDuration(windowText, &ok);
        if (!ok)
            return ctx.usage(QStringLiteral("--window takes a duration such as 2h, 30m or 90s"));
    }
    if (ctx.args().size() != 1 || ctx.args().first().startsWith(QLatin1String("--")))
        return ctx.usage(
            QStringLiteral("pull INCIDENT_ID [--related] [--window 2h] [--tenant NAME] [--json]"));
    const QString incident = ctx.args().first();
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto t = resolveTenant(*store.value(), tenant);
    if (!t)
        return ctx.fail(t.error(), exitFor(t.error()));
    XdrClient client(t->second, cliClientOptions(ctx));
    XdrPuller puller(*store.value(), client, t->first.name);
    ImportOptions options;
    options.actor = QStringLiteral("xdr-pull");
    auto out = puller.pullIncident(incident, related, windowMs, options);
    if (!out)
        return ctx.fail(out.error(), exitFor(out.error()));
    const XdrPullOutcome &o = out.value();
    if (asJson) {
        json hosts = json::array();
        for (const QString &h : o.hosts)
            hosts.push_back(js::toStd(h));
        ctx.printJson({{"tenant", js::toStd(o.tenant)},
                       {"case_id", o.caseId},
                       {"cases", o.counts.cases},
                       {"alerts", o.counts.alerts},
                       {"processes", o.counts.processes},
                       {"indicators", o.counts.indicators},
                       {"skipped", o.counts.skipped},
                       {"related_alerts_fetched", o.alertsFetched},
                       {"related_alerts_total", o.alertsTotal},
                       {"truncated", o.truncated},
                       {"hosts", hosts},
                       {"from_ms", o.fromMs},
                       {"to_ms", o.toMs}});
        return Ok;
    }
    ctx.out() << "pulled incident " << incident << " from tenant " << o.tenant << " into case "
              << o.caseId << ": " << o.counts.cases << " cases, " << o.counts.alerts << " alerts, "
              << o.counts.processes << " processes, " << o.counts.indicators << " indicators, "
              << o.counts.skipped << " already stored" << Qt::endl;
    if (related)
        ctx.out() << "related alerts on " << o.hosts.join(QStringLiteral(", ")) << ": "
                  << o.alertsFetched << " of " << o.alertsTotal
                  << (o.truncated ? " (stopped at the limit)" : "") << Qt::endl;
    return Ok;
}

int cmdSecret(CliContext &ctx)
{
    static const QStringList known = {QStringLiteral("virustotal"), QStringLiteral("abuseipdb")};
    if (ctx.args().isEmpty())
        return ctx.usage(QStringLiteral("secret set|remove|status NAME (virustotal, abuseipdb)"));
    const QString sub = ctx.args().takeFirst();
    if (sub == QLatin1String("status")) {
        for (const QString &name : known) {
            auto v = secrets::read(name);
            ctx.out() << name << ": "
                      << (!v             ? v.error().message
                          : v->isEmpty() ? QStringLiteral("not stored")
                                         : QStringLiteral("stored"))
                      << Qt::endl;
        }
        ctx.out() << "backend: " << secrets::backendDescription() << Qt::endl;
        return Ok;
    }
    if (ctx.args().size() != 1 || !known.contains(ctx.args().first()))
        return ctx.usage(
            QStringLiteral(
                "secret %1 NAME where NAME is virustotal or abuseipdb (XDR keys: 'tenant add')")
                .arg(sub));
    const QString name = ctx.args().first();
    if (sub == QLatin1String("set")) {
        const QString key = readKeyFromStdin();
        if (key.isEmpty())
            return ctx.usage(
                QStringLiteral("secret set reads the key from the first line of stdin"));
        if (auto r = secrets::write(name, key); !r)
            return ctx.fail(r.error(), Failure);
        ctx.out() << name << " key stored in " << secrets::backendDescription() << Qt::endl;
        return Ok;
    }
    if (sub == QLatin1String("remove")) {
        if (auto r = secrets::remove(name); !r)
            return ctx.fail(r.error(), Failure);
        ctx.out() << name << " key removed" << Qt::endl;
        return Ok;
    }
    return ctx.usage(
        QStringLiteral("unknown secret sub-command '%1' (set, remove, status)").arg(sub));
}

} // namespace causa::cli
