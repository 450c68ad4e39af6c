#include "hunt.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "store/eventqueries.h"
#include "store/huntevents.h"
#include "xdralert.h"

#include <QDateTime>
#include <QMap>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace causa::sigma {

namespace {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// "unsupported logsource service 'x'" and "unknown modifier 'y'" counted under their kind.
QString reasonKind(const QString &reason)
{
    const qsizetype quote = reason.indexOf(QLatin1Char('\''));
    const qsizetype colon = reason.indexOf(QLatin1Char(':'));
    qsizetype cut = quote;
    if (colon >= 0 && (cut < 0 || colon < cut))
        cut = colon;
    return (cut > 0 ? reason.left(cut) : reason).trimmed();
}

Result<void> scanEvents(CaseStore &store, SigmaMatcher &matcher, const QList<qint64> &endpoints,
                        bool everyEndpoint, const HuntScope &scope, HuntReport &report)
{
    SigmaMatcher::EventMeta meta;
    auto rows =
        eventq::forEachEvent(store, endpoints, everyEndpoint, [&](const StoredEventRow &row) {
            if (scope.cancelled && scope.cancelled()) {
                report.cancelled = true;
                return false;
            }
            meta.host = row.host;
            meta.ts = row.ts;
            meta.eventId = row.id;
            if (matcher.match(std::string_view(row.data.constData(), size_t(row.data.size())), meta,
                              report.matches) < 0)
                ++report.eventsUnreadable;
            return true;
        });
    if (!rows)
        return rows.error();
    report.eventsScanned = rows.value();
    return {};
}

Result<void> scanAlerts(CaseStore &store, SigmaMatcher &matcher, const QList<qint64> &endpoints,
                        bool everyEndpoint, const HuntScope &scope, HuntReport &report)
{
    SigmaMatcher::EventMeta meta;
    auto rows = eventq::forEachAlert(store, scope.caseId, endpoints, everyEndpoint,
                                     [&](const StoredAlertRow &a) {
                                         if (scope.cancelled && scope.cancelled()) {
                                             report.cancelled = true;
                                             return false;
                                         }
                                         meta.host = a.host;
                                         meta.ts = a.ts;
                                         const size_t first = report.matches.size();
                                         matcher.match(xdrAlertEvent(a), meta, report.matches);
                                         for (size_t i = first; i < report.matches.size(); ++i) {
                                             SigmaMatch &m = report.matches[i];
                                             m.source = MatchSource::Alert;
                                             m.alertRow = a.id;
                                             m.alertId = a.alertId;
                                             m.alertName = a.name;
                                             m.eventCode = 0;
                                             m.channel = QStringLiteral("XDR alert");
                                         }
                                         return true;
                                     });
    if (!rows)
        return rows.error();
    report.alertsScanned = rows.value();
    return {};
}

} // namespace

Result<HuntReport> huntStore(CaseStore &store, const RuleSet &rules, const HuntScope &scope)
{
    HuntReport report;
    report.rulesLoaded = int(rules.rules().size());
    report.skipped = rules.skipped();
    QList<qint64> endpoints;
    const bool everyEndpoint = scope.caseId <= 0 && scope.host.isEmpty();
    if (scope.caseId > 0) {
        auto ids = eventq::caseEndpointIds(store, scope.caseId);
        if (!ids)
            return ids.error();
        endpoints = ids.value();
    } else if (!scope.host.isEmpty()) {
        auto id = eventq::endpointIdForHost(store, scope.host);
        if (!id)
            return id.error();
        if (id.value() == 0)
            return makeError(errc::kNotFound,
                             QStringLiteral("no events from host '%1'").arg(scope.host));
        endpoints << id.value();
    }
    SigmaMatcher matcher(rules);
    if (auto r = scanEvents(store, matcher, endpoints, everyEndpoint, scope, report); !r)
        return r.error();
    if (scope.alerts && !report.cancelled)
        if (auto r = scanAlerts(store, matcher, endpoints, everyEndpoint, scope, report); !r)
            return r.error();
    std::stable_sort(report.matches.begin(), report.matches.end(),
                     [](const SigmaMatch &a, const SigmaMatch &b) {
                         return std::tie(a.host, a.ts, a.eventId, a.alertRow, a.ruleIndex) <
                                std::tie(b.host, b.ts, b.eventId, b.alertRow, b.ruleIndex);
                     });
    return report;
}

nlohmann::json toJson(const SigmaMatch &m)
{
    nlohmann::json fields = nlohmann::json::array();
    for (const MatchedField &f : m.fields)
        fields.push_back({{"selection", js::toStd(f.selection)},
                          {"field", js::toStd(f.field)},
                          {"event_field", js::toStd(f.eventField)},
                          {"test", js::toStd(f.test)},
                          {"value", js::toStd(f.value)}});
    nlohmann::json tags = nlohmann::json::array();
    for (const QString &t : m.tags)
        tags.push_back(js::toStd(t));
    const bool alert = m.source == MatchSource::Alert;
    nlohmann::json out = {{"source", alert ? "alert" : "event"},
                          {"rule_id", js::toStd(m.ruleId)},
                          {"title", js::toStd(m.title)},
                          {"level", js::toStd(m.level)},
                          {"tags", tags},
                          {"author", js::toStd(m.author)},
                          {"credit", js::toStd(m.credit)},
                          {"rule_path", js::toStd(m.rulePath)},
                          {"host", js::toStd(m.host)},
                          {"ts", js::toStd(isoTime(m.ts))},
                          {"ts_ms", m.ts},
                          {"event", m.eventId},
                          {"event_code", m.eventCode},
                          {"channel", js::toStd(m.channel)},
                          {"target", js::toStd(m.target)},
                          {"fields", fields}};
    if (alert) {
        out["alert"] = js::toStd(m.alertId);
        out["alert_row"] = m.alertRow;
        out["alert_name"] = js::toStd(m.alertName);
    }
    return out;
}

nlohmann::json toJson(const HuntReport &r)
{
    nlohmann::json skipped = nlohmann::json::array();
    for (const SkippedRule &s : r.skipped)
        skipped.push_back({{"path", js::toStd(s.path)}, {"reason", js::toStd(s.reason)}});
    nlohmann::json matches = nlohmann::json::array();
    for (const SigmaMatch &m : r.matches)
        matches.push_back(toJson(m));
    return {{"rules_loaded", r.rulesLoaded},     {"rules_skipped", skipped},
            {"events_scanned", r.eventsScanned}, {"events_unreadable", r.eventsUnreadable},
            {"alerts_scanned", r.alertsScanned}, {"matches", matches}};
}

QString toText(const HuntReport &r)
{
    QString out;
    out += QStringLiteral("rules loaded: %1, skipped: %2, events scanned: %3, matches: %4")
               .arg(r.rulesLoaded)
               .arg(r.skipped.size())
               .arg(r.eventsScanned)
               .arg(r.matches.size());
    out += QStringLiteral(", alerts scanned: %1\n").arg(r.alertsScanned);
    QMap<QString, int> kinds;
    for (const SkippedRule &s : r.skipped)
        ++kinds[reasonKind(s.reason)];
    std::vector<std::pair<int, QString>> top;
    for (auto it = kinds.cbegin(); it != kinds.cend(); ++it)
        top.emplace_back(it.value(), it.key());
    std::sort(top.begin(), top.end(),
              [](const auto &a, const auto &b) { return a.first > b.first; });
    for (size_t i = 0; i < std::min<size_t>(top.size(), 8); ++i)
        out += QStringLiteral("  skipped %1 x %2\n").arg(top[i].first).arg(top[i].second);
    for (const SigmaMatch &m : r.matches) {
        const QString what =
            m.source == MatchSource::Alert
                ? QStringLiteral("XDR alert %1").arg(m.alertId)
                : QStringLiteral("event %1 (%2 %3)")
                      .arg(QString::number(m.eventId), m.channel, QString::number(m.eventCode));
        out += QStringLiteral("\n[%1] %2  (%3)\n  %4  host %5  %6\n  %7\n")
                   .arg(m.level, m.title, m.ruleId, isoTime(m.ts), m.host, what, m.credit);
        if (!m.tags.isEmpty())
            out +=
                QStringLiteral("  tags: ") + m.tags.join(QStringLiteral(", ")) + QLatin1Char('\n');
        for (const MatchedField &f : m.fields)
            out +=
                QStringLiteral("  %1: %2 %3 <- %4\n")
                    .arg(f.selection, f.field.isEmpty() ? f.eventField : f.field, f.test, f.value);
    }
    return out;
}

} // namespace causa::sigma
