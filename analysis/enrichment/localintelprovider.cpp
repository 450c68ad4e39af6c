#include "localintelprovider.h"

#include "core/jsonutil.h"
#include "store/sqlutil.h"

#include <nlohmann/json.hpp>

namespace causa {

bool LocalIntelProvider::supports(const EnrichmentSubject &s) const
{
    static const QStringList types{QStringLiteral("sha256"), QStringLiteral("sha1"),
                                   QStringLiteral("md5"),    QStringLiteral("ipv4"),
                                   QStringLiteral("ipv6"),   QStringLiteral("domain"),
                                   QStringLiteral("url")};
    return types.contains(s.type);
}

QString LocalIntelProvider::gradeForConfidence(int confidence)
{
    if (confidence == 0 || confidence >= 70)
        return QStringLiteral("B");
    if (confidence >= 40)
        return QStringLiteral("C");
    return QStringLiteral("D");
}

ProviderResult LocalIntelProvider::evaluate(const EnrichmentSubject &s) const
{
    ProviderResult r;
    r.provider = name();
    r.reliability = reliability();
    const qint64 now = sql::nowMs();
    const IntelEntry *best = nullptr;
    const IntelEntry *allow = nullptr;
    nlohmann::json matched = nlohmann::json::array();
    for (const IntelEntry &e : s.intel) {
        if ((e.validUntil > 0 && e.validUntil < now) || (e.validFrom > 0 && e.validFrom > now))
            continue;
        matched.push_back({{"feed", js::toStd(e.feed)},
                           {"kind", js::toStd(e.kind)},
                           {"score", e.score},
                           {"confidence", e.confidence},
                           {"tlp", js::toStd(e.tlp)},
                           {"creator", js::toStd(e.creator)},
                           {"description", js::toStd(e.description)}});
        if (e.kind == QLatin1String("allowlist")) {
            if (!allow)
                allow = &e;
        } else if (!best || e.score > best->score ||
                   (e.score == best->score && e.confidence > best->confidence)) {
            best = &e;
        }
    }
    r.raw = QString::fromStdString(matched.dump());
    auto source = [](const IntelEntry &e) {
        return e.creator.isEmpty() ? e.feed : QStringLiteral("%1 (%2)").arg(e.feed, e.creator);
    };
    if (allow) {
        r.score = Score::Good;
        r.reliability = QStringLiteral("A");
        r.verdict = QStringLiteral("allowlisted by %1").arg(source(*allow));
    } else if (best) {
        r.score = static_cast<Score>(std::clamp(best->score, 0, 3));
        r.reliability = gradeForConfidence(best->confidence);
        r.verdict = QStringLiteral("%1 per %2").arg(scoreName(r.score), source(*best));
        if (best->confidence > 0)
            r.verdict += QStringLiteral(", confidence %1").arg(best->confidence);
    } else {
        r.verdict = s.intel.empty() ? QStringLiteral("not in local intel")
                                    : QStringLiteral("only expired local intel");
    }
    return r;
}

} // namespace causa
