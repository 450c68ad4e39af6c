#include "powershelldetectors.h"

#include "textscan.h"
#include "tokenizer.h"

namespace causa::detail {

namespace {

constexpr qsizetype kMaxWordChars = 1024;

bool hasRule(const QList<Finding> &findings, const QString &rule)
{
    for (const Finding &f : findings)
        if (f.rule == rule)
            return true;
    return false;
}

// "-w" .. "-windowstyle": an unambiguous prefix of name at least minLength long (any case).
bool isSwitch(QStringView name, QLatin1StringView full, int minLength)
{
    return name.size() >= minLength && full.startsWith(name, Qt::CaseInsensitive);
}

bool equalsNoCase(QStringView s, QLatin1StringView lower)
{
    return s.compare(lower, Qt::CaseInsensitive) == 0;
}

// The program a token names, as a view (no lowered copy per token on the hot path).
QStringView programView(QStringView token)
{
    for (qsizetype i = token.size() - 1; i >= 0; --i) {
        const QChar c = token[i];
        if (c == QLatin1Char('\\') || c == QLatin1Char('/') || c == QLatin1Char(':'))
            return token.mid(i + 1);
    }
    return token;
}

bool isPowerShellProgram(QStringView program)
{
    return startsWithNoCase(program, QLatin1StringView("powershell")) ||
           startsWithNoCase(program, QLatin1StringView("pwsh"));
}

// poWerSheLl: several lower→upper switches after the first letter.
bool mixedCase(QStringView s)
{
    int flips = 0;
    for (qsizetype i = 1; i < s.size(); ++i)
        if (s[i].isUpper() && s[i - 1].isLower())
            ++flips;
    return flips >= 2;
}

void add(QList<Finding> *findings, const QString &rule, const char *category, const CmdToken &from,
         const CmdToken &to, QStringView text, int layer, const char *mitre, const char *tactic,
         int weight)
{
    if (hasRule(*findings, rule))
        return;
    Finding f;
    f.category = QString::fromLatin1(category);
    f.rule = rule;
    f.layer = layer;
    f.start = from.start;
    f.end = to.end;
    f.match = text.mid(f.start, qMin<qsizetype>(f.end - f.start, 200)).toString();
    f.mitre = QString::fromLatin1(mitre);
    f.tactic = QString::fromLatin1(tactic);
    f.weight = weight;
    findings->push_back(std::move(f));
}

} // namespace

void detectPowerShellTraits(QStringView text, int layer, QList<Finding> *findings,
                            const std::vector<std::pair<qsizetype, qsizetype>> *opaque)
{
    const TokenList tokens =
        Tokenizer::split(text, Tokenizer::Dialect::Cmd, 256, opaque, kMaxWordChars);
    bool inPowerShell = false;
    for (qsizetype t = 0; t < tokens.size(); ++t) {
        const CmdToken &tok = tokens[t];
        // Program names and switches are short; a long token is a payload (never lowercased
        // or copied here: on a multi-megabyte -enc chain that dominated the cost).
        if (tok.text.size() > kMaxWordChars)
            continue;
        const QStringView program = programView(tok.text);
        const bool ps = isPowerShellProgram(program);
        if (ps || startsWithNoCase(program, QLatin1StringView("cmd"))) {
            QStringView stem = program;
            const qsizetype ext = stem.lastIndexOf(QLatin1Char('.'));
            if (ext > 0)
                stem = stem.left(ext);
            if (mixedCase(stem))
                add(findings, QStringLiteral("mixed-case-program"), "mixed_case_powershell", tok,
                    tok, text, layer, "T1027.010", "defense-evasion", 20);
        }
        if (ps) {
            inPowerShell = true;
            continue;
        }
        if (!inPowerShell || tok.text.size() < 2)
            continue;
        const char16_t d = tok.text[0].unicode();
        if (!isDash(d) && d != '/')
            continue;
        const QStringView name = QStringView(tok.text).mid(1);
        const QStringView value =
            t + 1 < tokens.size() && tokens[t + 1].text.size() <= kMaxWordChars
                ? QStringView(tokens[t + 1].text)
                : QStringView();
        const CmdToken &valueTok = t + 1 < tokens.size() ? tokens[t + 1] : tok;
        if (isSwitch(name, QLatin1StringView("windowstyle"), 1) && !value.isEmpty() &&
            (QLatin1StringView("hidden").startsWith(value, Qt::CaseInsensitive) ||
             value == QLatin1String("1"))) {
            add(findings, QStringLiteral("ps:hidden-window"), "suspicious_parameters", tok,
                valueTok, text, layer, "T1564.003", "defense-evasion", 15);
        } else if ((isSwitch(name, QLatin1StringView("executionpolicy"), 2) ||
                    equalsNoCase(name, QLatin1StringView("ep"))) &&
                   (equalsNoCase(value, QLatin1StringView("bypass")) ||
                    equalsNoCase(value, QLatin1StringView("unrestricted")))) {
            add(findings, QStringLiteral("ps:execution-policy-bypass"), "suspicious_parameters",
                tok, valueTok, text, layer, "T1059.001", "execution", 10);
        } else if (isSwitch(name, QLatin1StringView("noprofile"), 3)) {
            add(findings, QStringLiteral("ps:noprofile"), "suspicious_parameters", tok, tok, text,
                layer, "T1059.001", "execution", 5);
        } else if (isSwitch(name, QLatin1StringView("noninteractive"), 4)) {
            add(findings, QStringLiteral("ps:noninteractive"), "suspicious_parameters", tok, tok,
                text, layer, "T1059.001", "execution", 5);
        } else if (isSwitch(name, QLatin1StringView("encodedcommand"), 2) ||
                   equalsNoCase(name, QLatin1StringView("e")) ||
                   equalsNoCase(name, QLatin1StringView("ec"))) {
            add(findings, QStringLiteral("ps:encoded-command"), "suspicious_parameters", tok, tok,
                text, layer, "T1027.010", "defense-evasion", 10);
        }
    }
}

} // namespace causa::detail
