#include "exportconnector.h"

#include "core/errorcodes.h"
#include "secrets/privatefile.h"

#include "core/indicatorutil.h"
#include "core/jsonutil.h"

#include <QDir>
#include <QFile>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>

#include <map>
#include <optional>

namespace causa {

using nlohmann::json;

namespace {

Result<QString> checked(const ActionRecord &a, const char *field, const QRegularExpression &re)
{
    const QString v = js::str(a.payload, field);
    if (v.isEmpty() || !re.match(v).hasMatch())
        return makeError(
            errc::kExportValue,
            QStringLiteral("action %1: %2 '%3' does not look like a valid value; refusing to put "
                           "it in a script")
                .arg(a.id)
                .arg(QLatin1String(field), v.left(80)));
    return v;
}

QString indicatorLine(const QString &type, const QString &value, const ActionRecord &a)
{
    return QStringLiteral(
               "Invoke-CausaStep -Description %1 -Action { Submit-CausaIndicator -Type %2 -Value %3 "
               "-Title %4 }")
        .arg(ExportConnector::psQuote(QStringLiteral("Block %1 %2").arg(type, value)),
             ExportConnector::psQuote(type), ExportConnector::psQuote(value),
             ExportConnector::psQuote(
                 QStringLiteral("Causa case %1 action %2").arg(a.caseId).arg(a.id)));
}

const char *kScriptHeader = R"(# Causa remediation script - REVIEW EVERY LINE BEFORE RUNNING.
# Generated from approved actions only. Without -Execute it only prints what it would do.
# Indicators are submitted to Microsoft Defender for Endpoint (needs $env:MDE_TOKEN with
# Ti.ReadWrite); accounts are disabled in Active Directory; processes are stopped remotely.
[CmdletBinding()]
param([switch]$Execute)
$ErrorActionPreference = 'Stop'

function Invoke-CausaStep([string]$Description, [scriptblock]$Action) {
    if ($Execute) { Write-Host "[run] $Description"; & $Action }
    else { Write-Host "[dry run] $Description" }
}

function Submit-CausaIndicator([string]$Type, [string]$Value, [string]$Title) {
    $body = @{ indicatorValue = $Value; indicatorType = $Type; action = 'Block'; title = $Title;
               description = $Title; severity = 'High'; generateAlert = $true } | ConvertTo-Json
    Invoke-RestMethod -Method Post -Uri 'https://api.securitycenter.microsoft.com/api/indicators' `
        -Headers @{ Authorization = "Bearer $env:MDE_TOKEN" } -ContentType 'application/json' -Body $body
}
)";

} // namespace

ExportConnector::ExportConnector(QString directory, QByteArray signingKey)
    : m_dir(std::move(directory)), m_key(std::move(signingKey))
{}

bool ExportConnector::supports(const QString &kind) const
{
    static const QStringList kinds = {
        QStringLiteral("terminate_causality"), QStringLiteral("terminate_process"),
        QStringLiteral("block_hash"),          QStringLiteral("block_ip"),
        QStringLiteral("block_url"),           QStringLiteral("block_domain"),
        QStringLiteral("disable_user"),        QStringLiteral("isolate_endpoint")};
    return kinds.contains(kind);
}

QString ExportConnector::psQuote(const QString &value)
{
    // PowerShell ends a single-quoted string at ' and at the typographic quotes U+2018..U+201B;
    // doubling each of them keeps it literal. Nothing is expanded inside single quotes.
    QString out;
    out.reserve(value.size() + 2);
    out += QLatin1Char('\'');
    for (const QChar c : value) {
        if (c == QLatin1Char('\'') || (c.unicode() >= 0x2018 && c.unicode() <= 0x201B))
            out += c;
        out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

namespace {

// The indicator line of a block_* action; nullopt when the action is no block_*.
std::optional<Result<QString>> indicatorStep(const ActionRecord &a)
{
    static const QRegularExpression sha(QStringLiteral("^[0-9a-fA-F]{64}$"));
    static const QRegularExpression domain(
        QStringLiteral("^(?=.{1,253}$)[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$"));
    static const QRegularExpression anything(QStringLiteral("."));
    if (a.kind == QLatin1String("block_hash")) {
        auto v = checked(a, "sha256", sha);
        if (!v)
            return v.error();
        return indicatorLine(QStringLiteral("FileSha256"), v->toLower(), a);
    }
    if (a.kind == QLatin1String("block_ip")) {
        QString type;
        const QString ip = indicator::normaliseIp(js::str(a.payload, "ip"), &type);
        if (ip.isEmpty())
            return makeError(errc::kExportValue,
                             QStringLiteral("action %1: '%2' is not an IP address")
                                 .arg(a.id)
                                 .arg(js::str(a.payload, "ip").left(80)));
        return indicatorLine(QStringLiteral("IpAddress"), ip, a);
    }
    if (a.kind == QLatin1String("block_domain")) {
        auto v = checked(a, "domain", domain);
        if (!v)
            return v.error();
        return indicatorLine(QStringLiteral("DomainName"), v.value(), a);
    }
    if (a.kind == QLatin1String("block_url")) {
        auto v = checked(a, "url", anything);
        if (!v)
            return v.error();
        const QUrl url(v.value(), QUrl::StrictMode);
        static const QRegularExpression bad(QStringLiteral("[\\s\\x00-\\x1f\\x7f]"));
        if (!url.isValid() || url.host().isEmpty() || v->contains(bad) ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return makeError(
                errc::kExportValue,
                QStringLiteral("action %1: '%2' is not an http(s) URL").arg(a.id).arg(v->left(80)));
        return indicatorLine(QStringLiteral("Url"), url.toString(QUrl::FullyEncoded), a);
    }
    return std::nullopt;
}

// The step of an action on a host or an account; nullopt when the action is none of them.
std::optional<Result<QString>> hostStep(const ActionRecord &a)
{
    static const QRegularExpression host(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$"));
    static const QRegularExpression user(
        QStringLiteral("^([A-Za-z0-9.-]{1,64}\\\\)?[A-Za-z0-9._$ -]{1,104}$"));
    const auto psQuote = &ExportConnector::psQuote;
    if (a.kind == QLatin1String("disable_user")) {
        auto v = checked(a, "user", user);
        if (!v)
            return v.error();
        const QString sam = v->section(QLatin1Char('\\'), -1);
        return QStringLiteral(
                   "Invoke-CausaStep -Description %1 -Action { Disable-ADAccount -Identity %2 }")
            .arg(psQuote(QStringLiteral("Disable account ") + v.value()), psQuote(sam));
    }
    if (a.kind == QLatin1String("terminate_process") ||
        a.kind == QLatin1String("terminate_causality")) {
        auto h = checked(a, "host", host);
        if (!h)
            return h.error();
        const qint64 pid = js::int64(a.payload, "pid", -1);
        if (pid <= 0 || pid > 0xFFFFFFFFLL)
            return makeError(errc::kExportValue,
                             QStringLiteral("action %1: no valid process id to stop").arg(a.id));
        return QStringLiteral(
                   "Invoke-CausaStep -Description %1 -Action { Invoke-Command -ComputerName %2 "
                   "-ScriptBlock { Stop-Process -Id %3 -Force } }")
            .arg(psQuote(QStringLiteral("Stop process %1 on %2").arg(pid).arg(h.value())),
                 psQuote(h.value()))
            .arg(pid);
    }
    if (a.kind == QLatin1String("isolate_endpoint")) {
        // Without an EDR API, the reviewed script isolates through the host's own firewall.
        auto h = checked(a, "host", host);
        if (!h)
            return h.error();
        return QStringLiteral(
                   "Invoke-CausaStep -Description %1 -Action { Invoke-Command -ComputerName %2 -ScriptBlock { "
                   "Set-NetFirewallProfile -All -Enabled True -DefaultInboundAction Block "
                   "-DefaultOutboundAction Block } }")
            .arg(psQuote(QStringLiteral(
                             "Isolate %1 (Windows Firewall blocks all traffic on every profile)")
                             .arg(h.value())),
                 psQuote(h.value()));
    }
    return std::nullopt;
}

} // namespace

Result<QStringList> ExportConnector::scriptFor(const ActionRecord &a)
{
    QStringList lines;
    lines << QStringLiteral("# action %1: %2 %3")
                 .arg(a.id)
                 .arg(a.kind, a.target.left(200).simplified().remove(
                                  QRegularExpression(QStringLiteral("[\\x00-\\x1f\\x7f]"))));
    std::optional<Result<QString>> step = indicatorStep(a);
    if (!step)
        step = hostStep(a);
    if (!step)
        return makeError(errc::kExportUnsupported,
                         QStringLiteral("the export connector has no script for '%1'").arg(a.kind));
    if (!*step)
        return step->error();
    lines << step->value();
    return lines;
}

QByteArray ExportConnector::sign(const QByteArray &key, const QByteArray &data)
{
    return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha256).toHex();
}

bool ExportConnector::verifyPlan(const QString &planPath, const QByteArray &key)
{
    QFile plan(planPath);
    QFile sig(planPath + QStringLiteral(".sig"));
    if (!plan.open(QIODevice::ReadOnly) || !sig.open(QIODevice::ReadOnly))
        return false;
    return sign(key, plan.readAll()) == sig.readAll().trimmed();
}

QString ExportConnector::planPath(qint64 caseId) const
{
    return m_dir + QStringLiteral("/case-%1-action-plan.json").arg(caseId);
}

QString ExportConnector::signaturePath(qint64 caseId) const
{
    return planPath(caseId) + QStringLiteral(".sig");
}

QString ExportConnector::scriptPath(qint64 caseId) const
{
    return m_dir + QStringLiteral("/case-%1-remediation.ps1").arg(caseId);
}

Result<json> ExportConnector::preview(const ActionRecord &action) const
{
    auto lines = scriptFor(action);
    if (!lines)
        return lines.error();
    json script = json::array();
    for (const QString &l : lines.value())
        script.push_back(js::toStd(l));
    return json{{"connector", "export"},
                {"plan", js::toStd(planPath(action.caseId))},
                {"script", js::toStd(scriptPath(action.caseId))},
                {"script_lines", script}};
}

ConnectorOutcome ExportConnector::execute(const ActionRecord &action)
{
    ConnectorOutcome out;
    auto fail = [&](const QString &why) {
        out.result = {{"error", js::toStd(why)}};
        return out;
    };
    if (m_key.size() < 16)
        return fail(QStringLiteral("no signing key for the action plan"));
    auto lines = scriptFor(action);
    if (!lines)
        return fail(lines.error().message);
    if (!QDir().mkpath(m_dir))
        return fail(QStringLiteral("cannot create %1").arg(m_dir));
    // The plan accumulates every exported action of the case, keyed by idempotency key, so
    // exporting the same action again changes nothing.
    std::map<std::string, json> entries;
    QFile existing(planPath(action.caseId));
    if (existing.exists()) {
        if (!verifyPlan(existing.fileName(), m_key))
            return fail(QStringLiteral("%1 was modified after it was signed; not extending it")
                            .arg(existing.fileName()));
        if (!existing.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1").arg(existing.fileName()));
        json plan = json::parse(existing.readAll().toStdString(), nullptr, false);
        if (plan.is_object())
            for (const json &e : plan.value("actions", json::array()))
                entries[e.value("idempotency_key", std::string())] = e;
    }
    json approvals = json::array();
    for (const ApprovalRecord &ap : action.approvals)
        approvals.push_back({{"who", js::toStd(ap.approver)},
                             {"decision", js::toStd(ap.decision)},
                             {"note", js::toStd(ap.note)},
                             {"when", ap.decidedAt}});
    json script = json::array();
    for (const QString &l : lines.value())
        script.push_back(js::toStd(l));
    entries[js::toStd(action.idempotencyKey)] = {
        {"id", action.id},
        {"kind", js::toStd(action.kind)},
        {"target", js::toStd(action.target)},
        {"payload", action.payload},
        {"idempotency_key", js::toStd(action.idempotencyKey)},
        {"approvals", approvals},
        {"script", script}};
    std::vector<json> sorted;
    for (auto &[k, e] : entries)
        sorted.push_back(e);
    std::sort(sorted.begin(), sorted.end(),
              [](const json &a, const json &b) { return a.value("id", 0) < b.value("id", 0); });
    const json plan = {
        {"format", "causa-action-plan/1"}, {"case_id", action.caseId}, {"actions", sorted}};
    const QByteArray planBytes = QByteArray::fromStdString(plan.dump(2)) + '\n';
    QString ps = QString::fromUtf8(kScriptHeader);
    for (const json &e : sorted) {
        ps += QLatin1Char('\n');
        for (const json &l : e["script"])
            ps += QString::fromStdString(l.get<std::string>()) + QLatin1Char('\n');
    }
    auto write = [&](const QString &path, const QByteArray &bytes) {
        QSaveFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.commit();
    };
    if (!write(planPath(action.caseId), planBytes) ||
        !write(signaturePath(action.caseId), sign(m_key, planBytes) + '\n') ||
        !write(scriptPath(action.caseId), ps.toUtf8()))
        return fail(QStringLiteral("cannot write the action plan in %1").arg(m_dir));
    out.succeeded = true;
    out.result = {
        {"plan", js::toStd(planPath(action.caseId))},
        {"signature", js::toStd(signaturePath(action.caseId))},
        {"script", js::toStd(scriptPath(action.caseId))},
        {"note", "exported for manual execution; run the reviewed script to take effect"}};
    return out;
}

Result<QByteArray> ExportConnector::localKey()
{
    const QByteArray env = qgetenv("CAUSA_EXPORT_KEY");
    if (!env.isEmpty())
        return env;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    if (dir.isEmpty())
        return makeError(errc::kExportKey,
                         QStringLiteral("no configuration folder for the export key"));
    QFile f(dir + QStringLiteral("/export-signing.key"));
    if (!f.exists()) {
        QByteArray key(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()),
                                              key.size() / 4);
        // Created 0600 from its first byte and never half-written; a process that lost the
        // race to create it reads the winner's key below.
        if (auto created = secrets::createPrivateFile(f.fileName(), key.toHex()); !created)
            return makeError(errc::kExportKey, created.error().message, f.fileName());
    }
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kExportKey, QStringLiteral("cannot read %1").arg(f.fileName()));
    return f.readAll().trimmed();
}

} // namespace causa
