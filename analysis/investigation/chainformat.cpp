// The chain as JSON (causa-cli chain --json) and as text.
#include "lateralchain.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

namespace causa {

namespace {

std::string s(const QString &v)
{
    return v.toStdString();
}

nlohmann::json orNull(const QString &v)
{
    return v.isEmpty() ? nlohmann::json() : nlohmann::json(s(v));
}

QString utc(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                    .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz"))
              : QStringLiteral("-");
}

nlohmann::json hopJson(const ChainHop &h)
{
    nlohmann::json events = nlohmann::json::array();
    for (const ChainEvent &e : h.events)
        events.push_back({{"id", e.id},
                          {"code", e.code},
                          {"ts", e.ts},
                          {"host", s(e.host)},
                          {"user", s(e.user)},
                          {"summary", s(e.summary)},
                          {"process_key", orNull(e.processKey)}});
    return {{"hop", s(hopKindId(h.kind))},
            {"title", s(hopKindTitle(h.kind))},
            {"host", s(h.host)},
            {"found", h.found},
            {"first", h.first},
            {"last", h.last},
            {"user", s(h.user)},
            {"detail", s(h.detail)},
            {"unknown", orNull(h.unknown)},
            {"process_key", orNull(h.processKey)},
            {"events", events}};
}

} // namespace

nlohmann::json toJson(const ChainReport &report)
{
    nlohmann::json chains = nlohmann::json::array();
    for (const LateralChain &c : report.chains) {
        nlohmann::json hops = nlohmann::json::array();
        for (const ChainHop &h : c.hops)
            hops.push_back(hopJson(h));
        nlohmann::json notes = nlohmann::json::array(), unknown = nlohmann::json::array();
        for (const QString &n : c.notes)
            notes.push_back(s(n));
        for (const QString &u : c.unknownHops())
            unknown.push_back(s(u));
        chains.push_back(
            {{"victim",
              {{"host", s(c.victimHost)},
               {"endpoint_id", c.victimEndpointId},
               {"process_key", orNull(c.victimProcessKey)}}},
             {"source",
              {{"host", orNull(c.sourceHost)},
               {"ip", orNull(c.sourceIp)},
               {"endpoint_id",
                c.sourceEndpointId ? nlohmann::json(c.sourceEndpointId) : nlohmann::json()},
               {"process_key", orNull(c.sourceProcessKey)},
               {"logs_present", c.sourceLogsPresent}}},
             {"user", orNull(c.user)},
             {"service",
              {{"name", s(c.serviceName)}, {"image", s(c.serviceImage)}, {"tool", s(c.tool)}}},
             {"start", c.start},
             {"end", c.end},
             {"notes", notes},
             {"unknown", unknown},
             {"hops", hops}});
    }
    nlohmann::json victims = nlohmann::json::array();
    for (const QString &v : report.victimHosts)
        victims.push_back(s(v));
    return {{"scope", s(report.scope)}, {"victims", victims}, {"chains", chains}};
}

QString toText(const ChainReport &report)
{
    QString out;
    if (report.chains.empty())
        return QStringLiteral("no PsExec-like service execution found on %1\n")
            .arg(report.victimHosts.isEmpty() ? report.scope
                                              : report.victimHosts.join(QStringLiteral(", ")));
    for (const LateralChain &c : report.chains) {
        out += QStringLiteral("%1 (%2) -> %3  service %4 [%5]  user %6\n")
                   .arg(c.sourceHost.isEmpty() ? QStringLiteral("unknown source") : c.sourceHost,
                        c.sourceIp.isEmpty() ? QStringLiteral("address unknown") : c.sourceIp,
                        c.victimHost, c.serviceName, c.tool,
                        c.user.isEmpty() ? QStringLiteral("unknown") : c.user);
        for (const QString &n : c.notes)
            out += QStringLiteral("  note: ") + n + QLatin1Char('\n');
        for (const ChainHop &h : c.hops) {
            if (!h.found) {
                out += QStringLiteral("  [unknown] %1 on %2: %3\n")
                           .arg(hopKindTitle(h.kind), h.host, h.unknown);
                continue;
            }
            out +=
                QStringLiteral("  [%1] %2 on %3, %4 .. %5%6: %7\n")
                    .arg(hopKindId(h.kind), hopKindTitle(h.kind), h.host, utc(h.first), utc(h.last),
                         h.user.isEmpty() ? QString() : QStringLiteral(", ") + h.user, h.detail);
            for (const ChainEvent &e : h.events)
                out += QStringLiteral("      #%1 %2 %3 %4\n")
                           .arg(e.id)
                           .arg(e.code)
                           .arg(utc(e.ts), e.summary);
        }
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace causa
