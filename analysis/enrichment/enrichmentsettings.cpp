#include "enrichmentsettings.h"

#include "secrets/secretstore.h"

#include <QProcessEnvironment>

namespace causa {

EnrichmentSettings EnrichmentSettings::fromEnvironment()
{
    EnrichmentSettings s;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The secret store (OS keychain or owner-only file) first; the variables stay a fallback.
    s.virusTotal.apiKey =
        secrets::readWithEnvFallback(QStringLiteral("virustotal"), "CAUSA_VT_API_KEY");
    s.abuseIpDb.apiKey =
        secrets::readWithEnvFallback(QStringLiteral("abuseipdb"), "CAUSA_ABUSEIPDB_API_KEY");
    if (const QString u = env.value(QStringLiteral("CAUSA_VT_BASE_URL")); !u.isEmpty())
        s.virusTotal.baseUrl = u;
    if (const QString u = env.value(QStringLiteral("CAUSA_ABUSEIPDB_BASE_URL")); !u.isEmpty())
        s.abuseIpDb.baseUrl = u;
    bool ok = false;
    if (const int rate = env.value(QStringLiteral("CAUSA_VT_RATE_PER_MINUTE")).toInt(&ok);
        ok && rate >= 0)
        s.virusTotal.ratePerMinute = rate; // premium keys allow more than the public 4/min
    if (const int rate = env.value(QStringLiteral("CAUSA_ABUSEIPDB_RATE_PER_MINUTE")).toInt(&ok);
        ok && rate >= 0)
        s.abuseIpDb.ratePerMinute = rate;
    const QString offline = env.value(QStringLiteral("CAUSA_OFFLINE")).toLower();
    s.offline = offline == QLatin1String("1") || offline == QLatin1String("true") ||
                offline == QLatin1String("yes");
    return s;
}

} // namespace causa
