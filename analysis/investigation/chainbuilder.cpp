#include "chainbuilder.h"

#include "events/eventfields.h"

#include <QHash>

#include <algorithm>

namespace causa::chain {

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kLead = 10 * kMinute; // logon, share access and the binary come before the install
constexpr qint64 kTail = 60 * kMinute; // pipes and children come after it
// Exports mix clocks (Security in local time, Sysmon in UTC): the service's own start is
// looked for this far on either side of the install.
constexpr qint64 kClockSearch = 14 * 60 * kMinute;

bool isAdminShare(const QString &share)
{
    const QString s = share.toUpper();
    return s.endsWith(QLatin1String("ADMIN$")) || s.endsWith(QLatin1String("IPC$")) ||
           s.endsWith(QLatin1String("C$"));
}

bool parentIsServices(const Evidence &e)
{
    const QString parent = e.row->code == 1 ? e.field("ParentImage") : e.field("ParentProcessName");
    return baseNameLower(parent) == QLatin1String("services.exe");
}

QString imageOf(const Evidence &e)
{
    return e.row->code == 4688 ? e.field("NewProcessName") : e.field("Image");
}

QString formatShift(qint64 ms)
{
    const qint64 minutes = qAbs(ms) / kMinute;
    return QStringLiteral("%1%2 h %3 min")
        .arg(ms < 0 ? QStringLiteral("-") : QString())
        .arg(minutes / 60)
        .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

Result<std::vector<Anchor>> findAnchors(const CaseStore &store, qint64 endpointId)
{
    ChainEventFilter f;
    f.endpointIds = {endpointId};
    f.codes = {7045, 4697};
    auto rows = chainq::events(store, f);
    if (!rows)
        return rows.error();
    const std::vector<Evidence> installs = parseRows(rows.value());
    std::vector<Anchor> anchors;
    for (const Evidence &e : installs) {
        const QString name = e.field("ServiceName");
        const QString image = events::undoublePercent(
            e.row->code == 7045 ? e.field("ImagePath") : e.field("ServiceFileName"));
        if (!isLateralService(name, image))
            continue;
        // 7045 and 4697 of one install arrive within moments: one anchor.
        auto same = std::find_if(anchors.begin(), anchors.end(), [&](const Anchor &a) {
            return a.service.compare(name, Qt::CaseInsensitive) == 0 &&
                   qAbs(e.row->ts - a.tSecurity) <= 2 * kMinute;
        });
        if (same == anchors.end()) {
            Anchor a;
            a.service = name;
            a.image = image;
            a.binary = baseNameLower(image);
            a.tSecurity = e.row->ts;
            anchors.push_back(std::move(a));
            same = anchors.end() - 1;
        }
        same->installs.push_back(*e.row);
    }
    if (!anchors.empty())
        return anchors;
    // Without service-install logs, the first remote-execution pipe of each client process.
    f.codes = {17};
    auto pipes = chainq::events(store, f);
    if (!pipes)
        return pipes.error();
    QSet<QString> seen;
    for (const Evidence &e : parseRows(pipes.value())) {
        const PipeName p = parsePipe(e.field("PipeName"), QString());
        const QString key = p.prefix.toLower() + QLatin1Char('|') + p.clientHost.toLower() +
                            QLatin1Char('|') + QString::number(p.clientPid);
        if (!p.lateral || seen.contains(key))
            continue;
        seen.insert(key);
        Anchor a;
        a.service = p.prefix;
        a.binary = baseNameLower(e.field("Image"));
        a.image = e.field("Image");
        a.tSysmon = e.row->ts;
        anchors.push_back(std::move(a));
    }
    return anchors;
}

ChainBuilder::ChainBuilder(const CaseStore &store, const std::vector<ChainEndpoint> &endpoints,
                           const QStringList &hintIps)
    : m_store(store), m_endpoints(endpoints)
{
    for (const QString &ip : hintIps)
        m_hintIps << normaliseIp(ip);
}

ChainHop &ChainBuilder::hop(ChainHopKind kind)
{
    for (ChainHop &h : m_chain.hops)
        if (h.kind == kind)
            return h;
    Q_ASSERT(false); // every kind gets a hop in build()
    return m_chain.hops.front();
}

Result<LateralChain> ChainBuilder::build(qint64 victimId, const QString &victimHost,
                                         const Anchor &anchor)
{
    m_anchor = anchor;
    m_chain = LateralChain();
    m_chain.victimHost = victimHost;
    m_chain.victimEndpointId = victimId;
    m_chain.serviceName = anchor.service;
    m_chain.serviceImage = anchor.image;
    m_chain.tool = toolFor(anchor.service, anchor.image);
    for (const ChainHopKind k : allHopKinds()) {
        ChainHop h;
        h.kind = k;
        m_chain.hops.push_back(h);
    }
    if (auto r = loadVictim(); !r)
        return r.error();
    serviceInstallHop();
    shareHop();
    logonHop();
    binaryHop();
    pipesHop();
    childrenHop();
    resolveSource();
    if (auto r = sourceProcessHop(); !r)
        return r.error();
    finish();
    return m_chain;
}

Result<void> ChainBuilder::loadVictim()
{
    const qint64 tRef = m_anchor.tSecurity ? m_anchor.tSecurity : m_anchor.tSysmon;
    ChainEventFilter f;
    f.endpointIds = {m_chain.victimEndpointId};
    if (!m_anchor.binary.isEmpty()) {
        f.codes = {1};
        f.from = tRef - kClockSearch;
        f.to = tRef + kClockSearch;
        f.summaryPrefix = m_anchor.binary + QLatin1Char(':');
        auto rows = chainq::events(m_store, f);
        if (!rows)
            return rows.error();
        m_startRows = std::move(rows.value());
        m_start = parseRows(m_startRows);
        for (const Evidence &e : m_start) // the start nearest the install on either clock
            if (parentIsServices(e) &&
                (!m_serviceSysmon ||
                 qAbs(e.row->ts - tRef) < qAbs(m_serviceSysmon->row->ts - tRef)))
                m_serviceSysmon = &e;
        f.summaryPrefix.clear();
    }
    m_tSys =
        m_anchor.tSysmon ? m_anchor.tSysmon : (m_serviceSysmon ? m_serviceSysmon->row->ts : tRef);
    m_tSec = m_anchor.tSecurity ? m_anchor.tSecurity : m_tSys;
    const qint64 shift = m_tSys - m_tSec;
    if (m_anchor.tSecurity && m_serviceSysmon && qAbs(shift) > 2 * kMinute)
        m_chain.notes << QStringLiteral(
                             "Sysmon and Security/System times differ by %1 on %2 (one log "
                             "is in local time): Sysmon hops are matched around the service's "
                             "own start")
                             .arg(formatShift(shift), m_chain.victimHost);
    f.codes = {4624, 5140, 5145, 4688};
    f.from = m_tSec - kLead;
    f.to = m_tSec + kTail;
    auto sec = chainq::events(m_store, f);
    if (!sec)
        return sec.error();
    m_secRows = std::move(sec.value());
    m_sec = parseRows(m_secRows);
    f.codes = {1, 3, 11, 17, 18};
    f.from = m_tSys - kLead;
    f.to = m_tSys + kTail;
    auto sys = chainq::events(m_store, f);
    if (!sys)
        return sys.error();
    m_sysRows = std::move(sys.value());
    m_sys = parseRows(m_sysRows);
    return {};
}

void ChainBuilder::serviceInstallHop()
{
    ChainHop &h = hop(ChainHopKind::ServiceInstall);
    const std::vector<Evidence> installs = parseRows(m_anchor.installs);
    for (const Evidence &e : installs)
        addToHop(h, e);
    // The service process that services.exe started for it, as Security saw it.
    for (const Evidence &e : m_sec)
        if (e.row->code == 4688 && baseNameLower(imageOf(e)) == m_anchor.binary &&
            parentIsServices(e) && e.row->ts >= m_tSec - 5000 && !m_serviceSecurity)
            m_serviceSecurity = &e;
    if (m_serviceSysmon)
        addToHop(h, *m_serviceSysmon);
    if (m_serviceSecurity)
        addToHop(h, *m_serviceSecurity);
    h.processKey = m_serviceSysmon
                       ? m_serviceSysmon->row->processKey
                       : (m_serviceSecurity ? m_serviceSecurity->row->processKey : QString());
    m_chain.victimProcessKey = h.processKey;
    for (const Evidence &e : installs) // 4697 names the account that installed it; 7045 does not
        if (e.row->code == 4697 && !e.user().isEmpty())
            h.user = e.user();
    h.detail = QStringLiteral("service %1 → %2").arg(m_anchor.service, m_anchor.image);
    if (!m_serviceSysmon && !m_serviceSecurity)
        h.detail += QStringLiteral("; no process start of %1 by services.exe in the store")
                        .arg(m_anchor.binary);
    if (m_anchor.installs.empty())
        h.unknown =
            QStringLiteral("no 7045/4697 service install in the store; the service is known "
                           "from its pipes");
}

void ChainBuilder::noteClientFromPipe(const QString &pipe)
{
    const PipeName p = parsePipe(pipe, m_anchor.service);
    if (p.lateral && !p.clientHost.isEmpty() && m_pipeClientHost.isEmpty()) {
        m_pipeClientHost = p.clientHost;
        m_pipeClientPid = p.clientPid;
    }
}

void ChainBuilder::shareHop()
{
    ChainHop &h = hop(ChainHopKind::ShareAccess);
    const QString svc = m_anchor.service.toLower();
    QHash<QString, int> ipVotes;
    QSet<QString> sessions; // IpAddress|SubjectLogonId of the relevant 5145s
    for (const Evidence &e : m_sec) {
        if (e.row->code != 5145 || !isAdminShare(e.field("ShareName")))
            continue;
        const QString target = e.field("RelativeTargetName");
        const QString lower = target.toLower();
        const bool relevant =
            baseNameLower(target) == m_anchor.binary || (!svc.isEmpty() && lower.startsWith(svc)) ||
            lower == QLatin1String("svcctl") || parsePipe(target, m_anchor.service).lateral;
        if (!relevant || e.row->ts > m_tSec + kLead)
            continue;
        addToHop(h, e);
        noteClientFromPipe(target);
        const QString ip = normaliseIp(e.field("IpAddress"));
        ipVotes[ip] += 1;
        sessions.insert(ip + QLatin1Char('|') + QString::number(e.pid("SubjectLogonId")));
        if (const qint64 logonId = e.pid("SubjectLogonId"); logonId >= 0)
            m_logonIds.insert(logonId);
    }
    // The share connections (5140) of the same sessions.
    for (const Evidence &e : m_sec)
        if (e.row->code == 5140 && isAdminShare(e.field("ShareName")) && h.found &&
            e.row->ts <= h.last &&
            sessions.contains(normaliseIp(e.field("IpAddress")) + QLatin1Char('|') +
                              QString::number(e.pid("SubjectLogonId"))))
            addToHop(h, e);
    std::sort(h.events.begin(), h.events.end(), [](const ChainEvent &a, const ChainEvent &b) {
        return a.ts != b.ts ? a.ts < b.ts : a.id < b.id;
    });
    int best = 0;
    for (auto it = ipVotes.cbegin(); it != ipVotes.cend(); ++it)
        if (it.value() > best && !it.key().isEmpty() && it.key() != QLatin1String("-")) {
            best = it.value();
            m_chain.sourceIp = it.key();
        }
    if (h.found)
        h.detail = QStringLiteral("%1 share event(s) from %2 for %3")
                       .arg(h.events.size())
                       .arg(m_chain.sourceIp.isEmpty() ? QStringLiteral("an unknown address")
                                                       : m_chain.sourceIp,
                            m_anchor.binary);
    else
        h.unknown = QStringLiteral("no 5140/5145 on ADMIN$/IPC$ for %1 in the store (object access "
                                   "auditing off, or Security log absent)")
                        .arg(m_anchor.binary);
}

void ChainBuilder::logonHop()
{
    ChainHop &h = hop(ChainHopKind::Logon);
    for (const Evidence &e : m_sec) {
        if (e.row->code != 4624 || e.field("LogonType").trimmed() != QLatin1String("3"))
            continue;
        if (e.row->ts < m_tSec - kLead || e.row->ts > m_tSec + kMinute)
            continue;
        const QString ip = normaliseIp(e.field("IpAddress"));
        const bool bySession = m_logonIds.contains(e.pid("TargetLogonId"));
        const bool byIp =
            !ip.isEmpty() && ((!m_chain.sourceIp.isEmpty() && ip == m_chain.sourceIp) ||
                              (m_chain.sourceIp.isEmpty() && m_hintIps.contains(ip)));
        if (!bySession && !byIp)
            continue;
        addToHop(h, e);
        if (m_chain.sourceIp.isEmpty() && ip != QLatin1String("-"))
            m_chain.sourceIp = ip;
        const QString ws = e.field("WorkstationName").trimmed();
        if (m_workstation.isEmpty() && !ws.isEmpty() && ws != QLatin1String("-"))
            m_workstation = ws;
    }
    if (h.found) {
        const ChainEvent &first = h.events.front();
        h.user = first.user;
        h.detail =
            QStringLiteral("logon type 3 as %1 from %2%3")
                .arg(first.user.isEmpty() ? QStringLiteral("an unnamed account") : first.user,
                     m_chain.sourceIp.isEmpty() ? QStringLiteral("an unknown address")
                                                : m_chain.sourceIp,
                     m_workstation.isEmpty()
                         ? QString()
                         : QStringLiteral(" (") + m_workstation + QLatin1Char(')'));
    } else {
        h.unknown =
            m_chain.sourceIp.isEmpty() && m_logonIds.isEmpty()
                ? QStringLiteral("no network logon (4624 type 3) tied to this service: no source "
                                 "address or logon id to match it by")
                : QStringLiteral("no network logon (4624 type 3) from %1 in the 10 minutes before "
                                 "the install (logon auditing off, or Security log absent)")
                      .arg(m_chain.sourceIp.isEmpty() ? QStringLiteral("the share session")
                                                      : m_chain.sourceIp);
    }
}

void ChainBuilder::binaryHop()
{
    ChainHop &h = hop(ChainHopKind::ServiceBinary);
    QString writer;
    for (const Evidence &e : m_sys) {
        if (e.row->code != 11 || baseNameLower(e.field("TargetFilename")) != m_anchor.binary ||
            e.row->ts > m_tSys + 5000)
            continue;
        addToHop(h, e);
        if (writer.isEmpty()) {
            const QString image = e.field("Image");
            const qint64 pid = e.pid("ProcessId");
            writer = image.compare(QLatin1String("System"), Qt::CaseInsensitive) == 0 || pid == 4
                         ? QStringLiteral("written over SMB by System (PID 4)")
                         : QStringLiteral("written by %1 (PID %2) on the host itself")
                               .arg(image)
                               .arg(pid);
            h.processKey = e.row->processKey;
        }
        h.detail = e.field("TargetFilename") + QStringLiteral(": ") + writer;
    }
    if (h.found)
        return;
    for (const Evidence &e : m_sec) { // the share write itself, when Sysmon 11 is not there
        const QString access = events::decodeMessageCodes(e.field("AccessList"));
        if (e.row->code == 5145 &&
            baseNameLower(e.field("RelativeTargetName")) == m_anchor.binary &&
            access.contains(QLatin1String("WriteData")) && e.row->ts <= m_tSec + 5000) {
            addToHop(h, e);
            h.detail =
                QStringLiteral("%1 written through %2 (5145 WriteData; no Sysmon 11 in the store)")
                    .arg(m_anchor.binary, e.field("ShareName"));
        }
    }
    if (!h.found)
        h.unknown = QStringLiteral(
                        "no file-create event (Sysmon 11) or share write (5145) of %1 in the store")
                        .arg(m_anchor.binary.isEmpty() ? QStringLiteral("the service binary")
                                                       : m_anchor.binary);
}

void ChainBuilder::pipesHop()
{
    ChainHop &h = hop(ChainHopKind::Pipes);
    const QString serviceKey = m_serviceSysmon ? m_serviceSysmon->row->processKey : QString();
    QStringList names;
    for (const Evidence &e : m_sys) {
        if (e.row->code != 17 && e.row->code != 18)
            continue;
        const QString pipe = e.field("PipeName");
        if (pipe.startsWith(QLatin1Char('<')) || !parsePipe(pipe, m_anchor.service).lateral)
            continue;
        if (e.row->ts < m_tSys - kMinute && e.row->processKey != serviceKey)
            continue;
        addToHop(h, e);
        noteClientFromPipe(pipe);
        if (!names.contains(pipe))
            names << pipe;
    }
    if (h.found)
        h.detail = names.join(QStringLiteral(", "));
    else
        h.unknown =
            QStringLiteral("no named-pipe events (Sysmon 17/18) of the service in the store");
}

void ChainBuilder::childrenHop()
{
    ChainHop &h = hop(ChainHopKind::ServiceChildren);
    QSet<QString> guids;
    if (m_serviceSysmon)
        guids.insert(m_serviceSysmon->field("ProcessGuid").toLower());
    for (const Evidence &e : m_sys) // time order: a child comes after its parent
        if (e.row->code == 1 && !guids.isEmpty() &&
            guids.contains(e.field("ParentProcessGuid").toLower())) {
            addToHop(h, e);
            guids.insert(e.field("ProcessGuid").toLower());
        }
    QSet<qint64> pids;
    if (m_serviceSecurity)
        pids.insert(m_serviceSecurity->pid("NewProcessId"));
    for (const Evidence &e : m_sec)
        if (e.row->code == 4688 && !pids.isEmpty() && e.row->ts >= m_serviceSecurity->row->ts &&
            pids.contains(e.pid("ProcessId")) && e.row != m_serviceSecurity->row) {
            addToHop(h, e);
            pids.insert(e.pid("NewProcessId"));
        }
    if (h.found) {
        h.processKey = h.events.front().processKey;
        QStringList images;
        for (const ChainEvent &c : h.events) {
            const QString image = c.summary.section(QLatin1Char(':'), 0, 0);
            if (!images.contains(image))
                images << image;
        }
        h.detail = QStringLiteral("%1 process(es): %2")
                       .arg(h.events.size())
                       .arg(images.join(QStringLiteral(", ")));
    } else {
        h.unknown =
            m_serviceSysmon || m_serviceSecurity
                ? QStringLiteral("the service process started nothing that the store recorded")
                : QStringLiteral("the service process itself is not in the store, so its children "
                                 "cannot be told apart");
    }
}

} // namespace causa::chain
