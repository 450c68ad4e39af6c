#pragma once

#include "httpprovider.h"

namespace causa {

// VirusTotal API v3: GET /api/v3/files/{hash}, /ip_addresses/{ip}, /domains/{domain},
// /urls/{base64url(url) without padding}, header x-apikey. Score from
// data.attributes.last_analysis_stats: >= 5 engines malicious -> 3; any malicious or suspicious
// -> 2; only harmless votes -> 1; nothing -> 0. 404 means "not known to VirusTotal" (0). Grade B.
class VirusTotalProvider final : public HttpProvider
{
public:
    using HttpProvider::HttpProvider;
    QString name() const override { return QStringLiteral("virustotal"); }
    QString reliability() const override { return QStringLiteral("B"); }
    bool supports(const EnrichmentSubject &subject) const override;
    std::optional<OutboundRequest> request(const EnrichmentSubject &subject,
                                           bool redact) const override;

    static constexpr int kMaliciousEngines = 5;

protected:
    void parse(const EnrichmentSubject &subject, int status, const QByteArray &body,
               ProviderResult &result) const override;
};

} // namespace causa
