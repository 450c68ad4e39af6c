#include "indicatorextractor.h"

#include "core/indicatorutil.h"
#include "textscan.h"
#include "transforms.h"

#include <QSet>

#include <algorithm>
#include <vector>

namespace causa {

using namespace detail;

namespace {

bool urlChar(char16_t c)
{
    return !(isSpace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '|' ||
             c == '^' || c == '{' || c == '}' || c == ')' || c == '(' || c == ',' || c == ';' ||
             c < 0x20 || c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D);
}

bool domainChar(char16_t c)
{
    return isAlnum(c) || c == '-' || c == '.' || c == '_';
}

// Top-level domains a bare (non-URL) word must end with to count as a domain.
bool commonTld(QStringView tld)
{
    static const char *const tlds[] = {
        "com",    "net",   "org",   "io",   "ru",      "cn",   "info", "biz",  "xyz",   "top",
        "online", "site",  "club",  "me",   "co",      "uk",   "de",   "fr",   "ly",    "us",
        "cc",     "tk",    "ml",    "ga",   "cf",      "gq",   "pw",   "su",   "onion", "in",
        "br",     "ir",    "kp",    "to",   "ws",      "link", "live", "shop", "app",   "dev",
        "cloud",  "space", "store", "tech", "website", "icu",  "vip",  "work", "nl",    "eu",
        "it",     "es",    "pl",    "ua",   "kz",      "tv",   "sh",   "am",   "gg"};
    if (tld.size() < 2 || tld.size() > 7)
        return false;
    // Lowered once into one 64-bit word, compared with the list's words: every dotted word
    // ("chrome.exe") asks this.
    auto pack = [](const char *t) {
        quint64 v = 0;
        for (int i = 0; t[i]; ++i)
            v |= quint64(uchar(t[i])) << (8 * i);
        return v;
    };
    static const std::vector<quint64> packed = [&pack] {
        std::vector<quint64> out;
        for (const char *t : tlds)
            out.push_back(pack(t));
        return out;
    }();
    quint64 word = 0;
    for (qsizetype i = 0; i < tld.size(); ++i) {
        const char16_t c = asciiLower(tld[i].unicode());
        if (c < 'a' || c > 'z')
            return false;
        word |= quint64(c) << (8 * i);
    }
    return std::find(packed.begin(), packed.end(), word) != packed.end();
}

QString refang(QStringView s)
{
    QString r = s.toString();
    // Every defanged separator holds a bracket; most text has none, and skips the six passes.
    const bool bracket = std::any_of(s.begin(), s.end(), [](QChar c) {
        return c == QLatin1Char('[') || c == QLatin1Char('(') || c == QLatin1Char('{');
    });
    if (bracket) {
        r.replace(QLatin1String("[.]"), QLatin1String("."));
        r.replace(QLatin1String("(.)"), QLatin1String("."));
        r.replace(QLatin1String("{.}"), QLatin1String("."));
        r.replace(QLatin1String("[dot]"), QLatin1String("."), Qt::CaseInsensitive);
        r.replace(QLatin1String("[:]"), QLatin1String(":"));
        r.replace(QLatin1String("[://]"), QLatin1String("://"));
    }
    if (r.startsWith(QLatin1String("hxxp"), Qt::CaseInsensitive))
        r.replace(0, 4, QLatin1String("http"));
    else if (r.startsWith(QLatin1String("fxp"), Qt::CaseInsensitive))
        r.replace(0, 3, QLatin1String("ftp"));
    return r;
}

bool internalDomain(const QString &d)
{
    return !d.contains(QLatin1Char('.')) || d.endsWith(QLatin1String(".local")) ||
           d.endsWith(QLatin1String(".lan")) || d.endsWith(QLatin1String(".corp")) ||
           d.endsWith(QLatin1String(".internal")) || d.endsWith(QLatin1String(".localhost")) ||
           d == QLatin1String("localhost") || d.endsWith(QLatin1String(".home.arpa"));
}

// a and b equal but for case. ASCII text (nearly every indicator) is compared here; other text
// takes Qt's Unicode case folding, which costs a thousand instructions a call.
bool sameNoCase(QStringView a, QStringView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const char16_t x = a[i].unicode();
        const char16_t y = b[i].unicode();
        if (x >= 0x80 || y >= 0x80)
            return a.compare(b, Qt::CaseInsensitive) == 0;
        if (asciiLower(x) != asciiLower(y))
            return false;
    }
    return true;
}

class Sink
{
public:
    Sink(QList<ExtractedIndicator> *out, int layer, int max)
        : m_out(out), m_layer(layer), m_max(max)
    {
        for (const ExtractedIndicator &i : *out)
            m_seen.insert(i.type + QLatin1Char('|') + i.value);
    }
    bool full() const { return m_out->size() >= m_max; }
    void add(const QString &type, const QString &value, QStringView asWritten, bool internal)
    {
        if (value.isEmpty() || full())
            return;
        const QString key = type + QLatin1Char('|') + value;
        if (m_seen.contains(key))
            return;
        m_seen.insert(key);
        ExtractedIndicator i;
        i.type = type;
        i.value = value;
        i.asWritten = asWritten.toString();
        i.layer = m_layer;
        i.internal = internal;
        i.obfuscated = !sameNoCase(i.asWritten, value);
        m_out->push_back(std::move(i));
    }
    // A host as written: an address in any notation, or a domain name.
    void addHost(QStringView host, bool fromUrl)
    {
        const QString refanged = refang(host).toLower();
        quint32 ip = 0;
        if (!refanged.isEmpty() && isHexDigit(refanged[0].unicode()) &&
            parseIpv4Lenient(refanged, &ip) && (fromUrl || refanged.count(QLatin1Char('.')) == 3)) {
            add(QStringLiteral("ipv4"), ipv4ToString(ip), host, isInternalIpv4(ip));
            return;
        }
        if (refanged.size() > 253 || refanged.isEmpty())
            return;
        add(fromUrl ? QStringLiteral("domain") : QStringLiteral("host"), refanged, host,
            internalDomain(refanged));
    }

private:
    QList<ExtractedIndicator> *m_out;
    QSet<QString> m_seen;
    int m_layer;
    int m_max;
};

// Spans of the text already taken by a URL, in text order.
using Taken = QList<std::pair<qsizetype, qsizetype>>;

void scanUrls(QStringView t, Sink &sink, Taken *taken)
{
    // Both separators contain ':' (one vectorised search rules out a 10 MB line without one).
    if (t.indexOf(QLatin1Char(':')) < 0)
        return;
    qsizetype pos = 0;
    // Next occurrences are cached so a line with 100,000 URLs is scanned once, not per URL.
    qsizetype sep = -2;
    qsizetype defanged = -2;
    while (!sink.full()) {
        if (sep != -1 && sep < pos)
            sep = findAscii(t, QLatin1StringView("://"), pos);
        if (defanged != -1 && defanged < pos)
            defanged = findAscii(t, QLatin1StringView("[:]//"), pos);
        if (sep < 0 && defanged < 0)
            break;
        qsizetype at;
        qsizetype hostStart;
        if (defanged >= 0 && (sep < 0 || defanged < sep)) {
            at = defanged;
            hostStart = defanged + 5;
        } else {
            at = sep;
            hostStart = sep + 3;
        }
        pos = hostStart;
        qsizetype s = at;
        while (s > 0 && at - s < 10 && isAsciiAlpha(t[s - 1].unicode()))
            --s;
        const QString scheme = refang(t.mid(s, at - s)).toLower();
        static const QSet<QString> schemes = {
            QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("ftp"),
            QStringLiteral("ftps"), QStringLiteral("sftp"),  QStringLiteral("ws"),
            QStringLiteral("wss"),  QStringLiteral("tcp"),   QStringLiteral("udp")};
        if (!schemes.contains(scheme))
            continue;
        qsizetype e = hostStart;
        while (e < t.size() && e - s < 4096 && urlChar(t[e].unicode()))
            ++e;
        while (e > hostStart && QStringView(u".,:;!]").contains(t[e - 1]))
            --e;
        if (e <= hostStart)
            continue;
        const QStringView raw = t.mid(s, e - s);
        // Host: after userinfo, before port/path; "[.]" may sit inside it.
        qsizetype h = hostStart;
        qsizetype he = h;
        while (he < e) {
            const char16_t c = t[he].unicode();
            if (c == '/' || c == '\\' || c == '?' || c == '#')
                break;
            if (c == ':' && !(he > h && t[he - 1] == QLatin1Char('[')))
                break;
            ++he;
        }
        QStringView host = t.mid(h, he - h);
        const qsizetype atSign = host.lastIndexOf(QLatin1Char('@'));
        if (atSign >= 0)
            host = host.mid(atSign + 1);
        QString value = refang(raw);
        quint32 ip = 0;
        const QString refHost = refang(host).toLower();
        bool internal = false;
        if (!refHost.isEmpty() && isHexDigit(refHost[0].unicode()) &&
            parseIpv4Lenient(refHost, &ip)) {
            const QString canonical = ipv4ToString(ip);
            const qsizetype hostAt = value.indexOf(refang(host));
            if (hostAt >= 0)
                value.replace(hostAt, refang(host).size(), canonical);
            internal = isInternalIpv4(ip);
        } else {
            internal = internalDomain(refHost);
        }
        sink.add(QStringLiteral("url"), value, raw, internal);
        if (!host.isEmpty())
            sink.addHost(host, true);
        taken->push_back({s, e});
        pos = e;
    }
}

// taken is in text order and p only grows, so a cursor keeps this linear overall.
bool insideTaken(const Taken &taken, qsizetype p, qsizetype *cursor)
{
    while (*cursor < taken.size() && taken[*cursor].second <= p)
        ++*cursor;
    return *cursor < taken.size() && p >= taken[*cursor].first;
}

// UNC path \\host\share at i (a "\\" and a host character): adds the path and its host, returns
// where the path ends, or -1 when no share follows the host.
qsizetype scanUncPath(QStringView t, qsizetype i, Sink &sink)
{
    const qsizetype n = t.size();
    qsizetype h = i + 2;
    qsizetype he = h;
    while (he < n && he - h < 256 &&
           (domainChar(t[he].unicode()) || t[he] == QLatin1Char('[') || t[he] == QLatin1Char(']')))
        ++he;
    if (!(he < n && t[he] == QLatin1Char('\\') && he > h))
        return -1;
    qsizetype pe = he;
    while (pe < n && pe - i < 1024 && !isSpace(t[pe].unicode()) && t[pe] != QLatin1Char('"') &&
           t[pe] != QLatin1Char('\'') && t[pe] != QLatin1Char(','))
        ++pe;
    const QStringView host = t.mid(h, he - h);
    quint32 ip = 0;
    const bool isIp = parseIpv4Lenient(refang(host), &ip);
    sink.add(QStringLiteral("path"), t.mid(i, pe - i).toString(), t.mid(i, pe - i),
             isIp ? isInternalIpv4(ip) : internalDomain(host.toString().toLower()));
    if (isIp)
        sink.add(QStringLiteral("ipv4"), ipv4ToString(ip), host, isInternalIpv4(ip));
    else
        sink.add(QStringLiteral("host"), refang(host).toLower(), host,
                 internalDomain(host.toString().toLower()));
    return pe;
}

// A defanged run that is no address ("evil[.]com"), refanged in ref, as a domain.
void addDefangedDomain(const QString &ref, QStringView run, Sink &sink)
{
    const QString d = ref.toLower();
    const QString tld = d.section(QLatin1Char('.'), -1);
    if (d.contains(QLatin1Char('.')) && !tld.isEmpty() && isAsciiAlpha(tld[0].unicode()))
        sink.add(QStringLiteral("domain"), d, run, internalDomain(d));
}

// The plain (not defanged) dotted run (t[i, e)) as a domain outside a URL: only well-known TLDs,
// and not a .NET type ("System.Net") or a file name ("update.ps1"). Checked before copying:
// most dotted words are file names.
void addPlainDomain(QStringView t, QStringView run, qsizetype i, qsizetype e, qsizetype lastDot,
                    Sink &sink)
{
    const qsizetype n = t.size();
    const bool dotnet = (i > 0 && t[i - 1] == QLatin1Char('[')) ||
                        (e < n && (t[e] == QLatin1Char(']') || t[e] == QLatin1Char('(') ||
                                   t[e] == QLatin1Char(':') || t[e] == QLatin1Char('\\'))) ||
                        startsWithNoCase(run, QLatin1StringView("system.")) ||
                        startsWithNoCase(run, QLatin1StringView("microsoft."));
    quint32 ip = 0;
    if (!dotnet && isAsciiAlpha(run[0].unicode()) && commonTld(run.mid(lastDot + 1)) &&
        !parseIpv4Lenient(run, &ip)) {
        const QString d = run.toString().toLower();
        sink.add(QStringLiteral("domain"), d, run, internalDomain(d));
    }
}

// Users: /user:NAME, /u:NAME at i (a '/' or '-'); returns where the name ends, or -1.
qsizetype scanUserSwitch(QStringView t, qsizetype i, Sink &sink)
{
    const qsizetype n = t.size();
    if (!(matchesAt(t, i + 1, QLatin1StringView("user:")) ||
          matchesAt(t, i + 1, QLatin1StringView("u:"))))
        return -1;
    qsizetype s = t.indexOf(QLatin1Char(':'), i) + 1;
    if (s < n && t[s] == QLatin1Char('"'))
        ++s;
    qsizetype e = s;
    while (e < n && e - s < 128 && !isSpace(t[e].unicode()) && t[e] != QLatin1Char('"'))
        ++e;
    if (e > s)
        sink.add(QStringLiteral("user"), t.mid(s, e - s).toString().toLower(), t.mid(s, e - s),
                 false);
    return e;
}

// "net user NAME ..." (not the listing "net user" alone or a /switch).
void scanNetUser(QStringView t, const Spans *skip, Sink &sink)
{
    const qsizetype n = t.size();
    qsizetype p = 0;
    while (!sink.full() &&
           (p = skip ? findNoCaseOutside(t, QLatin1StringView("net user "), *skip, p)
                     : findNoCase(t, QLatin1StringView("net user "), p)) >= 0) {
        qsizetype s = skipSpaces(t, p + 9);
        p = s;
        if (s >= n || t[s] == QLatin1Char('/') || t[s] == QLatin1Char('&') ||
            t[s] == QLatin1Char('|'))
            continue;
        qsizetype e = s;
        bool quoted = t[s] == QLatin1Char('"');
        if (quoted)
            ++s, ++e;
        while (e < n && e - s < 128 &&
               (quoted ? t[e] != QLatin1Char('"')
                       : (!isSpace(t[e].unicode()) && t[e] != QLatin1Char('&'))))
            ++e;
        if (e > s)
            sink.add(QStringLiteral("user"), t.mid(s, e - s).toString().toLower(), t.mid(s, e - s),
                     false);
    }
}

} // namespace

void IndicatorExtractor::extract(QStringView t, int layer, QList<ExtractedIndicator> *out,
                                 int maxIndicators, const Spans *skip)
{
    size_t skipCursor = 0;
    Sink sink(out, layer, maxIndicators);
    Taken taken;
    scanUrls(t, sink, &taken);
    qsizetype takenCursor = 0;
    const qsizetype n = t.size();
    qsizetype i = 0;
    while (i < n && !sink.full()) {
        if (skip && skipCursor < skip->size() && i >= (*skip)[skipCursor].first) {
            i = qMax(i, (*skip)[skipCursor].second);
            ++skipCursor;
            continue;
        }
        const char16_t c = t[i].unicode();
        if (c == '\\' && i + 2 < n && t[i + 1] == QLatin1Char('\\') &&
            (i == 0 || t[i - 1] != QLatin1Char('\\')) && domainChar(t[i + 2].unicode())) {
            const qsizetype pathEnd = scanUncPath(t, i, sink);
            if (pathEnd >= 0) {
                i = pathEnd;
                continue;
            }
        }
        if (isAlnum(c) &&
            (i == 0 || !(domainChar(t[i - 1].unicode()) || t[i - 1] == QLatin1Char(']')))) {
            // A run of address/domain/hash characters (refanging "[.]" on the fly).
            // Its dots are counted on the way (defanged ones too): most runs have none or one.
            qsizetype e = i;
            bool defanged = false;
            qsizetype dots = 0;
            while (e < n && e - i < 300) {
                const char16_t d = t[e].unicode();
                if (domainChar(d)) {
                    dots += d == '.';
                    ++e;
                } else if ((d == '[' || d == '(') && e + 2 < n && t[e + 1] == QLatin1Char('.') &&
                           t[e + 2] == QLatin1Char(d == '[' ? ']' : ')')) {
                    defanged = true;
                    ++dots;
                    e += 3;
                } else {
                    break;
                }
            }
            while (e > i && t[e - 1] == QLatin1Char('.')) {
                --dots;
                --e;
            }
            const QStringView run = t.mid(i, e - i);
            if (!insideTaken(taken, i, &takenCursor)) {
                QString type;
                QString hash;
                if (run.size() == 32 || run.size() == 40 || run.size() == 64)
                    hash = indicator::normaliseHash(run.toString(), &type);
                quint32 ip = 0;
                if (!hash.isEmpty() && (e >= n || !isWordChar(t[e].unicode()))) {
                    sink.add(type, hash, run, false);
                } else if (dots == 3 || defanged) {
                    const QString ref = refang(run);
                    if (ref.count(QLatin1Char('.')) == 3 && parseIpv4Lenient(ref, &ip) &&
                        (e >= n || !(isWordChar(t[e].unicode()) || t[e] == QLatin1Char('\\')))) {
                        sink.add(QStringLiteral("ipv4"), ipv4ToString(ip), run, isInternalIpv4(ip));
                    } else if (defanged) {
                        addDefangedDomain(ref, run, sink);
                    }
                }
                const qsizetype lastDot =
                    defanged || dots == 0 ? -1 : run.lastIndexOf(QLatin1Char('.'));
                if (lastDot >= 0 && !sink.full())
                    addPlainDomain(t, run, i, e, lastDot, sink);
            }
            i = qMax(e, i + 1);
            continue;
        }
        if (c == '/' || c == '-') {
            const qsizetype nameEnd = scanUserSwitch(t, i, sink);
            if (nameEnd >= 0) {
                i = nameEnd;
                continue;
            }
        }
        ++i;
    }
    scanNetUser(t, skip, sink);
}

} // namespace causa
