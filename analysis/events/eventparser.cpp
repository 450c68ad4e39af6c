#include "eventparser.h"

#include "core/indicatorutil.h"
#include "eventfields.h"
#include "flatevent.h"
#include "localtimeoffsets.h"

#include <QStringTokenizer>

#include <algorithm>
#include <iterator>

namespace causa::events {

namespace {

constexpr qsizetype kSummaryMax = 512;

QString elided(QString s)
{
    if (s.size() > kSummaryMax) {
        s.truncate(kSummaryMax - 1);
        s += QChar(0x2026);
    }
    return s;
}

QString account(const FlatEvent &obj, const char *domainKey, const char *userKey)
{
    const QString user = obj.text(userKey);
    if (user.isEmpty() || user == QLatin1String("-"))
        return {};
    const QString domain = obj.text(domainKey);
    if (domain.isEmpty() || domain == QLatin1String("-"))
        return user;
    return domain + QLatin1Char('\\') + user;
}

// "SHA1=…,MD5=…,SHA256=…,IMPHASH=…" (Sysmon) or a bare hash.
void readHashes(QStringView hashes, ProcessRecord &p)
{
    // Views, not split() copies: every Sysmon process creation carries three or four hashes.
    for (const QStringView part : qTokenize(hashes, u',', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        const QStringView value = (eq >= 0 ? part.mid(eq + 1) : part).trimmed();
        QString *slot = value.size() == 64   ? &p.sha256
                        : value.size() == 40 ? &p.sha1
                        : value.size() == 32 ? &p.md5
                                             : nullptr;
        if (!slot || !indicator::isHex(value))
            continue;
        // An IMPHASH has an MD5's length but is not the file's hash.
        if (slot == &p.md5 && eq >= 0 &&
            part.left(eq).trimmed().toString().toUpper() == QLatin1String("IMPHASH"))
            continue;
        // Hex digits only (checked above): lower-cased on the way, one string per hash.
        QString lower(value.size(), Qt::Uninitialized);
        std::transform(value.begin(), value.end(), lower.begin(), [](QChar c) {
            return c >= u'A' && c <= u'F' ? QChar(c.unicode() + (u'a' - u'A')) : c;
        });
        *slot = std::move(lower);
    }
}

// The two clocks an event may carry. Sysmon's UtcTime is UTC, and so is '@timestamp' (OTRF
// NXLog, Logstash); TimeCreated is UTC in python-evtx conversions but local time in OTRF's
// newer schema, and NXLog's EventTime is local: without a zone, either may be local.
struct EventClocks
{
    qint64 utc = 0;
    bool utcEvidence = false; // UtcTime, or an '@timestamp' that names its zone
    qint64 local = 0;         // TimeCreated, else EventTime
    bool localZoneless = false;
};

EventClocks readClocks(const FlatEvent &obj, bool wantLocal)
{
    EventClocks c;
    if (const TimeText t = parseTime(obj.view("UtcTime")); t.ms > 0) {
        c.utc = t.ms;
        c.utcEvidence = true;
    } else if (const TimeText t = parseTime(obj.view("@timestamp")); t.ms > 0) {
        c.utc = t.ms;
        c.utcEvidence = t.zoned;
    }
    if (c.utc > 0 && !wantLocal)
        return c;
    for (const char *k : {"TimeCreated", "EventTime"})
        if (const TimeText t = parseTime(obj.view(k)); t.ms > 0) {
            c.local = t.ms;
            c.localZoneless = !t.zoned;
            break;
        }
    return c;
}

bool isClockEvidence(const EventClocks &c)
{
    return c.utcEvidence && c.local > 0 && c.localZoneless;
}

// "Protocol SourceIp:SourcePort -> DestinationIp:DestinationPort[ (DestinationHostname)]"
QString sysmonNetworkSummary(const FlatEvent &obj)
{
    const QString host = obj.text("DestinationHostname");
    QString summary = obj.text("Protocol") + QLatin1Char(' ') + obj.text("SourceIp") +
                      QLatin1Char(':') + obj.text("SourcePort") + QStringLiteral(" -> ") +
                      obj.text("DestinationIp") + QLatin1Char(':') + obj.text("DestinationPort");
    if (!host.isEmpty() && host != QLatin1String("-"))
        summary += QStringLiteral(" (") + host + QLatin1Char(')');
    return summary;
}

// "EventType TargetObject[ = Details][ -> NewName]"
QString sysmonRegistrySummary(const FlatEvent &obj)
{
    QString summary = obj.text("EventType") + QLatin1Char(' ') + obj.text("TargetObject");
    const QString details = undoublePercent(obj.text("Details"));
    if (!details.isEmpty())
        summary += QStringLiteral(" = ") + details;
    const QString newName = obj.text("NewName");
    if (!newName.isEmpty())
        summary += QStringLiteral(" -> ") + newName;
    return summary;
}

} // namespace

std::string_view EventParser::hostBytes(const FlatEvent &obj)
{
    std::string_view host = obj.textBytes("Hostname");
    if (host.empty())
        host = obj.textBytes("Computer");
    if (host.empty())
        host = obj.textBytes("MachineName");
    return host;
}

void EventParser::learnClocks(const FlatEvent &obj, LocalTimeOffsets &offsets)
{
    const EventClocks c = readClocks(obj, true);
    if (isClockEvidence(c)) {
        const std::string_view host = hostBytes(obj);
        offsets.observe(QString::fromUtf8(host.data(), qsizetype(host.size())), c.utc, c.local);
    }
}

qint64 EventParser::eventTime(const FlatEvent &obj, const QString &host)
{
    // UTC first; a zone-less local time only when there is nothing else, moved by what the
    // host's other events taught (a time that names its zone is UTC already).
    const bool learn = m_offsets && m_learn;
    const EventClocks c = readClocks(obj, learn);
    if (c.utc > 0) {
        if (learn && isClockEvidence(c))
            m_offsets->observe(host, c.utc, c.local);
        return c.utc;
    }
    if (c.local > 0 && c.localZoneless && m_offsets)
        if (const std::optional<qint64> shift = m_offsets->shiftFor(host))
            return c.local + *shift;
    return c.local;
}

LogFamily EventParser::family(const QString &channel, const QString &provider)
{
    const QString c = channel.toLower();
    if (c.contains(QLatin1String("sysmon")))
        return LogFamily::Sysmon;
    if (c == QLatin1String("security"))
        return LogFamily::Security;
    if (c == QLatin1String("system"))
        return LogFamily::System;
    if (c.contains(QLatin1String("powershell")))
        return LogFamily::PowerShell;
    const QString p = provider.toLower();
    if (p.contains(QLatin1String("sysmon")))
        return LogFamily::Sysmon;
    if (p.contains(QLatin1String("security-auditing")))
        return LogFamily::Security;
    if (p.contains(QLatin1String("service control manager")))
        return LogFamily::System;
    if (p.contains(QLatin1String("powershell")))
        return LogFamily::PowerShell;
    return LogFamily::Unknown;
}

QString EventParser::processKeyForGuid(const QString &endpointKey, const QString &guid)
{
    return endpointKey + QStringLiteral("|guid:") + guid.toLower();
}

QString EventParser::processKeyForGuid(const QString &endpointKey, std::string_view guid)
{
    // Every Sysmon event names its process by GUID: lower-case ASCII on the way instead of a
    // QString for the GUID, another for its lower case and a third for the key.
    for (const char c : guid)
        if (uchar(c) >= 0x80)
            return processKeyForGuid(endpointKey,
                                     QString::fromUtf8(guid.data(), qsizetype(guid.size())));
    static constexpr char16_t separator[] = u"|guid:";
    constexpr qsizetype separatorSize = std::size(separator) - 1;
    QString key(endpointKey.size() + separatorSize + qsizetype(guid.size()), Qt::Uninitialized);
    char16_t *out = reinterpret_cast<char16_t *>(key.data());
    out = std::copy_n(reinterpret_cast<const char16_t *>(endpointKey.constData()),
                      endpointKey.size(), out);
    out = std::copy_n(separator, separatorSize, out);
    for (const char c : guid)
        *out++ = char16_t(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    return key;
}

QString EventParser::processKeyForPid(const QString &endpointKey, qint64 pid, qint64 startMs)
{
    return endpointKey + QStringLiteral("|pid:") + QString::number(pid) + QLatin1Char('@') +
           QString::number(startMs);
}

QString EventParser::pidReference(const QString &endpointKey, qint64 pid)
{
    return endpointKey + QStringLiteral("|pid:") + QString::number(pid);
}

qint64 EventParser::eventKey(const QByteArray &raw)
{
    // The record's own bytes: the same record in two exports of one log is one event. The key
    // goes to the store as a number; no hex text is made only to be read back.
    const QByteArrayView t = QByteArrayView(raw).trimmed();
    const auto digest = m_sha1.digest(t.data(), t.size());
    quint64 v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | quint64(digest[size_t(i)]);
    return qint64(v);
}

bool EventParser::parse(const FlatEvent &obj, const QByteArray &raw, ParsedEvent &out,
                        QString *problem)
{
    out.hasProcess = false;
    out.hasParent = false;
    const qint64 eventId = obj.pidValue("EventID");
    if (eventId < 0) {
        *problem = QStringLiteral("field EventID: missing or not a number");
        return false;
    }
    const std::string_view hostBytes = EventParser::hostBytes(obj);
    // Lines interleave a few hosts and channels: keep their names and keys instead of building
    // them again for every line.
    const QByteArray hostKey =
        QByteArray::fromRawData(hostBytes.data(), qsizetype(hostBytes.size()));
    auto known = m_hosts.constFind(hostKey);
    if (known == m_hosts.cend()) {
        if (m_hosts.size() > 10000)
            m_hosts.clear();
        const QString name = QString::fromUtf8(hostBytes.data(), qsizetype(hostBytes.size()));
        // A deep copy: the key must not point into the line.
        known = m_hosts.insert(QByteArray(hostBytes.data(), qsizetype(hostBytes.size())),
                               {name, name.isEmpty() ? QString() : indicator::endpointKey(name)});
    }
    const QString &host = known->first;
    m_endpointKey = known->second;
    m_hostName = host;

    EventRecord &e = out.event;
    e = EventRecord();
    e.keyId = eventKey(raw);
    e.endpointKey = m_endpointKey;
    e.hostName = host;
    e.eventCode = int(eventId);
    if (const std::string_view channel = obj.textBytes("Channel"); channel != m_channelBytes) {
        m_channelBytes.assign(channel);
        m_channel = QString::fromUtf8(channel.data(), qsizetype(channel.size()));
    }
    e.channel = m_channel;
    e.data = raw;
    e.timestamp = eventTime(obj, host);
    QString provider = obj.text("SourceName");
    if (provider.isEmpty())
        provider = obj.text("Provider_Name");
    if (e.channel != m_lastChannel || provider != m_lastProvider) {
        m_lastChannel = e.channel;
        m_lastProvider = provider;
        m_lastFamily = family(e.channel, provider);
    }
    switch (m_lastFamily) {
    case LogFamily::Sysmon: parseSysmon(obj, out); break;
    case LogFamily::Security: parseSecurity(obj, out); break;
    case LogFamily::System: parseSystem(obj, out); break;
    case LogFamily::PowerShell: parsePowerShell(obj, out); break;
    case LogFamily::Unknown:
        e.kind = QStringLiteral("other");
        e.summary = e.channel + QLatin1Char(' ') + QString::number(eventId);
        break;
    }
    if (e.kind.isEmpty()) {
        e.kind = QStringLiteral("other");
        e.summary = e.channel + QLatin1Char(' ') + QString::number(eventId);
    }
    e.summary = elided(e.summary);
    return true;
}

QString EventParser::sysmonProcessKey(const FlatEvent &obj) const
{
    if (const std::string_view guid = obj.textBytes("ProcessGuid"); !guid.empty())
        return processKeyForGuid(m_endpointKey, guid);
    const qint64 pid = obj.pidValue("ProcessId");
    return pid >= 0 ? pidReference(m_endpointKey, pid) : QString();
}

void EventParser::parseSysmon(const FlatEvent &obj, ParsedEvent &out)
{
    EventRecord &e = out.event;
    switch (e.eventCode) {
    case 1: parseSysmonProcessCreate(obj, out); return;
    case 3:
        e.kind = QStringLiteral("network");
        e.processKey = sysmonProcessKey(obj);
        e.summary = sysmonNetworkSummary(obj);
        return;
    case 5:
        e.kind = QStringLiteral("process_exit");
        e.processKey = sysmonProcessKey(obj);
        e.summary = obj.text("Image");
        return;
    case 11:
        e.kind = QStringLiteral("file");
        e.processKey = sysmonProcessKey(obj);
        e.summary = obj.text("TargetFilename");
        return;
    case 12:
    case 13:
    case 14:
        e.kind = QStringLiteral("registry");
        e.processKey = sysmonProcessKey(obj);
        e.summary = sysmonRegistrySummary(obj);
        return;
    case 17:
    case 18:
        e.kind = QStringLiteral("pipe");
        e.processKey = sysmonProcessKey(obj);
        e.summary =
            (e.eventCode == 17 ? QStringLiteral("CreatePipe ") : QStringLiteral("ConnectPipe ")) +
            obj.text("PipeName");
        return;
    case 22:
        e.kind = QStringLiteral("dns");
        e.processKey = sysmonProcessKey(obj);
        e.summary = obj.text("QueryName") + QStringLiteral(" -> ") + obj.text("QueryResults");
        return;
    case 10:
        e.kind = QStringLiteral("process_access");
        e.processKey = sysmonProcessKey(obj);
        e.summary = obj.text("SourceImage") + QStringLiteral(" -> ") + obj.text("TargetImage") +
                    QStringLiteral(" (") + obj.text("GrantedAccess") + QLatin1Char(')');
        return;
    case 7:
        e.kind = QStringLiteral("image_load");
        e.processKey = sysmonProcessKey(obj);
        e.summary = obj.text("ImageLoaded");
        return;
    default:
        e.kind = QStringLiteral("other");
        e.processKey = sysmonProcessKey(obj);
        e.summary = QStringLiteral("Sysmon ") + QString::number(e.eventCode) + QLatin1Char(' ') +
                    obj.text("Image");
        return;
    }
}

void EventParser::parseSysmonProcessCreate(const FlatEvent &obj, ParsedEvent &out)
{
    EventRecord &e = out.event;
    e.kind = QStringLiteral("process_create");
    ProcessRecord &p = out.process;
    p = ProcessRecord();
    p.source = QStringLiteral("sysmon");
    p.endpointKey = m_endpointKey;
    p.imagePath = obj.text("Image");
    p.imageName = fileNameOf(p.imagePath);
    p.commandLine = undoublePercent(obj.text("CommandLine"));
    p.pid = obj.pidValue("ProcessId");
    p.parentPid = obj.pidValue("ParentProcessId");
    p.user = obj.text("User");
    p.startedAt = e.timestamp;
    readHashes(obj.text("Hashes"), p);
    const std::string_view guid = obj.textBytes("ProcessGuid");
    p.key = !guid.empty() ? processKeyForGuid(m_endpointKey, guid)
                          : processKeyForPid(m_endpointKey, p.pid, p.startedAt);
    const std::string_view parentGuid = obj.textBytes("ParentProcessGuid");
    if (!parentGuid.empty())
        p.parentKey = processKeyForGuid(m_endpointKey, parentGuid);
    else if (p.parentPid >= 0)
        p.parentKey = pidReference(m_endpointKey, p.parentPid);
    out.hasProcess = true;
    e.processKey = p.key;
    e.summary = p.imageName + QStringLiteral(": ") + p.commandLine;
    if (!p.parentKey.isEmpty()) {
        ProcessRecord &q = out.parent;
        q = ProcessRecord();
        q.key = p.parentKey;
        q.endpointKey = m_endpointKey;
        q.source = QStringLiteral("parent-ref");
        q.imagePath = obj.text("ParentImage");
        q.imageName = fileNameOf(q.imagePath);
        q.commandLine = undoublePercent(obj.text("ParentCommandLine"));
        q.pid = p.parentPid;
        out.hasParent = true;
    }
}

void EventParser::parseSecurity(const FlatEvent &obj, ParsedEvent &out)
{
    EventRecord &e = out.event;
    switch (e.eventCode) {
    case 4688: {
        e.kind = QStringLiteral("process_create");
        ProcessRecord &p = out.process;
        p = ProcessRecord();
        p.source = QStringLiteral("security");
        p.endpointKey = m_endpointKey;
        p.imagePath = obj.text("NewProcessName");
        p.imageName = fileNameOf(p.imagePath);
        p.commandLine = undoublePercent(obj.text("CommandLine"));
        // Security writes PIDs in hex ("0x1c58"); pidValue reads both.
        p.pid = obj.pidValue("NewProcessId");
        p.parentPid = obj.pidValue("ProcessId");
        p.user = account(obj, "TargetDomainName", "TargetUserName");
        if (p.user.isEmpty())
            p.user = account(obj, "SubjectDomainName", "SubjectUserName");
        p.startedAt = e.timestamp;
        p.key = processKeyForPid(m_endpointKey, p.pid, p.startedAt);
        if (p.parentPid >= 0) {
            p.parentKey = pidReference(m_endpointKey, p.parentPid);
            ProcessRecord &q = out.parent;
            q = ProcessRecord();
            q.key = p.parentKey;
            q.endpointKey = m_endpointKey;
            q.source = QStringLiteral("parent-ref");
            q.imagePath = obj.text("ParentProcessName");
            q.imageName = fileNameOf(q.imagePath);
            q.pid = p.parentPid;
            out.hasParent = true;
        }
        out.hasProcess = true;
        e.processKey = p.key;
        e.summary = p.imageName + QStringLiteral(": ") + p.commandLine;
        return;
    }
    case 4689:
        e.kind = QStringLiteral("process_exit");
        e.summary = obj.text("ProcessName");
        return;
    case 4624:
        e.kind = QStringLiteral("logon");
        e.summary = QStringLiteral("logon type ") + obj.text("LogonType") + QLatin1Char(' ') +
                    account(obj, "TargetDomainName", "TargetUserName") + QStringLiteral(" from ") +
                    obj.text("IpAddress") + QStringLiteral(" (") + obj.text("WorkstationName") +
                    QLatin1Char(')');
        return;
    case 4697:
        e.kind = QStringLiteral("service_install");
        e.summary = obj.text("ServiceName") + QStringLiteral(": ") +
                    undoublePercent(obj.text("ServiceFileName"));
        return;
    case 5140:
    case 5145: {
        e.kind = QStringLiteral("share");
        e.summary = obj.text("ShareName");
        const QString target = obj.text("RelativeTargetName");
        if (!target.isEmpty())
            e.summary += QLatin1Char('\\') + target;
        e.summary += QStringLiteral(" from ") + obj.text("IpAddress") + QStringLiteral(" by ") +
                     account(obj, "SubjectDomainName", "SubjectUserName");
        const QString access = decodeMessageCodes(obj.text("AccessList")).simplified();
        if (!access.isEmpty())
            e.summary += QStringLiteral(" [") + access + QLatin1Char(']');
        return;
    }
    default: return;
    }
}

void EventParser::parseSystem(const FlatEvent &obj, ParsedEvent &out)
{
    EventRecord &e = out.event;
    if (e.eventCode == 7045) {
        e.kind = QStringLiteral("service_install");
        e.summary =
            obj.text("ServiceName") + QStringLiteral(": ") + undoublePercent(obj.text("ImagePath"));
    }
}

void EventParser::parsePowerShell(const FlatEvent &obj, ParsedEvent &out)
{
    EventRecord &e = out.event;
    if (e.eventCode == 4104) {
        e.kind = QStringLiteral("script");
        e.summary = obj.text("ScriptBlockText").simplified();
        const qint64 pid = obj.pidValue("ExecutionProcessID");
        if (pid > 0)
            e.processKey = pidReference(m_endpointKey, pid);
    }
}

} // namespace causa::events
