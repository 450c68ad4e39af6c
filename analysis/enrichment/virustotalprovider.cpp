#include "virustotalprovider.h"

#include "core/jsonutil.h"

#include <QUrlQuery>

#include <nlohmann/json.hpp>

namespace causa {

using nlohmann::json;

namespace {

const QByteArray kRedacted = QByteArrayLiteral("<redacted>");

// Parses a provider's JSON body; a clear message when it is not JSON.
bool parseBody(const QString &provider, const QByteArray &body, json &out, QString *error)
{
    if (body.trimmed().isEmpty()) {
        *error = QStringLiteral("malformed %1 reply: empty body").arg(provider);
        return false;
    }
    auto doc = js::parseDocument(body, provider + QStringLiteral(" reply"), 64);
    if (!doc) {
        *error = QStringLiteral("malformed %1 reply: %2 (%3)").arg(provider, doc.error().message, doc.error().location);
        return false;
    }
    out = std::move(doc.value());
    return true;
}

const json *path(const json &root, std::initializer_list<const char *> keys)
{
    const json *cur = &root;
    for (const char *k : keys) {
        if (!cur->is_object())
            return nullptr;
        const auto it = cur->find(k);
        if (it == cur->end())
            return nullptr;
        cur = &*it;
    }
    return cur;
}

} // namespace

bool VirusTotalProvider::supports(const EnrichmentSubject &s) const
{
    static const QStringList types{QStringLiteral("sha256"), QStringLiteral("sha1"), QStringLiteral("md5"),
                                   QStringLiteral("ipv4"),   QStringLiteral("ipv6"), QStringLiteral("domain"),
                                   QStringLiteral("url")};
    return types.contains(s.type);
}

std::optional<OutboundRequest> VirusTotalProvider::request(const EnrichmentSubject &s, bool redact) const
{
    QString p;
    const QString v = QString::fromLatin1(QUrl::toPercentEncoding(s.value));
    if (s.type == QLatin1String("sha256") || s.type == QLatin1String("sha1") || s.type == QLatin1String("md5"))
        p = QStringLiteral("/api/v3/files/") + v;
    else if (s.type == QLatin1String("ipv4") || s.type == QLatin1String("ipv6"))
        p = QStringLiteral("/api/v3/ip_addresses/") + v;
    else if (s.type == QLatin1String("domain"))
        p = QStringLiteral("/api/v3/domains/") + v;
    else if (s.type == QLatin1String("url"))
        p = QStringLiteral("/api/v3/urls/")
            + QString::fromLatin1(s.value.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    else
        return std::nullopt;
    OutboundRequest r;
    r.indicatorId = s.indicatorId;
    r.provider = name();
    r.url = endpoint(p);
    r.headers = {{QByteArrayLiteral("x-apikey"), redact ? kRedacted : apiKey()},
                 {QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")}};
    return r;
}

void VirusTotalProvider::parse(const EnrichmentSubject &, int status, const QByteArray &body, ProviderResult &r) const
{
    if (status == 404) {
        r.score = Score::Unknown;
        r.verdict = QStringLiteral("not known to VirusTotal");
        r.raw = QStringLiteral("{\"status\":404}");
        return;
    }
    json doc;
    if (!parseBody(QStringLiteral("VirusTotal"), body, doc, &r.error))
        return;
    const json *stats = path(doc, {"data", "attributes", "last_analysis_stats"});
    if (!stats || !stats->is_object()) {
        r.error = QStringLiteral("malformed VirusTotal reply: no data.attributes.last_analysis_stats");
        return;
    }
    const qint64 malicious = js::int64(*stats, "malicious");
    const qint64 suspicious = js::int64(*stats, "suspicious");
    const qint64 harmless = js::int64(*stats, "harmless");
    const qint64 undetected = js::int64(*stats, "undetected");
    const qint64 engines = malicious + suspicious + harmless + undetected;
    if (malicious >= kMaliciousEngines)
        r.score = Score::Malicious;
    else if (malicious > 0 || suspicious > 0)
        r.score = Score::Suspicious;
    else if (harmless > 0)
        r.score = Score::Good;
    r.verdict = QStringLiteral("%1/%2 engines malicious, %3 suspicious").arg(malicious).arg(engines).arg(suspicious);
    json raw{{"last_analysis_stats", *stats}};
    if (const json *rep = path(doc, {"data", "attributes", "reputation"}))
        raw["reputation"] = *rep;
    if (const json *type = path(doc, {"data", "type"}))
        raw["type"] = *type;
    r.raw = QString::fromStdString(raw.dump());
}

bool AbuseIpDbProvider::supports(const EnrichmentSubject &s) const
{
    return s.type == QLatin1String("ipv4") || s.type == QLatin1String("ipv6");
}

std::optional<OutboundRequest> AbuseIpDbProvider::request(const EnrichmentSubject &s, bool redact) const
{
    if (!supports(s))
        return std::nullopt;
    OutboundRequest r;
    r.indicatorId = s.indicatorId;
    r.provider = name();
    QUrl url = endpoint(QStringLiteral("/api/v2/check"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("ipAddress"), s.value);
    q.addQueryItem(QStringLiteral("maxAgeInDays"), QStringLiteral("90"));
    url.setQuery(q);
    r.url = url;
    r.headers = {{QByteArrayLiteral("Key"), redact ? kRedacted : apiKey()},
                 {QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")}};
    return r;
}

void AbuseIpDbProvider::parse(const EnrichmentSubject &, int status, const QByteArray &body, ProviderResult &r) const
{
    json doc;
    if (!parseBody(QStringLiteral("AbuseIPDB"), body, doc, &r.error))
        return;
    if (status == 404) {
        r.verdict = QStringLiteral("not known to AbuseIPDB");
        return;
    }
    const json *data = path(doc, {"data"});
    const json *confidence = data ? path(*data, {"abuseConfidenceScore"}) : nullptr;
    if (!confidence || !confidence->is_number()) {
        r.error = QStringLiteral("malformed AbuseIPDB reply: no data.abuseConfidenceScore");
        return;
    }
    const qint64 score = confidence->get<qint64>();
    const qint64 reports = js::int64(*data, "totalReports");
    if (score >= 80)
        r.score = Score::Malicious;
    else if (score >= 25)
        r.score = Score::Suspicious;
    else if (js::boolean(*data, "isWhitelisted"))
        r.score = Score::Good;
    r.verdict = QStringLiteral("abuse confidence %1%, %2 reports").arg(score).arg(reports);
    json raw{{"abuseConfidenceScore", score}, {"totalReports", reports}};
    for (const char *k : {"isWhitelisted", "countryCode", "usageType", "isp", "lastReportedAt"})
        if (const auto it = data->find(k); it != data->end())
            raw[k] = *it;
    r.raw = QString::fromStdString(raw.dump());
}

} // namespace causa
