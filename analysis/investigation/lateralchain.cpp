#include "lateralchain.h"

#include "chainbuilder.h"
#include "core/errorcodes.h"
#include "store/chainqueries.h"
#include "store/eventqueries.h"

#include <algorithm>

namespace causa {

const ChainHop *LateralChain::hop(ChainHopKind kind) const
{
    for (const ChainHop &h : hops)
        if (h.kind == kind)
            return &h;
    return nullptr;
}

QStringList LateralChain::unknownHops() const
{
    QStringList out;
    for (const ChainHop &h : hops)
        if (!h.found)
            out << hopKindId(h.kind);
    return out;
}

QList<ChainHopKind> allHopKinds()
{
    return {ChainHopKind::SourceProcess,  ChainHopKind::Logon,          ChainHopKind::ShareAccess,
            ChainHopKind::ServiceBinary,  ChainHopKind::ServiceInstall, ChainHopKind::Pipes,
            ChainHopKind::ServiceChildren};
}

QString hopKindId(ChainHopKind kind)
{
    switch (kind) {
    case ChainHopKind::SourceProcess: return QStringLiteral("source_process");
    case ChainHopKind::Logon: return QStringLiteral("logon");
    case ChainHopKind::ShareAccess: return QStringLiteral("share_access");
    case ChainHopKind::ServiceBinary: return QStringLiteral("service_binary");
    case ChainHopKind::ServiceInstall: return QStringLiteral("service_install");
    case ChainHopKind::Pipes: return QStringLiteral("pipes");
    case ChainHopKind::ServiceChildren: return QStringLiteral("service_children");
    }
    return {};
}

QString hopKindTitle(ChainHopKind kind)
{
    switch (kind) {
    case ChainHopKind::SourceProcess: return QStringLiteral("Source process");
    case ChainHopKind::Logon: return QStringLiteral("Network logon");
    case ChainHopKind::ShareAccess: return QStringLiteral("Admin share access");
    case ChainHopKind::ServiceBinary: return QStringLiteral("Service binary written");
    case ChainHopKind::ServiceInstall: return QStringLiteral("Service installed and started");
    case ChainHopKind::Pipes: return QStringLiteral("Named pipes");
    case ChainHopKind::ServiceChildren: return QStringLiteral("Service children");
    }
    return {};
}

namespace {

Result<void> addChainsOf(const CaseStore &store, const std::vector<ChainEndpoint> &endpoints,
                         qint64 endpointId, const QStringList &hintIps, ChainReport &report)
{
    QString host;
    for (const ChainEndpoint &e : endpoints)
        if (e.id == endpointId)
            host = e.host.isEmpty() ? e.key : e.host;
    report.victimHosts << host;
    auto anchors = chain::findAnchors(store, endpointId);
    if (!anchors)
        return anchors.error();
    for (const chain::Anchor &a : anchors.value()) {
        chain::ChainBuilder builder(store, endpoints, hintIps);
        auto c = builder.build(endpointId, host, a);
        if (!c)
            return c.error();
        report.chains.push_back(std::move(c.value()));
    }
    return {};
}

void sortChains(ChainReport &report)
{
    std::stable_sort(
        report.chains.begin(), report.chains.end(),
        [](const LateralChain &a, const LateralChain &b) { return a.start < b.start; });
}

} // namespace

Result<ChainReport> buildChainsForCase(const CaseStore &store, qint64 caseId)
{
    ChainReport report;
    report.scope = QStringLiteral("case %1").arg(caseId);
    auto ids = eventq::caseEndpointIds(store, caseId);
    if (!ids)
        return ids.error();
    auto hintIps = chainq::caseRemoteIps(store, caseId); // the alerts' view of the source
    if (!hintIps)
        return hintIps.error();
    auto endpoints = chainq::endpoints(store);
    if (!endpoints)
        return endpoints.error();
    for (const qint64 id : ids.value())
        if (auto r = addChainsOf(store, endpoints.value(), id, hintIps.value(), report); !r)
            return r.error();
    sortChains(report);
    return report;
}

Result<ChainReport> buildChainsForHost(const CaseStore &store, const QString &host)
{
    ChainReport report;
    report.scope = QStringLiteral("host ") + host;
    auto id = chainq::endpointIdForHost(store, host);
    if (!id)
        return id.error();
    if (id.value() == 0)
        return makeError(errc::kNotFound, QStringLiteral("no host '%1' in the store").arg(host));
    auto endpoints = chainq::endpoints(store);
    if (!endpoints)
        return endpoints.error();
    if (auto r = addChainsOf(store, endpoints.value(), id.value(), {}, report); !r)
        return r.error();
    sortChains(report);
    return report;
}

} // namespace causa
