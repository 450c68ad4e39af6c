// The source side of a chain: which host started it, and its process that did.
#include "chainbuilder.h"

#include "core/indicatorutil.h"

#include <QRegularExpression>

namespace causa::chain {

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kLead = 10 * kMinute;

QString commandLineOf(const Evidence &e)
{
    return e.field("CommandLine");
}

qint64 processIdOf(const Evidence &e)
{
    return e.row->code == 4688 ? e.pid("NewProcessId") : e.pid("ProcessId");
}

QString imageOf(const Evidence &e)
{
    return e.row->code == 4688 ? e.field("NewProcessName") : e.field("Image");
}

} // namespace

void ChainBuilder::resolveSource()
{
    // Strongest first: PsExec's pipe names carry the client's host name; then the logon's
    // workstation; then an endpoint that owns the source address; a loopback address is the
    // victim itself.
    QString how;
    if (!m_pipeClientHost.isEmpty()) {
        m_chain.sourceHost = m_pipeClientHost;
        how = QStringLiteral("named by the service's pipe names");
    } else if (!m_workstation.isEmpty()) {
        m_chain.sourceHost = m_workstation;
        how = QStringLiteral("named by the logon's WorkstationName");
    } else if (!m_chain.sourceIp.isEmpty() && isLocalAddress(m_chain.sourceIp)) {
        m_chain.sourceHost = m_chain.victimHost;
        how = QStringLiteral("the share session came from a loopback address");
    } else if (!m_chain.sourceIp.isEmpty()) {
        for (const ChainEndpoint &e : m_endpoints) {
            const QStringList ips =
                e.ips.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
            for (const QString &ip : ips)
                if (normaliseIp(ip) == m_chain.sourceIp && m_chain.sourceHost.isEmpty()) {
                    m_chain.sourceHost = e.host.isEmpty() ? e.key : e.host;
                    how = QStringLiteral("the store's endpoint with address %1")
                              .arg(m_chain.sourceIp);
                }
        }
    }
    const QString sourceKey =
        m_chain.sourceHost.isEmpty() ? QString() : indicator::endpointKey(m_chain.sourceHost);
    for (const ChainEndpoint &e : m_endpoints)
        if (!sourceKey.isEmpty() && (e.key == sourceKey || sameHost(e.host, m_chain.sourceHost))) {
            m_chain.sourceEndpointId = e.id;
            if (!e.host.isEmpty())
                m_chain.sourceHost = e.host;
        }
    if (!how.isEmpty())
        m_chain.notes << QStringLiteral("source host %1: %2").arg(m_chain.sourceHost, how);
    if (m_chain.sourceHost.isEmpty())
        m_chain.notes << (m_chain.sourceIp.isEmpty()
                              ? QStringLiteral(
                                    "source host unknown: no event names its address or name")
                              : QStringLiteral("source host unknown: only its address %1 is known")
                                    .arg(m_chain.sourceIp));
}

const Evidence *ChainBuilder::pickSourceProcess(const std::vector<Evidence> &rows) const
{
    const QString victim = m_chain.victimHost.section(QLatin1Char('.'), 0, 0).toLower();
    const bool loopback = sameHost(m_chain.sourceHost, m_chain.victimHost);
    const Evidence *byPid = nullptr;
    const Evidence *byName = nullptr;
    for (const Evidence &e : rows) {
        if (e.row->code != 1 && e.row->code != 4688)
            continue;
        // The pipe names carry the client's process id: the strongest tie (Sysmon's record
        // first: its GUID key is the tree node).
        if (m_pipeClientPid >= 0 && processIdOf(e) == m_pipeClientPid &&
            (!byPid || (byPid->row->code != 1 && e.row->code == 1)))
            byPid = &e;
        const QString cmd = commandLineOf(e).toLower();
        if (!byName && isLauncherImage(imageOf(e), cmd) && (loopback || cmd.contains(victim)))
            byName = &e;
    }
    if (byPid)
        return byPid;
    if (byName)
        return byName;
    // Else the process that opened SMB to the victim (Sysmon 3 to port 445 by name or address).
    QStringList victimIps;
    for (const ChainEndpoint &ep : m_endpoints)
        if (ep.id == m_chain.victimEndpointId)
            for (const QString &ip :
                 ep.ips.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts))
                victimIps << normaliseIp(ip);
    for (const Evidence &e : rows) {
        if (e.row->code != 3 || e.field("DestinationPort").trimmed() != QLatin1String("445"))
            continue;
        if (!sameHost(e.field("DestinationHostname"), m_chain.victimHost) &&
            !victimIps.contains(normaliseIp(e.field("DestinationIp"))))
            continue;
        for (const Evidence &c : rows)
            if (c.row->code == 1 && !e.row->processKey.isEmpty() &&
                c.row->processKey == e.row->processKey)
                return &c;
        return &e;
    }
    return nullptr;
}

Result<void> ChainBuilder::sourceProcessHop()
{
    ChainHop &h = hop(ChainHopKind::SourceProcess);
    h.host = m_chain.sourceHost;
    if (m_chain.sourceEndpointId == 0) {
        h.unknown =
            m_chain.sourceHost.isEmpty()
                ? QStringLiteral(
                      "the source host is not identified, so its process cannot be looked up")
                : QStringLiteral(
                      "no events from %1 in the store (only the victim's logs were imported)")
                      .arg(m_chain.sourceHost);
        return {};
    }
    ChainEventFilter f;
    f.endpointIds = {m_chain.sourceEndpointId};
    f.codes = {1, 4688, 3};
    f.from = qMin(m_tSec, m_tSys) - kLead;
    f.to = qMax(m_tSec, m_tSys) + kMinute;
    auto rows = chainq::events(m_store, f);
    if (!rows)
        return rows.error();
    m_srcRows = std::move(rows.value());
    m_src = parseRows(m_srcRows);
    m_chain.sourceLogsPresent = !m_src.empty();
    const Evidence *p = pickSourceProcess(m_src);
    if (!p) {
        h.unknown =
            m_src.empty()
                ? QStringLiteral(
                      "no events from %1 in the store around the install (its own logs were not "
                      "imported)")
                      .arg(m_chain.sourceHost)
                : QStringLiteral(
                      "%1's events around the install hold no PsExec-like process naming %2")
                      .arg(m_chain.sourceHost, m_chain.victimHost);
        return {};
    }
    for (const Evidence &e : m_src) // the launch (as each log saw it) and its SMB connections
        if (e.row == p->row ||
            ((e.row->code == 1 || e.row->code == 4688) && p->row->code != 3 &&
             processIdOf(e) == processIdOf(*p) &&
             baseNameLower(imageOf(e)) == baseNameLower(imageOf(*p))) ||
            (e.row->code == 3 && !p->row->processKey.isEmpty() &&
             e.row->processKey == p->row->processKey &&
             e.field("DestinationPort").trimmed() == QLatin1String("445")))
            addToHop(h, e);
    h.processKey = p->row->processKey;
    m_chain.sourceProcessKey = h.processKey;
    h.user = p->user();
    h.detail = QStringLiteral("%1: %2").arg(imageOf(*p), commandLineOf(*p));
    return {};
}

void ChainBuilder::finish()
{
    for (const ChainHopKind k : {ChainHopKind::Logon, ChainHopKind::ShareAccess,
                                 ChainHopKind::ServiceInstall, ChainHopKind::SourceProcess}) {
        const ChainHop &h = hop(k);
        if (h.found && !h.user.isEmpty()) {
            m_chain.user = h.user;
            break;
        }
    }
    for (ChainHop &h : m_chain.hops) {
        if (h.host.isEmpty())
            h.host =
                h.kind == ChainHopKind::SourceProcess ? m_chain.sourceHost : m_chain.victimHost;
        if (!h.found)
            continue;
        if (m_chain.start == 0 || h.first < m_chain.start)
            m_chain.start = h.first;
        m_chain.end = qMax(m_chain.end, h.last);
    }
}

} // namespace causa::chain
