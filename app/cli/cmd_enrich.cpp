// enrich: the enrichment stage from the command line (SPEC §8).
#include "commands.h"

#include "playbook/workbenchsettings.h"

#include "core/jsonutil.h"
#include "enrichment/enrichmentservice.h"

#include <QDateTime>

namespace causa::cli {

namespace {

QString age(qint64 fetchedAt, qint64 now)
{
    if (fetchedAt <= 0)
        return QStringLiteral("-");
    const qint64 s = std::max<qint64>(0, (now - fetchedAt) / 1000);
    if (s < 120)
        return QStringLiteral("%1s").arg(s);
    if (s < 7200)
        return QStringLiteral("%1m").arg(s / 60);
    if (s < 172800)
        return QStringLiteral("%1h").arg(s / 3600);
    return QStringLiteral("%1d").arg(s / 86400);
}

} // namespace

int cmdEnrich(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    const bool offline = ctx.takeFlag(QStringLiteral("--offline"));
    const bool preview = ctx.takeFlag(QStringLiteral("--preview"));
    const bool cached = ctx.takeFlag(QStringLiteral("--cached"));
    if (ctx.args().size() != 1 || ctx.args().first().startsWith(QLatin1String("--")))
        return ctx.usage(QStringLiteral(
            "enrich needs exactly one CASE (options: --offline --json --preview --cached)"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto caseId = resolveCase(*store.value(), ctx.args().first());
    if (!caseId)
        return ctx.fail(caseId.error());
    // The store's team policy (offline mode, providers, TTL) holds here as in the workbench.
    auto settings = WorkbenchSettings::enrichmentSettings(*store.value());
    if (!settings)
        return ctx.fail(settings.error(), Failure);
    settings->offline = settings->offline || offline;
    EnrichmentService service(*store.value(), settings.value());
    if (preview) {
        const auto requests = service.preview(caseId.value());
        if (asJson) {
            nlohmann::json list = nlohmann::json::array();
            for (const OutboundRequest &r : requests)
                list.push_back(r.toJson());
            ctx.printJson(list);
        } else {
            if (requests.empty())
                ctx.out() << "nothing would be sent" << Qt::endl;
            for (const OutboundRequest &r : requests) {
                ctx.out() << r.method << ' ' << r.url.toString(QUrl::FullyEncoded) << Qt::endl;
                for (const auto &[h, v] : r.headers)
                    ctx.out() << "    " << h << ": " << v << Qt::endl;
            }
        }
        return Ok;
    }
    auto report =
        cached ? service.cachedReport(caseId.value()) : service.enrichCase(caseId.value());
    if (!report)
        return ctx.fail(report.error(), Failure);
    if (asJson) {
        ctx.printJson(report->toJson());
        return Ok;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const QString &note : report->notes)
        ctx.out() << "note: " << note << Qt::endl;
    for (const IndicatorEnrichment &e : report->indicators) {
        QString value = e.value.size() > 70 ? e.value.left(69) + QChar(0x2026) : e.value;
        ctx.out() << QStringLiteral("%1  %2 %3  score %4 (%5)%6")
                         .arg(e.indicatorId, 4)
                         .arg(e.type, -6)
                         .arg(value)
                         .arg(int(e.mergedScore))
                         .arg(scoreName(e.mergedScore))
                         .arg(e.decidedBy.isEmpty() ? QString()
                                                    : QStringLiteral(" by ") + e.decidedBy)
                  << Qt::endl;
        if (e.manualScore >= 0)
            ctx.out() << "        manual: " << scoreName(static_cast<Score>(e.manualScore))
                      << " by " << e.manualBy << ": " << e.manualReason << Qt::endl;
        for (const ProviderResult &r : e.results)
            ctx.out() << QStringLiteral("        %1 [%2] %3 %4 (%5)")
                             .arg(r.provider, -11)
                             .arg(r.reliability)
                             .arg(r.error.isEmpty() ? scoreName(r.score) : QStringLiteral("error"))
                             .arg(r.error.isEmpty() ? r.verdict : r.error)
                             .arg(age(r.fetchedAt, now))
                      << Qt::endl;
        for (const Withheld &w : e.withheld)
            ctx.out() << "        " << w.provider << ": not sent (" << w.reason << ")" << Qt::endl;
    }
    return Ok;
}

} // namespace causa::cli
