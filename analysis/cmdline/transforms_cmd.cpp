// cmd.exe de-obfuscation: carets, variables set on the line, %VAR:~n,m% substrings.
#include "textscan.h"
#include "transforms.h"

#include <QHash>

namespace causa::detail {

namespace {

// Values of variables on a default Windows install, for %VAR:~n,m% tricks that carve
// "cmd" or "powershell" out of them (Invoke-DOSfuscation does this).
const QHash<QString, QString> &defaultEnvironment()
{
    static const QHash<QString, QString> env = [] {
        QHash<QString, QString> e;
        auto add = [&e](const char *k, const char *v) {
            e.insert(QString::fromLatin1(k), QString::fromLatin1(v));
        };
        add("windir", "C:\\WINDOWS");
        add("systemroot", "C:\\WINDOWS");
        add("comspec", "C:\\WINDOWS\\system32\\cmd.exe");
        add("programfiles", "C:\\Program Files");
        add("programfiles(x86)", "C:\\Program Files (x86)");
        add("programw6432", "C:\\Program Files");
        add("commonprogramfiles", "C:\\Program Files\\Common Files");
        add("commonprogramfiles(x86)", "C:\\Program Files (x86)\\Common Files");
        add("commonprogramw6432", "C:\\Program Files\\Common Files");
        add("programdata", "C:\\ProgramData");
        add("allusersprofile", "C:\\ProgramData");
        add("public", "C:\\Users\\Public");
        add("systemdrive", "C:");
        add("os", "Windows_NT");
        add("pathext", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC");
        add("processor_architecture", "AMD64");
        add("psmodulepath", "C:\\WINDOWS\\system32\\WindowsPowerShell\\v1.0\\Modules\\");
        // User-dependent: only offsets counted from the end are meaningful for these.
        add("tmp", "C:\\Users\\user\\AppData\\Local\\Temp");
        add("temp", "C:\\Users\\user\\AppData\\Local\\Temp");
        add("appdata", "C:\\Users\\user\\AppData\\Roaming");
        add("localappdata", "C:\\Users\\user\\AppData\\Local");
        add("userprofile", "C:\\Users\\user");
        add("homepath", "\\Users\\user");
        return e;
    }();
    return env;
}

constexpr int kMaxVariables = 512;
constexpr qsizetype kMaxName = 80;

// Lowercases name into *buffer, reusing its storage: hostile lines name variables 100,000
// times and a fresh QString per lookup dominated their cost.
const QString &lowerKey(QStringView name, QString *buffer)
{
    buffer->resize(name.size());
    QChar *d = buffer->data();
    for (qsizetype i = 0; i < name.size(); ++i)
        d[i] = QChar(asciiLower(name[i].unicode()));
    return *buffer;
}

// Variables assigned on the line with "set NAME=VALUE" (also `set "NAME=VALUE"`). A name set
// to two different values is dropped: without running the line we cannot know which one holds.
QHash<QString, QString> lineVariables(QStringView text)
{
    QHash<QString, QString> vars;
    QHash<QString, bool> ambiguous;
    QString key;
    qsizetype pos = 0;
    while ((pos = findNoCase(text, QLatin1StringView("set"), pos)) >= 0) {
        const qsizetype at = pos;
        pos += 3;
        if (at > 0) {
            const char16_t b = text[at - 1].unicode();
            if (!(isSpace(b) || b == '&' || b == '|' || b == '(' || b == '"' || b == '@'))
                continue;
        }
        if (pos >= text.size() || !isSpace(text[pos].unicode()))
            continue;
        qsizetype i = skipSpaces(text, pos);
        if (i < text.size() && text[i] == QLatin1Char('/'))
            continue; // set /a, set /p
        bool quoted = false;
        if (i < text.size() && text[i] == QLatin1Char('"')) {
            quoted = true;
            ++i;
        }
        const qsizetype nameStart = i;
        while (i < text.size() && i - nameStart <= kMaxName) {
            const char16_t c = text[i].unicode();
            if (c == '=' || c == '&' || c == '|' || c == '%' || c == '!' || c == '\n' || c == '"')
                break;
            ++i;
        }
        if (i >= text.size() || text[i] != QLatin1Char('=') || i == nameStart)
            continue;
        const QString &name = lowerKey(text.mid(nameStart, i - nameStart), &key);
        ++i;
        const qsizetype valueStart = i;
        while (i < text.size()) {
            const char16_t c = text[i].unicode();
            if (c == '"' || c == '\n' || (!quoted && (c == '&' || c == '|' || c == ')')))
                break;
            ++i;
        }
        const QStringView value = text.mid(valueStart, i - valueStart);
        pos = i;
        if (ambiguous.contains(name))
            continue;
        // Compared before anything is copied: the same assignment repeated is the common case.
        const auto it = vars.constFind(name);
        if (it != vars.constEnd()) {
            if (QStringView(*it) != value) {
                ambiguous.insert(name, true);
                vars.remove(name);
            }
            continue;
        }
        if (vars.size() >= kMaxVariables)
            break;
        vars.insert(name, value.toString());
    }
    return vars;
}

bool resolved(const QString &value)
{
    return !value.contains(QLatin1Char('%')) && !value.contains(QLatin1Char('!'));
}

// Parses a signed decimal with surrounding blanks (DOSfuscation pads "~  -3,  +1").
bool parseSigned(QStringView t, qsizetype *pos, int *value)
{
    qsizetype i = skipSpaces(t, *pos);
    int sign = 1;
    if (i < t.size() && (t[i] == QLatin1Char('-') || t[i] == QLatin1Char('+'))) {
        sign = t[i] == QLatin1Char('-') ? -1 : 1;
        ++i;
    }
    if (i >= t.size() || !isDigit(t[i].unicode()))
        return false;
    qint64 v = 0;
    while (i < t.size() && isDigit(t[i].unicode()) && v < 100000000)
        v = v * 10 + (t[i++].unicode() - '0');
    *value = int(v) * sign;
    *pos = skipSpaces(t, i);
    return true;
}

// cmd's %VAR:~start,length% arithmetic.
QString cmdSubstring(const QString &value, int start, bool hasLength, int length)
{
    const int n = int(value.size());
    int s = start < 0 ? qMax(0, n + start) : qMin(start, n);
    int e = n;
    if (hasLength)
        e = length < 0 ? qMax(s, n + length) : qMin(n, s + length);
    return e > s ? value.mid(s, e - s) : QString();
}

} // namespace

bool caretTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('^'))
        return false;
    const qsizetype first = text.indexOf(QLatin1Char('^'));
    if (first < 0)
        return false;
    QString result;
    result.reserve(text.size());
    result.append(text.left(first));
    bool inQuotes = false;
    bool quotedCaret = false;
    for (qsizetype i = 0; i < first; ++i)
        if (text[i] == QLatin1Char('"'))
            inQuotes = !inQuotes;
    for (qsizetype i = first; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('"'))
            inQuotes = !inQuotes;
        if (c == QLatin1Char('^')) {
            // PowerShell/regex anchors ("-match '^abc'") are not cmd escapes.
            if ((i + 1 < text.size() && text[i + 1] == QLatin1Char('\'')) ||
                (i > 0 && text[i - 1] == QLatin1Char('\''))) {
                result += c;
                continue;
            }
            out->touch(i, i + 2);
            ++out->edits;
            quotedCaret = quotedCaret || inQuotes;
            if (i + 1 < text.size()) {
                result += text[i + 1];
                if (text[i + 1] == QLatin1Char('"'))
                    inQuotes = !inQuotes;
            }
            ++i;
            continue;
        }
        result += c;
    }
    if (out->edits == 0)
        return false;
    out->transform = QStringLiteral("caret");
    out->text = std::move(result);
    if (quotedCaret)
        out->note = QStringLiteral("carets inside double quotes were removed too; cmd.exe keeps "
                                   "them literally unless the quoted text is parsed again "
                                   "(cmd /c \"...\", call)");
    return true;
}

bool setVariableTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has('=') || (!scan.has('%') && !scan.has('!')))
        return false;
    const QHash<QString, QString> vars = lineVariables(text);
    if (vars.isEmpty())
        return false;
    QString result;
    result.reserve(text.size());
    QString key;
    qsizetype i = 0;
    qsizetype copied = 0; // text[copied, i) is still to be appended: plain text is copied in runs
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == QLatin1Char('%') || c == QLatin1Char('!')) {
            // %NAME% / !NAME! / %NAME:old=new%
            qsizetype j = i + 1;
            while (j < text.size() && j - i <= kMaxName + 64 && text[j] != c &&
                   text[j] != QLatin1Char('\n'))
                ++j;
            if (j < text.size() && text[j] == c && j > i + 1) {
                const QStringView inner = text.mid(i + 1, j - i - 1);
                const qsizetype colon = inner.indexOf(QLatin1Char(':'));
                const QString &name = lowerKey(colon >= 0 ? inner.left(colon) : inner, &key);
                const auto it = vars.constFind(name);
                if (it != vars.constEnd() && resolved(*it)) {
                    QString value = *it;
                    bool ok = colon < 0;
                    if (colon >= 0 && colon + 1 < inner.size() &&
                        inner[colon + 1] != QLatin1Char('~')) {
                        const QStringView spec = inner.mid(colon + 1);
                        const qsizetype eq = spec.indexOf(QLatin1Char('='));
                        if (eq > 0) {
                            QStringView from = spec.left(eq);
                            bool star = from.startsWith(QLatin1Char('*'));
                            if (star) {
                                const qsizetype at =
                                    value.indexOf(from.mid(1), 0, Qt::CaseInsensitive);
                                if (at >= 0)
                                    value = spec.mid(eq + 1).toString() +
                                            value.mid(at + from.size() - 1);
                            } else {
                                value.replace(from.toString(), spec.mid(eq + 1).toString(),
                                              Qt::CaseInsensitive);
                            }
                            ok = true;
                        }
                    }
                    if (ok) {
                        if (result.size() + (i - copied) + value.size() > kMaxTransformOutput)
                            return false;
                        result.append(text.mid(copied, i - copied));
                        result += value;
                        out->touch(i, j + 1);
                        ++out->edits;
                        i = j + 1;
                        copied = i;
                        continue;
                    }
                }
            }
        }
        ++i;
    }
    result.append(text.mid(copied));
    if (out->edits == 0)
        return false;
    out->transform = QStringLiteral("set-variable");
    out->text = std::move(result);
    out->note = QStringLiteral("variables expanded from the 'set' commands on the line, in text "
                               "order; cmd.exe expands %VAR% when a line is read, so 'call' or "
                               "delayed expansion is needed for the same effect");
    return true;
}

bool envSubstringTransform(QStringView text, const LayerScan &scan, TransformOutput *out)
{
    if (!scan.has(':') || !scan.has('~') || findAscii(text, QLatin1StringView(":~")) < 0)
        return false;
    QHash<QString, QString> vars;
    bool varsParsed = false;
    bool usedDefault = false;
    QString result;
    result.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == QLatin1Char('%') || c == QLatin1Char('!')) {
            qsizetype j = i + 1;
            while (j < text.size() && j - i <= kMaxName && text[j] != QLatin1Char(':') &&
                   text[j] != c && text[j] != QLatin1Char('\n'))
                ++j;
            if (j + 1 < text.size() && text[j] == QLatin1Char(':') &&
                text[j + 1] == QLatin1Char('~') && j > i + 1) {
                const QString name = text.mid(i + 1, j - i - 1).toString().trimmed().toLower();
                qsizetype k = j + 2;
                int start = 0;
                int length = 0;
                bool hasLength = false;
                bool ok = parseSigned(text, &k, &start);
                if (ok && k < text.size() && text[k] == QLatin1Char(',')) {
                    ++k;
                    ok = parseSigned(text, &k, &length);
                    hasLength = true;
                }
                if (ok && k < text.size() && text[k] == c) {
                    if (!varsParsed) {
                        vars = lineVariables(text);
                        varsParsed = true;
                    }
                    QString value;
                    bool known = false;
                    const auto it = vars.constFind(name);
                    if (it != vars.constEnd() && resolved(*it)) {
                        value = *it;
                        known = true;
                    } else if (defaultEnvironment().contains(name)) {
                        value = defaultEnvironment().value(name);
                        known = true;
                        usedDefault = true;
                    }
                    if (known) {
                        if (result.size() > kMaxTransformOutput)
                            return false;
                        result += cmdSubstring(value, start, hasLength, length);
                        out->touch(i, k + 1);
                        ++out->edits;
                        i = k + 1;
                        continue;
                    }
                }
            }
        }
        result += c;
        ++i;
    }
    if (out->edits == 0)
        return false;
    out->transform = QStringLiteral("env-substring");
    out->text = std::move(result);
    if (usedDefault)
        out->note = QStringLiteral("environment variables assumed to hold their default Windows "
                                   "values (user folders as C:\\Users\\user)");
    return true;
}

} // namespace causa::detail
