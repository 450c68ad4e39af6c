#include "enrichmentpolicy.h"

#include "core/indicatorutil.h"

namespace causa::enrichment {

QString withheldReason(const EnrichmentSubject &s, bool offline)
{
    if (offline)
        return QStringLiteral("offline mode");
    const bool ip = s.type == QLatin1String("ipv4") || s.type == QLatin1String("ipv6");
    if (s.internal || (ip && indicator::isInternalIp(s.value)))
        return QStringLiteral("internal address");
    auto red = [](const QString &m) {
        const QString u = m.trimmed().toUpper();
        return u == QLatin1String("RED") || u == QLatin1String("TLP:RED") ||
               u == QLatin1String("PAP:RED");
    };
    if (red(s.tlp))
        return QStringLiteral("TLP:RED");
    if (red(s.pap))
        return QStringLiteral("PAP:RED");
    if (red(s.caseTlp))
        return QStringLiteral("TLP:RED (case)");
    if (red(s.casePap))
        return QStringLiteral("PAP:RED (case)");
    for (const IntelEntry &e : s.intel) {
        if (red(e.tlp))
            return QStringLiteral("TLP:RED (%1)").arg(e.feed);
        if (red(e.pap))
            return QStringLiteral("PAP:RED (%1)").arg(e.feed);
    }
    return {};
}

Score mergeScore(const std::vector<ProviderResult> &results, int manualScore, QString *decidedBy)
{
    if (manualScore >= 0 && manualScore <= 3) {
        *decidedBy = QStringLiteral("manual");
        return static_cast<Score>(manualScore);
    }
    const ProviderResult *best = nullptr;
    for (const ProviderResult &r : results) {
        if (!r.hasOpinion())
            continue;
        if (!best) {
            best = &r;
            continue;
        }
        const int rank = reliabilityRank(r.reliability),
                  bestRank = reliabilityRank(best->reliability);
        if (rank < bestRank || (rank == bestRank && int(r.score) > int(best->score)))
            best = &r;
    }
    if (!best) {
        decidedBy->clear();
        return Score::Unknown;
    }
    *decidedBy = best->provider;
    return best->score;
}

} // namespace causa::enrichment
