#include "forestbuilder.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "store/casestore.h"
#include "store/eventqueries.h"

#include <QDateTime>
#include <QSet>

#include <nlohmann/json.hpp>

namespace causa {

namespace {

std::string isoTime(qint64 ms)
{
    if (ms <= 0)
        return {};
    return js::toStd(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs));
}

nlohmann::json strings(const QStringList &list)
{
    nlohmann::json a = nlohmann::json::array();
    for (const QString &s : list)
        a.push_back(js::toStd(s));
    return a;
}

} // namespace

Result<ScopedForest> forestForCase(CaseStore &store, qint64 caseId)
{
    auto endpoints = eventq::caseEndpointIds(store, caseId);
    if (!endpoints)
        return endpoints.error();
    auto input = eventq::loadForestInput(store, endpoints.value());
    if (!input)
        return input.error();
    ScopedForest out;
    out.forest = ProcessForest::build(std::move(input.value()));
    auto keys = eventq::caseAlertProcessKeys(store, caseId);
    if (!keys)
        return keys.error();
    QSet<int> roots;
    for (const QString &k : keys.value()) {
        int i = out.forest.indexOf(k);
        if (i < 0)
            continue;
        while (out.forest.node(i).parent() >= 0)
            i = out.forest.node(i).parent();
        roots.insert(i);
    }
    for (const int r : out.forest.roots())
        if (roots.isEmpty() || roots.contains(r))
            out.roots.push_back(r);
    for (int i = 0; i < out.forest.size(); ++i)
        if (const QString &host = out.forest.node(i).endpointKey(); !out.hosts.contains(host))
            out.hosts << host;
    return out;
}

Result<ScopedForest> forestForHost(CaseStore &store, const QString &host)
{
    auto id = eventq::endpointIdForHost(store, host);
    if (!id)
        return id.error();
    if (id.value() == 0)
        return makeError(errc::kNotFound,
                         QStringLiteral("no endpoint named '%1' in the store").arg(host));
    auto input = eventq::loadForestInput(store, {id.value()});
    if (!input)
        return input.error();
    ScopedForest out;
    out.forest = ProcessForest::build(std::move(input.value()));
    out.roots.assign(out.forest.roots().begin(), out.forest.roots().end());
    out.hosts << host;
    return out;
}

nlohmann::json nodeToJson(const ProcessForest &forest, int index, int depthLeft)
{
    const ProcessNode n = forest.node(index);
    const auto &events = forest.events();
    auto list = [&events](std::span<const int> ids, bool useName) {
        nlohmann::json a = nlohmann::json::array();
        for (const int e : ids) {
            const ForestEvent &ev = events[size_t(e)];
            a.push_back(js::toStd(useName && !ev.name.isEmpty() ? ev.name : ev.summary));
        }
        return a;
    };
    nlohmann::json network = nlohmann::json::array();
    for (const int e : n.network()) {
        const ForestEvent &ev = events[size_t(e)];
        network.push_back({{"time", isoTime(ev.ts)},
                           {"remote_ip", js::toStd(ev.remoteIp)},
                           {"remote_port", ev.remotePort},
                           {"summary", js::toStd(ev.summary)}});
    }
    nlohmann::json services = nlohmann::json::array();
    for (const int e : n.services()) {
        const ForestEvent &ev = events[size_t(e)];
        services.push_back({{"name", js::toStd(ev.name)},
                            {"image_path", js::toStd(ev.imagePath)},
                            {"event_code", ev.code},
                            {"time", isoTime(ev.ts)}});
    }
    nlohmann::json alerts = nlohmann::json::array();
    for (const ForestAlertLink &a : n.alerts())
        alerts.push_back({{"id", a.alertId},
                          {"case_id", a.caseId},
                          {"name", js::toStd(a.name)},
                          {"severity", js::toStd(severityName(a.severity))},
                          {"role", js::toStd(a.role)}});
    nlohmann::json j = {
        {"key", js::toStd(n.key())},
        {"image", js::toStd(n.imageName())},
        {"image_path", js::toStd(n.imagePath())},
        {"pid", n.pid()},
        {"user", js::toStd(n.user())},
        {"start_time", isoTime(n.startedAt())},
        {"started_at", n.startedAt()},
        {"ended_at", n.endedAt()},
        {"command_line", js::toStd(n.commandLine())},
        {"sha256", js::toStd(n.sha256())},
        {"signature_status", js::toStd(n.signatureStatus())},
        {"signature_vendor", js::toStd(n.signatureVendor())},
        {"sources", strings(n.sources())},
        {"merged_keys", strings(n.otherKeys())},
        {"badges", strings(badgeNames(n.badges()))},
        {"alerts", alerts},
        {"network", network},
        {"pipes", list(n.pipes(), true)},
        {"files", list(n.files(), true)},
        {"registry", list(n.registry(), false)},
        {"services", services},
    };
    nlohmann::json children = nlohmann::json::array();
    if (depthLeft > 0) {
        for (const int c : forest.children(index))
            children.push_back(nodeToJson(forest, c, depthLeft - 1));
    } else if (n.childCount() > 0) {
        j["children_truncated"] = n.childCount();
    }
    j["children"] = std::move(children);
    return j;
}

nlohmann::json toJson(const ProcessForest &forest, const std::vector<int> &roots)
{
    nlohmann::json a = nlohmann::json::array();
    for (const int r : roots)
        a.push_back(nodeToJson(forest, r, 256));
    return a;
}

QString toText(const ProcessForest &forest, const std::vector<int> &roots, int commandWidth)
{
    QString out;
    std::vector<std::pair<int, int>> stack; // node, depth
    for (auto it = roots.rbegin(); it != roots.rend(); ++it)
        stack.emplace_back(*it, 0);
    while (!stack.empty()) {
        const auto [i, depth] = stack.back();
        stack.pop_back();
        const ProcessNode n = forest.node(i);
        out += QString(depth * 2, QLatin1Char(' '));
        out += (n.imageName().isEmpty() ? QStringLiteral("?") : n.imageName()) +
               QStringLiteral(" [") +
               (n.pid() >= 0 ? QString::number(n.pid()) : QStringLiteral("-")) + QLatin1Char(']');
        if (n.startedAt() > 0)
            out += QLatin1Char(' ') + QDateTime::fromMSecsSinceEpoch(n.startedAt(), Qt::UTC)
                                          .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        if (!n.user().isEmpty())
            out += QLatin1Char(' ') + n.user();
        const QStringList badges = badgeNames(n.badges());
        if (!badges.isEmpty())
            out += QStringLiteral(" {") + badges.join(QLatin1Char(',')) + QLatin1Char('}');
        QString cmd = n.commandLine().simplified();
        if (cmd.size() > commandWidth)
            cmd = cmd.left(commandWidth - 1) + QChar(0x2026);
        if (!cmd.isEmpty())
            out += QStringLiteral("  ") + cmd;
        out += QLatin1Char('\n');
        const QString pad = QString(depth * 2 + 4, QLatin1Char(' '));
        // An install is often reported twice (System 7045 and Security 4697): the code says which.
        for (const int e : n.services())
            out += pad + QStringLiteral("service (%1): ").arg(forest.events()[size_t(e)].code) +
                   forest.events()[size_t(e)].summary + QLatin1Char('\n');
        for (const int e : n.pipes())
            out += pad + QStringLiteral("pipe: ") + forest.events()[size_t(e)].summary +
                   QLatin1Char('\n');
        for (const int e : n.network())
            out += pad + QStringLiteral("net: ") + forest.events()[size_t(e)].summary +
                   QLatin1Char('\n');
        for (const int e : n.files())
            out += pad + QStringLiteral("file: ") + forest.events()[size_t(e)].summary +
                   QLatin1Char('\n');
        for (const ForestAlertLink &a : n.alerts())
            out += pad + QStringLiteral("alert ") + QString::number(a.alertId) +
                   QStringLiteral(" (") + a.role + QStringLiteral("): ") + a.name +
                   QLatin1Char('\n');
        const auto kids = forest.children(i);
        for (auto it = kids.rbegin(); it != kids.rend(); ++it)
            stack.emplace_back(*it, depth + 1);
    }
    return out;
}

} // namespace causa
