#include "virustotalprovider.h"

#include "core/jsonutil.h"

#include <QUrlQuery>

#include <nlohmann/json.hpp>

namespace causa {

using nlohmann::json;

bool VirusTotalProvider::supports(const EnrichmentSubject &s) const
{
    static const QStringList types{QStringLiteral("sha256"), QStringLiteral("sha1"),
                                   QStringLiteral("md5"),    QStringLiteral("ipv4"),
                                   QStringLiteral("ipv6"),   QStringLiteral("domain"),
                                   QStringLiteral("url")};
    return types.contains(s.type);
}

std::optional<OutboundRequest> VirusTotalProvider::request(const EnrichmentSubject &s,
                                                           bool redact) const
{
    QString p;
    const QString v = QString::fromLatin1(QUrl::toPercentEncoding(s.value));
    if (s.type == QLatin1String("sha256") || s.type == QLatin1String("sha1") ||
        s.type == QLatin1String("md5"))
        p = QStringLiteral("/api/v3/files/") + v;
    else if (s.type == QLatin1String("ipv4") || s.type == QLatin1String("ipv6"))
        p = QStringLiteral("/api/v3/ip_addresses/") + v;
    else if (s.type == QLatin1String("domain"))
        p = QStringLiteral("/api/v3/domains/") + v;
    else if (s.type == QLatin1String("url"))
        p = QStringLiteral("/api/v3/urls/") +
            QString::fromLatin1(s.value.toUtf8().toBase64(QByteArray::Base64UrlEncoding |
                                                          QByteArray::OmitTrailingEquals));
    else
        return std::nullopt;
    OutboundRequest r;
    r.indicatorId = s.indicatorId;
    r.provider = name();
    r.url = endpoint(p);
    r.headers = {{QByteArrayLiteral("x-apikey"), keyHeader(redact)},
                 {QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")}};
    return r;
}

void VirusTotalProvider::parse(const EnrichmentSubject &, int status, const QByteArray &body,
                               ProviderResult &r) const
{
    if (status == 404) {
        r.score = Score::Unknown;
        r.verdict = QStringLiteral("not known to VirusTotal");
        r.raw = QStringLiteral("{\"status\":404}");
        return;
    }
    json doc;
    if (!parseJsonBody(QStringLiteral("VirusTotal"), body, doc, &r.error))
        return;
    const json *stats = jsonPath(doc, {"data", "attributes", "last_analysis_stats"});
    if (!stats || !stats->is_object()) {
        r.error =
            QStringLiteral("malformed VirusTotal reply: no data.attributes.last_analysis_stats");
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
    r.verdict = QStringLiteral("%1/%2 engines malicious, %3 suspicious")
                    .arg(malicious)
                    .arg(engines)
                    .arg(suspicious);
    json raw{{"last_analysis_stats", *stats}};
    if (const json *rep = jsonPath(doc, {"data", "attributes", "reputation"}))
        raw["reputation"] = *rep;
    if (const json *type = jsonPath(doc, {"data", "type"}))
        raw["type"] = *type;
    r.raw = QString::fromStdString(raw.dump());
}

} // namespace causa
