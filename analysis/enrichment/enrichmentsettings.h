#pragma once

#include "httpprovider.h"

namespace causa {

// What an enrichment run may do: offline mode, and each online provider's endpoint and limits.
struct EnrichmentSettings
{
    bool offline = false;
    QString actor = QStringLiteral("enrichment");
    HttpProviderConfig virusTotal{QStringLiteral("https://www.virustotal.com"),
                                  {},
                                  true,
                                  15000,
                                  4,
                                  24LL * 3600 * 1000,
                                  2,
                                  1000,
                                  60000};
    HttpProviderConfig abuseIpDb{QStringLiteral("https://api.abuseipdb.com"),
                                 {},
                                 true,
                                 15000,
                                 30,
                                 12LL * 3600 * 1000,
                                 2,
                                 1000,
                                 60000};

    // Keys from the secret store ("virustotal", "abuseipdb": OS keychain or owner-only file, see
    // secrets/secretstore.h), else CAUSA_VT_API_KEY / CAUSA_ABUSEIPDB_API_KEY;
    // CAUSA_VT_BASE_URL / CAUSA_ABUSEIPDB_BASE_URL override the endpoints and
    // CAUSA_VT_RATE_PER_MINUTE / CAUSA_ABUSEIPDB_RATE_PER_MINUTE set the request rate (VirusTotal's
    // public API allows 4 a minute) and CAUSA_OFFLINE=1 turns offline mode on.
    static EnrichmentSettings fromEnvironment();
};

} // namespace causa
