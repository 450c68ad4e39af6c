#include "reportformat.h"

#include <QDateTime>

namespace causa::report {

QString displayTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
           QStringLiteral(" UTC");
}

QString displayTimeOfDay(qint64 ms, qint64 day)
{
    if (ms <= 0 || day <= 0)
        return displayTime(ms);
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    if (at.date() != QDateTime::fromMSecsSinceEpoch(day, Qt::UTC).date())
        return displayTime(ms);
    return at.toString(QStringLiteral("HH:mm:ss"));
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(std::max<qint64>(ms, 0), Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

QHash<qint64, IndicatorVerdict> indicatorVerdicts(const ReportData &data)
{
    QHash<qint64, IndicatorVerdict> out;
    auto raise = [&out](qint64 id, int score, const QString &source) {
        IndicatorVerdict &v = out[id];
        if (v.source == QLatin1String("manual"))
            return;
        if (score > v.score || v.source.isEmpty()) {
            v.score = score;
            v.source = source;
        }
    };
    for (const ReportEnrichment &e : data.enrichments)
        raise(e.indicatorId, e.score, QStringLiteral("enrichment: ") + e.provider);
    for (const ReportIntelMatch &m : data.intel)
        raise(m.indicatorId, m.score, QStringLiteral("intel: ") + m.feed);
    for (const CaseIndicator &i : data.indicators)
        if (i.manualScore >= 0)
            out[i.indicatorId] = {i.manualScore, QStringLiteral("manual")};
    return out;
}

} // namespace causa::report
