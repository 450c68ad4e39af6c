#include "contextrules.h"

#include "textscan.h"
#include "tokenizer.h"

#include <QSet>

namespace causa::detail {

namespace {

constexpr qsizetype kMaxSwitchChars = 256;

// ASCII case-insensitive prefix test; cheap on the short switches it sees (Qt's
// case-insensitive compare showed in profiles).
bool hasPrefixNoCase(QStringView s, const char *w)
{
    qsizetype i = 0;
    for (; w[i]; ++i) {
        if (i >= s.size())
            return false;
        char16_t c = s[i].unicode();
        if (c >= 'A' && c <= 'Z')
            c = char16_t(c + 32);
        if (c != char16_t(w[i]))
            return false;
    }
    return true;
}

bool oneOf(QStringView s, std::initializer_list<const char *> words)
{
    for (const char *w : words)
        if (qsizetype(qstrlen(w)) == s.size() && hasPrefixNoCase(s, w))
            return true;
    return false;
}

bool startsWithAny(QStringView s, std::initializer_list<const char *> words)
{
    for (const char *w : words)
        if (hasPrefixNoCase(s, w))
            return true;
    return false;
}

// A value that can be a password: not another switch, not a prompt ("*"), not empty.
bool passwordValue(QStringView v)
{
    return !v.isEmpty() && v != QLatin1String("*") && v[0] != QLatin1Char('-') &&
           v[0] != QLatin1Char('/') && v.size() <= 128;
}

// "user:secret@host" or "scheme://user:secret@host".
bool userInfoPassword(QStringView t)
{
    const qsizetype at = t.indexOf(QLatin1Char('@'));
    if (at <= 0)
        return false;
    qsizetype from = 0;
    const qsizetype scheme = findAscii(t, QLatin1StringView("://"));
    if (scheme >= 0) {
        if (scheme > at)
            return false;
        from = scheme + 3;
    }
    const QStringView user = t.mid(from, at - from);
    const qsizetype colon = user.indexOf(QLatin1Char(':'));
    return colon > 0 && colon + 1 < user.size() && !user.contains(QLatin1Char('\\')) &&
           !user.contains(QLatin1Char(' ')) && at + 1 < t.size();
}

Finding credentialFinding(const CmdToken &from, const CmdToken &to, QStringView text, int layer)
{
    Finding f;
    f.category = QStringLiteral("credential_access");
    f.rule = QStringLiteral("cred:plain-text-password");
    f.layer = layer;
    f.start = from.start;
    f.end = qMax(from.end, to.end);
    // The switch only: the password itself stays out of reports and logs ("/pass:secret" ->
    // "/pass:", "admin:secret@host" -> "admin:").
    QStringView sw = text.mid(from.start, qMin<qsizetype>(from.end - from.start, 64));
    const qsizetype sep = sw.indexOf(QLatin1Char(':'), 1);
    const qsizetype eq = sw.indexOf(QLatin1Char('='));
    if (sep > 0)
        sw = sw.left(sep + 1);
    else if (eq > 0)
        sw = sw.left(eq + 1);
    f.match = sw.toString();
    f.mitre = QStringLiteral("T1552");
    f.tactic = QStringLiteral("credential-access");
    f.weight = 25;
    return f;
}

bool intentFinding(const Finding &f)
{
    const QString &c = f.category;
    if (c == QLatin1String("base64") || c == QLatin1String("suspicious_parameters") ||
        c == QLatin1String("temp_path") || c == QLatin1String("mixed_case_powershell"))
        return false;
    if (c == QLatin1String("reconnaissance"))
        return f.weight >= 15;
    if (c == QLatin1String("string_obfuscation"))
        return f.weight >= 25;
    if (c == QLatin1String("indicators"))
        return true; // a public destination inside an encoded payload
    return f.weight > 0;
}

QString urlHost(const QString &url)
{
    qsizetype s = findAscii(url, QLatin1StringView("://"));
    s = s < 0 ? 0 : s + 3;
    qsizetype e = s;
    while (e < url.size() && url[e] != QLatin1Char('/') && url[e] != QLatin1Char('?') &&
           url[e] != QLatin1Char('#'))
        ++e;
    QString host = url.mid(s, e - s).toLower();
    const qsizetype at = host.lastIndexOf(QLatin1Char('@'));
    if (at >= 0)
        host = host.mid(at + 1);
    const qsizetype colon = host.indexOf(QLatin1Char(':'));
    if (colon >= 0)
        host.truncate(colon);
    return host;
}

bool vendorHost(const QString &host, const QStringList &domains)
{
    for (const QString &d : domains) {
        if (host == d || (host.endsWith(d) && host.size() > d.size() &&
                          host[host.size() - d.size() - 1] == QLatin1Char('.')))
            return true;
    }
    return false;
}

void discount(Finding *f, int weight, const QString &why)
{
    if (weight >= f->weight)
        return;
    f->weight = weight;
    f->note = f->note.isEmpty() ? why : f->note + QStringLiteral("; ") + why;
}

// The program the line starts: "\??\C:\Program Files\Google\Update\GoogleUpdate.exe" -> its
// full lowercase path and its file name.
std::pair<QString, QString> startingProgram(QStringView line)
{
    // Only the first argument: no tokenizer (it would copy the rest of the line).
    qsizetype i = 0;
    while (i < line.size() && line[i].isSpace())
        ++i;
    qsizetype end;
    if (i < line.size() && line[i] == QLatin1Char('"')) {
        ++i;
        end = line.indexOf(QLatin1Char('"'), i);
    } else {
        end = i;
        while (end < line.size() && !line[end].isSpace())
            ++end;
    }
    if (end < 0)
        end = line.size();
    QString path = line.mid(i, qMin<qsizetype>(end - i, 1024)).toString().toLower();
    if (path.startsWith(QLatin1String("\\??\\")))
        path = path.mid(4);
    return {path, Tokenizer::programName(path)};
}

bool installedProgram(const QString &path, const QString &name, const QStringList &lolbinNames)
{
    const bool programFiles = path.startsWith(QLatin1String("c:\\program files\\")) ||
                              path.startsWith(QLatin1String("c:\\program files (x86)\\")) ||
                              path.startsWith(QLatin1String("%programfiles%\\")) ||
                              path.startsWith(QLatin1String("%programfiles(x86)%\\"));
    if (!programFiles || name.isEmpty())
        return false;
    // A script host or shell installed there still runs whatever it is given.
    static const char *const hosts[] = {"powershell.exe", "pwsh.exe",    "cmd.exe",   "python.exe",
                                        "pythonw.exe",    "node.exe",    "java.exe",  "javaw.exe",
                                        "wscript.exe",    "cscript.exe", "mshta.exe", "bash.exe",
                                        "perl.exe",       "ruby.exe",    "php.exe"};
    for (const char *h : hosts)
        if (name == QLatin1String(h))
            return false;
    return !lolbinNames.contains(name);
}

// Cheap pre-check before tokenizing, one pass over the switches: a password switch with a
// user switch, a password switch carrying its value (/pass:x), /user: (net use), or '@'.
bool mayHoldCredentials(QStringView text)
{
    bool sawPassword = false;
    bool sawUser = false;
    bool sawDirect = false;
    bool sawAt = false;
    // user:secret@host needs a ':' before the '@' with no space between (the tokens drop
    // quotes and carets, never spaces): a mail address or "@echo" alone is no credential.
    bool colonSinceSpace = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c == ' ') {
            colonSinceSpace = false;
        } else if (c == ':') {
            colonSinceSpace = true;
        } else if (c == '@') {
            sawAt = sawAt || colonSinceSpace;
            continue;
        }
        if ((c != '-' && c != '/') || (i > 0 && !text[i - 1].isSpace()))
            continue;
        qsizetype j = i + 1;
        if (c == '-' && j < text.size() && text[j] == QLatin1Char('-'))
            ++j;
        char word[12];
        int n = 0;
        while (j < text.size() && n < 11) {
            char16_t w = text[j].unicode();
            if (w >= 'A' && w <= 'Z')
                w = char16_t(w + 32);
            if (w < 'a' || w > 'z')
                break;
            word[n++] = char(w);
            ++j;
        }
        word[n] = 0;
        const QLatin1StringView sw(word, n);
        const bool valueAttached =
            j < text.size() && (text[j] == QLatin1Char(':') || text[j] == QLatin1Char('='));
        if (sw == QLatin1String("p") || sw == QLatin1String("pw") || sw == QLatin1String("pwd") ||
            sw == QLatin1String("pass") || sw == QLatin1String("password") ||
            sw == QLatin1String("passwd") || sw == QLatin1String("rp")) {
            sawPassword = true;
            sawDirect = sawDirect || (valueAttached && n >= 4);
        } else if (sw == QLatin1String("u") || sw == QLatin1String("user") ||
                   sw == QLatin1String("username")) {
            sawUser = true;
            sawDirect = sawDirect || (valueAttached && c == '/'); // net use ... /user:x secret
        }
        i = j - 1;
    }
    return (sawPassword && sawUser) || sawDirect || sawAt;
}

// Where each way of writing a credential appears among the tokens (-1: nowhere).
struct CredentialTokens
{
    bool userSwitch = false;
    int passwordAt = -1; // -p secret (counts with a user switch)
    int directAt = -1;   // /pass:secret
    int netUseAt = -1;   // net use ... /user:x secret
    int userInfoAt = -1; // user:secret@host
};

CredentialTokens findCredentialTokens(const TokenList &tokens)
{
    CredentialTokens c;
    bool netUse = false;
    for (int i = 0; i < tokens.size(); ++i) {
        const QStringView t(tokens[i].text);
        if (t.isEmpty() || t.size() > kMaxSwitchChars)
            continue;
        const QChar lead = t[0];
        if (lead != QLatin1Char('-') && lead != QLatin1Char('/')) {
            // Not a switch: "use" after net, or user:secret@host.
            if (t.size() == 3 && i > 0 &&
                t.compare(QLatin1String("use"), Qt::CaseInsensitive) == 0) {
                const QString prog = Tokenizer::programName(tokens[i - 1].text);
                netUse = prog == QLatin1String("net") || prog == QLatin1String("net.exe") ||
                         prog == QLatin1String("net1") || prog == QLatin1String("net1.exe");
            } else if (c.userInfoAt < 0 && t.contains(QLatin1Char('@')) && userInfoPassword(t)) {
                c.userInfoAt = i;
            }
            continue;
        }
        if (t.size() < 2)
            continue;
        const char16_t first = t[1].unicode() | 0x20;
        if (first != 'u' && first != 'p' && first != 'r' && t[1] != QLatin1Char('-'))
            continue;
        const QStringView next =
            i + 1 < tokens.size() ? QStringView(tokens[i + 1].text) : QStringView();
        if (oneOf(t, {"-u", "/u", "-user", "--user", "/user", "-username", "--username",
                      "/username"}) ||
            startsWithAny(t, {"/user:", "-user:", "/u:", "-username:"})) {
            c.userSwitch = true;
            if (netUse && c.netUseAt < 0 &&
                t.startsWith(QLatin1String("/user:"), Qt::CaseInsensitive) && passwordValue(next))
                c.netUseAt = i;
            continue;
        }
        if (c.passwordAt < 0 &&
            oneOf(t, {"-p", "/p", "-pw", "-pwd", "-pass", "--pass", "-password", "--password",
                      "/password", "/pass", "/rp", "-rp", "-passwd"}) &&
            passwordValue(next))
            c.passwordAt = i;
        if (c.directAt < 0 &&
            startsWithAny(t, {"/pass:", "/password:", "-password:", "/passwd:", "--password="})) {
            const qsizetype sep = t.indexOf(QLatin1Char(':')) >= 0 ? t.indexOf(QLatin1Char(':'))
                                                                   : t.indexOf(QLatin1Char('='));
            if (passwordValue(t.mid(sep + 1)))
                c.directAt = i;
        }
    }
    return c;
}

} // namespace

void detectPlainTextCredentials(QStringView text, int layer, QList<Finding> *findings,
                                const std::vector<std::pair<qsizetype, qsizetype>> *opaque)
{
    if (!mayHoldCredentials(text))
        return;
    const TokenList tokens =
        Tokenizer::split(text, Tokenizer::Dialect::Cmd, 256, opaque, kMaxSwitchChars);
    const CredentialTokens c = findCredentialTokens(tokens);
    int at = c.directAt;
    if (at < 0 && c.userSwitch && c.passwordAt >= 0)
        at = c.passwordAt;
    if (at < 0)
        at = c.netUseAt;
    if (at < 0)
        at = c.userInfoAt;
    if (at < 0)
        return;
    const CmdToken &from = tokens[at];
    const CmdToken &to = at + 1 < tokens.size() ? tokens[at + 1] : from;
    findings->push_back(
        credentialFinding(from, at == c.userInfoAt || at == c.directAt ? from : to, text, layer));
}

namespace {

// What each decoded payload does: an encoding around nothing suspicious is discounted, one
// hiding an intent weighs at least 40.
void contextEncodedPayloads(AnalysisResult *r)
{
    for (int k = 0; k < r->layers.size(); ++k) {
        const DecodeLayer &l = r->layers[k];
        if (!l.transform.startsWith(QLatin1String("base64")))
            continue;
        bool intent = false;
        for (const Finding &f : r->findings)
            intent = intent || (f.layer >= k + 1 && intentFinding(f));
        const QStringView decoded = QStringView(l.text).trimmed();
        const bool data = !decoded.isEmpty() &&
                          (decoded[0] == QLatin1Char('<') || decoded[0] == QLatin1Char('{') ||
                           decoded[0] == QLatin1Char('[')) &&
                          !decoded.startsWith(QLatin1String("[char"), Qt::CaseInsensitive) &&
                          !decoded.startsWith(QLatin1String("[system."), Qt::CaseInsensitive) &&
                          !decoded.startsWith(QLatin1String("[convert]"), Qt::CaseInsensitive) &&
                          !decoded.startsWith(QLatin1String("[ref]"), Qt::CaseInsensitive) &&
                          !decoded.startsWith(QLatin1String("[reflection"), Qt::CaseInsensitive);
        for (Finding &f : r->findings) {
            const bool thisLayer = f.layer == k && f.rule.startsWith(QLatin1String("layer:")) &&
                                   (f.category == QLatin1String("base64") ||
                                    f.category == QLatin1String("double_encoding"));
            if (thisLayer && !intent)
                discount(&f, data ? 0 : 5,
                         data ? QStringLiteral("decoded payload is data (XML/JSON), not code")
                              : QStringLiteral("decoded payload does nothing suspicious"));
            else if (thisLayer && intent && f.weight < 40) {
                f.weight = 40;
                f.note = QStringLiteral("the encoding hides what the decoded payload does");
            }
            if (!intent && f.rule == QLatin1String("ps:encoded-command") && f.layer == k)
                discount(&f, 0, QStringLiteral("decoded payload does nothing suspicious"));
        }
    }
}

// Encoded data handed to a program installed under Program Files is that program's business.
void contextInstalledProgram(AnalysisResult *r, const QStringList &lolbinNames)
{
    bool layerZeroData = false;
    for (const Finding &f : r->findings)
        layerZeroData =
            layerZeroData ||
            (f.layer == 0 && f.rule.startsWith(QLatin1String("layer:")) && f.weight > 0 &&
             (f.category == QLatin1String("base64") ||
              f.category == QLatin1String("string_obfuscation")));
    const auto [path, name] =
        layerZeroData ? startingProgram(r->commandLine) : std::pair<QString, QString>();
    if (layerZeroData && installedProgram(path, name, lolbinNames)) {
        for (Finding &f : r->findings) {
            if (f.layer == 0 && f.rule.startsWith(QLatin1String("layer:")) &&
                (f.category == QLatin1String("base64") ||
                 f.category == QLatin1String("string_obfuscation")))
                discount(&f, 0,
                         QStringLiteral("data passed to a program installed under Program Files"));
        }
    }
}

// Downloads from a vendor's own distribution domain.
void contextVendorDownloads(AnalysisResult *r, const QStringList &vendorDomains)
{
    if (vendorDomains.isEmpty())
        return;
    int vendor = 0;
    int other = 0;
    for (const ExtractedIndicator &i : r->indicators) {
        if (i.internal)
            continue;
        if (i.type == QLatin1String("url") || i.type == QLatin1String("domain")) {
            const bool v =
                vendorHost(i.type == QLatin1String("url") ? urlHost(i.value) : i.value.toLower(),
                           vendorDomains);
            vendor += v;
            other += !v && i.type == QLatin1String("url");
        } else if (i.type == QLatin1String("ipv4") || i.type == QLatin1String("ipv6")) {
            ++other;
        }
    }
    if (vendor == 0 || other > 0)
        return;
    // One installer download is one piece of weak evidence: the strongest network finding
    // keeps a fifth of its weight, its echoes (the same fetch seen by several rules) none.
    const QString why =
        QStringLiteral("every destination is a software vendor's distribution domain");
    auto network = [](const Finding &f) {
        const QString &c = f.category;
        return c == QLatin1String("download_cradle") ||
               c == QLatin1String("dynamic_code_execution") || c == QLatin1String("indicators") ||
               c == QLatin1String("lolbin_proxy_execution") ||
               c == QLatin1String("suspicious_parameters") ||
               (c == QLatin1String("defense_evasion") && f.weight <= 15);
    };
    Finding *strongest = nullptr;
    for (Finding &f : r->findings)
        if (network(f) && (!strongest || f.weight > strongest->weight))
            strongest = &f;
    for (Finding &f : r->findings)
        if (network(f))
            discount(&f, &f == strongest ? f.weight / 5 : 0, why);
}

} // namespace

void applyContext(AnalysisResult *r, const QStringList &vendorDomains,
                  const QStringList &lolbinNames)
{
    contextEncodedPayloads(r);
    contextInstalledProgram(r, lolbinNames);
    contextVendorDownloads(r, vendorDomains);
}

} // namespace causa::detail
