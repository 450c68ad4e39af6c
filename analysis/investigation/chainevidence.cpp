#include "chainevidence.h"

#include "events/eventfields.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace causa::chain {

QString Evidence::field(const char *key) const
{
    return record.is_object() ? events::text(record, key) : QString();
}

qint64 Evidence::pid(const char *key) const
{
    return record.is_object() ? events::pidValue(record, key) : -1;
}

QString Evidence::user() const
{
    const int code = row->code;
    if (code == 1 || code == 3 || code == 11 || code == 17 || code == 18)
        return field("User");
    if (code == 4624 || code == 4688) {
        const QString target = account(field("TargetDomainName"), field("TargetUserName"));
        if (!target.isEmpty())
            return target;
    }
    return account(field("SubjectDomainName"), field("SubjectUserName"));
}

std::vector<Evidence> parseRows(const std::vector<ChainEventRow> &rows)
{
    std::vector<Evidence> out;
    out.reserve(rows.size());
    for (const ChainEventRow &r : rows) {
        Evidence e;
        e.row = &r;
        // A record that is not JSON (or not an object) still counts by its columns.
        e.record = nlohmann::json::parse(r.data.constData(), r.data.constData() + r.data.size(),
                                         nullptr, false);
        if (!e.record.is_object())
            e.record = nullptr;
        out.push_back(std::move(e));
    }
    return out;
}

QString baseNameLower(const QString &path)
{
    QString p = path.trimmed();
    if (p.startsWith(QLatin1Char('"'))) {
        const qsizetype end = p.indexOf(QLatin1Char('"'), 1);
        p = end > 0 ? p.mid(1, end - 1) : p.mid(1);
    }
    const qsizetype slash = qMax(p.lastIndexOf(QLatin1Char('\\')), p.lastIndexOf(QLatin1Char('/')));
    return (slash >= 0 ? p.mid(slash + 1) : p).trimmed().toLower();
}

QString account(const QString &domain, const QString &user)
{
    const bool hasUser = !user.isEmpty() && user != QLatin1String("-");
    const bool hasDomain = !domain.isEmpty() && domain != QLatin1String("-");
    if (!hasUser)
        return {};
    return hasDomain ? domain + QLatin1Char('\\') + user : user;
}

bool sameHost(const QString &a, const QString &b)
{
    auto label = [](const QString &h) {
        const QString t = h.trimmed();
        const qsizetype dot = t.indexOf(QLatin1Char('.'));
        return (dot > 0 ? t.left(dot) : t).toLower();
    };
    return !a.trimmed().isEmpty() && label(a) == label(b);
}

QString normaliseIp(const QString &ip)
{
    QString s = ip.trimmed().toLower();
    if (const qsizetype pct = s.indexOf(QLatin1Char('%')); pct > 0)
        s.truncate(pct);
    // Sysmon writes IPv6 uncompressed ("fe80:0:0:0:90e:…"), Security compressed ("fe80::90e:…").
    QHostAddress a(s);
    if (a.isNull())
        return s;
    bool mapped = false;
    const quint32 v4 = a.toIPv4Address(&mapped);
    if (mapped)
        return QHostAddress(v4).toString();
    return a.toString().toLower();
}

bool isLocalAddress(const QString &ip)
{
    const QString s = normaliseIp(ip);
    return s == QLatin1String("::1") || s.startsWith(QLatin1String("127.")) ||
           s == QLatin1String("::") || s == QLatin1String("0.0.0.0");
}

namespace {

bool isKnownServiceName(const QString &lower)
{
    static const char *const names[] = {"psexesvc", "paexec",    "remcom",    "csexecsvc",
                                        "xcmdsvc",  "winexesvc", "remcomsvc", "rcmdsvc"};
    for (const char *n : names)
        if (lower.startsWith(QLatin1String(n)))
            return true;
    return false;
}

} // namespace

bool isLateralService(const QString &serviceName, const QString &imagePath)
{
    const QString name = serviceName.trimmed().toLower();
    const QString image = imagePath.trimmed().toLower();
    if (isKnownServiceName(name) || isKnownServiceName(baseNameLower(image)))
        return true;
    if (image.contains(QLatin1String("%comspec%")) || image.contains(QLatin1String("cmd.exe /c")) ||
        image.contains(QLatin1String("cmd /c")) || image.contains(QLatin1String("powershell")))
        return true;
    // A binary straight in the Windows folder (the ADMIN$ share's root), not in System32.
    static const QRegularExpression windowsRoot(
        QStringLiteral("^\"?(%systemroot%|%windir%|c:\\\\windows)\\\\[^\\\\]+\\.exe\"?(\\s|$)"));
    return windowsRoot.match(image).hasMatch();
}

QString toolFor(const QString &serviceName, const QString &imagePath)
{
    const QString n = serviceName.toLower() + QLatin1Char(' ') + baseNameLower(imagePath);
    if (n.contains(QLatin1String("psexesvc")))
        return QStringLiteral("PsExec");
    if (n.contains(QLatin1String("paexec")))
        return QStringLiteral("PAExec");
    if (n.contains(QLatin1String("remcom")))
        return QStringLiteral("RemCom");
    if (n.contains(QLatin1String("csexec")))
        return QStringLiteral("CSExec");
    const QString image = imagePath.toLower();
    if (image.contains(QLatin1String("%comspec%")) || image.contains(QLatin1String("cmd")))
        return QStringLiteral("command service (smbexec-like)");
    return QStringLiteral("PsExec-like service");
}

PipeName parsePipe(const QString &pipe, const QString &serviceName)
{
    PipeName p;
    QString name = pipe.trimmed();
    while (name.startsWith(QLatin1Char('\\')))
        name.remove(0, 1);
    if (name.isEmpty() || name.startsWith(QLatin1Char('<')))
        return p;
    // PsExec and its clones: <service>-<client host>-<client pid>-stdin|stdout|stderr.
    static const QRegularExpression stdio(
        QStringLiteral("^([^-]+)-(.+)-(\\d+)-(stdin|stdout|stderr)$"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = stdio.match(name);
    const QString lower = name.toLower();
    const QString svc = serviceName.trimmed().toLower();
    if (m.hasMatch()) {
        p.lateral = true;
        p.prefix = m.captured(1);
        p.clientHost = m.captured(2);
        p.clientPid = m.captured(3).toLongLong();
        return p;
    }
    if (isKnownServiceName(lower) || (!svc.isEmpty() && lower.startsWith(svc))) {
        p.lateral = true;
        const qsizetype cut = name.indexOf(QRegularExpression(QStringLiteral("[-_]")));
        p.prefix = cut > 0 ? name.left(cut) : name;
    }
    return p;
}

bool isLauncherImage(const QString &imagePath, const QString &commandLine)
{
    const QString image = baseNameLower(imagePath);
    static const char *const launchers[] = {"psexec.exe",   "psexec64.exe", "paexec.exe",
                                            "paexec64.exe", "remcom.exe",   "csexec.exe",
                                            "xcmd.exe"};
    for (const char *l : launchers)
        if (image == QLatin1String(l))
            return true;
    const QString cmd = commandLine.toLower();
    // impacket's psexec.py / smbexec.py run under Python; renamed PsExec keeps its switches.
    return (image.startsWith(QLatin1String("python")) &&
            (cmd.contains(QLatin1String("psexec")) || cmd.contains(QLatin1String("smbexec")))) ||
           (cmd.contains(QLatin1String("-accepteula")) && cmd.contains(QLatin1String("\\\\")));
}

static ChainEvent eventOf(const Evidence &e)
{
    ChainEvent c;
    c.id = e.row->id;
    c.host = e.row->host;
    c.code = e.row->code;
    c.ts = e.row->ts;
    c.user = e.user();
    c.summary = e.row->summary;
    c.processKey = e.row->processKey;
    return c;
}

void addToHop(ChainHop &hop, const Evidence &e)
{
    for (const ChainEvent &c : hop.events)
        if (c.id == e.row->id)
            return;
    if (hop.events.size() >= 200) // a hop lists its first events, not a flood
        return;
    hop.events.push_back(eventOf(e));
    hop.found = true;
    if (hop.host.isEmpty())
        hop.host = e.row->host;
    if (hop.first == 0 || e.row->ts < hop.first)
        hop.first = e.row->ts;
    hop.last = qMax(hop.last, e.row->ts);
    if (hop.user.isEmpty())
        hop.user = e.user();
}

} // namespace causa::chain
