#include "abuseipdbprovider.h"

#include "core/jsonutil.h"

#include <QUrlQuery>

#include <nlohmann/json.hpp>

namespace causa {

using nlohmann::json;

bool AbuseIpDbProvider::supports(const EnrichmentSubject &s) const
{
    return s.type == QLatin1String("ipv4") || s.type == QLatin1String("ipv6");
}

std::optional<OutboundRequest> AbuseIpDbProvider::request(const EnrichmentSubject &s,
                                                          bool redact) const
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
    r.headers = {{QByteArrayLiteral("Key"), keyHeader(redact)},
                 {QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")}};
    return r;
}

void AbuseIpDbProvider::parse(const EnrichmentSubject &, int status, const QByteArray &body,
                              ProviderResult &r) const
{
    json doc;
    if (!parseJsonBody(QStringLiteral("AbuseIPDB"), body, doc, &r.error))
        return;
    if (status == 404) {
        r.verdict = QStringLiteral("not known to AbuseIPDB");
        return;
    }
    const json *data = jsonPath(doc, {"data"});
    const json *confidence = data ? jsonPath(*data, {"abuseConfidenceScore"}) : nullptr;
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
