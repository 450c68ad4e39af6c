#include "workbenchsettings.h"

#include "core/errorcodes.h"
#include "enrichment/enrichmentsettings.h"
#include "playbook/playbookdefinition.h"
#include "sigma/teamrules.h"
#include "store/settingsstore.h"

namespace causa {

namespace {

const QString kInputPrefix = QStringLiteral("playbook.input.");
const QString kPlaybookId = QStringLiteral("remote-psexec-lolbin");

bool toBool(const QString &v, bool fallback)
{
    if (v == QLatin1String("true") || v == QLatin1String("1"))
        return true;
    if (v == QLatin1String("false") || v == QLatin1String("0"))
        return false;
    return fallback;
}

int toInt(const QString &v, int fallback, int min, int max)
{
    bool ok = false;
    const int n = v.toInt(&ok);
    return ok && n >= min && n <= max ? n : fallback;
}

QString boolText(bool b)
{
    return b ? QStringLiteral("true") : QStringLiteral("false");
}

} // namespace

QStringList WorkbenchSettings::playbookAssignments() const
{
    QStringList out;
    for (const auto &[name, value] : playbookInputs)
        out << name + QLatin1Char('=') + value;
    return out;
}

void WorkbenchSettings::applyTo(EnrichmentSettings &e) const
{
    e.offline = e.offline || offline;
    e.virusTotal.enabled = e.virusTotal.enabled && virusTotalEnabled;
    e.virusTotal.ttlMs = qint64(virusTotalTtlHours) * 3600 * 1000;
    e.abuseIpDb.enabled = e.abuseIpDb.enabled && abuseIpDbEnabled;
    e.abuseIpDb.ttlMs = qint64(abuseIpDbTtlHours) * 3600 * 1000;
}

Result<EnrichmentSettings> WorkbenchSettings::enrichmentSettings(const CaseStore &store)
{
    auto policy = load(store);
    if (!policy)
        return makeError(policy.error().code,
                         QStringLiteral("the team's enrichment policy could not be read: ") +
                             policy.error().message,
                         policy.error().location);
    EnrichmentSettings settings = EnrichmentSettings::fromEnvironment();
    policy->applyTo(settings);
    return settings;
}

Result<WorkbenchSettings> WorkbenchSettings::load(const CaseStore &store)
{
    auto values = settingsstore::values(store);
    if (!values)
        return values.error();
    const auto &v = values.value();
    auto get = [&v](const char *key) {
        auto it = v.find(QLatin1String(key));
        return it == v.end() ? QString() : it->second;
    };
    WorkbenchSettings s;
    for (const auto &[key, value] : v)
        if (key.startsWith(kInputPrefix))
            s.playbookInputs[key.mid(kInputPrefix.size())] = value;
    s.offline = toBool(get("enrichment.offline"), s.offline);
    s.virusTotalEnabled = toBool(get("enrichment.virustotal.enabled"), s.virusTotalEnabled);
    s.virusTotalTtlHours =
        toInt(get("enrichment.virustotal.ttl_hours"), s.virusTotalTtlHours, 0, 24 * 365);
    s.abuseIpDbEnabled = toBool(get("enrichment.abuseipdb.enabled"), s.abuseIpDbEnabled);
    s.abuseIpDbTtlHours =
        toInt(get("enrichment.abuseipdb.ttl_hours"), s.abuseIpDbTtlHours, 0, 24 * 365);
    if (const QString t = get("report.tlp"); kTlpLevels.contains(t))
        s.reportTlp = t;
    if (const QString p = get("report.pap"); kPapLevels.contains(p))
        s.reportPap = p;
    if (const QString c = get("response.connector");
        c == QLatin1String("export") || c == QLatin1String("xdr"))
        s.connector = c;
    s.sigmaPaths = sigma::splitRuleFolders(get("hunt.sigma_paths"));
    return s;
}

Result<void> WorkbenchSettings::validate() const
{
    auto def = PlaybookDefinition::load(kPlaybookId);
    if (!def)
        return def.error();
    if (auto r = def->applyInputs(def->defaultInputs(), playbookAssignments()); !r)
        return r.error();
    if (!kTlpLevels.contains(reportTlp))
        return makeError(errc::kBadSetting,
                         QStringLiteral("unknown TLP level \"%1\"").arg(reportTlp));
    if (!kPapLevels.contains(reportPap))
        return makeError(errc::kBadSetting,
                         QStringLiteral("unknown PAP level \"%1\"").arg(reportPap));
    if (connector != QLatin1String("export") && connector != QLatin1String("xdr"))
        return makeError(errc::kBadSetting,
                         QStringLiteral("unknown connector \"%1\"").arg(connector));
    for (const QString &folder : sigmaPaths)
        if (folder.trimmed().isEmpty() || folder.contains(QLatin1Char(';')))
            return makeError(
                errc::kBadSetting,
                QStringLiteral("a Sigma rule folder cannot be empty or contain ';': \"%1\"")
                    .arg(folder));
    return {};
}

Result<void> WorkbenchSettings::save(CaseStore &store) const
{
    if (auto r = validate(); !r)
        return r;
    std::map<QString, QString> v;
    for (const auto &[name, value] : playbookInputs)
        v[kInputPrefix + name] = value;
    v[QStringLiteral("enrichment.offline")] = boolText(offline);
    v[QStringLiteral("enrichment.virustotal.enabled")] = boolText(virusTotalEnabled);
    v[QStringLiteral("enrichment.virustotal.ttl_hours")] = QString::number(virusTotalTtlHours);
    v[QStringLiteral("enrichment.abuseipdb.enabled")] = boolText(abuseIpDbEnabled);
    v[QStringLiteral("enrichment.abuseipdb.ttl_hours")] = QString::number(abuseIpDbTtlHours);
    v[QStringLiteral("report.tlp")] = reportTlp;
    v[QStringLiteral("report.pap")] = reportPap;
    v[QStringLiteral("response.connector")] = connector;
    v[sigma::kSigmaPathsSetting] = sigma::joinRuleFolders(sigmaPaths);
    return settingsstore::setValues(store, v);
}

} // namespace causa
