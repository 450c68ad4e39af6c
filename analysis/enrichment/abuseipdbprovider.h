#pragma once

#include "httpprovider.h"

namespace causa {

// AbuseIPDB API v2: GET /api/v2/check?ipAddress=IP&maxAgeInDays=90, headers Key and
// Accept: application/json. Score from data.abuseConfidenceScore: >= 80 -> 3, >= 25 -> 2,
// isWhitelisted -> 1, else 0. Public IPs only. Grade C (crowd-sourced reports).
class AbuseIpDbProvider final : public HttpProvider
{
public:
    using HttpProvider::HttpProvider;
    QString name() const override { return QStringLiteral("abuseipdb"); }
    QString reliability() const override { return QStringLiteral("C"); }
    bool supports(const EnrichmentSubject &subject) const override;
    std::optional<OutboundRequest> request(const EnrichmentSubject &subject,
                                           bool redact) const override;

protected:
    void parse(const EnrichmentSubject &subject, int status, const QByteArray &body,
               ProviderResult &result) const override;
};

} // namespace causa
