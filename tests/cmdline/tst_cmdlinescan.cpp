// The text scanners under every command-line layer, against references that are plainly right:
// findNoCase/findAscii (eight code units a step) against QStringView::indexOf, and the tokenizer
// (texts viewing the line or one shared buffer) against the former one, which built a QString
// per token and is kept here as the oracle. Random lines over an alphabet of every character
// class the scanners treat apart (spaces, quotes of both shells, escapes, base64 runs, non-ASCII,
// NUL, surrogates), at every offset around the eight-unit steps. The keyword scan (two walks
// over a range's halves) against a plain search for every keyword.
#include "cmdline/indicatorextractor.h"
#include "cmdline/keywordmatcher.h"
#include "cmdline/textscan.h"
#include "cmdline/tokenizer.h"
#include "cmdline/transforms.h"

#include <QHostAddress>

#include <QList>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <limits>

using namespace causa;
using namespace causa::detail;

namespace {

// ---- The former tokenizer (QString per token), unchanged but for its names.
struct OracleToken
{
    QString text;
    qsizetype start = 0;
    qsizetype end = 0;
    bool quoted = false;
};

struct OracleReader
{
    QStringView text;
    qsizetype cap;
    OracleToken t;
    qsizetype runStart = 0;
    bool inDouble = false;
    bool inSingle = false;

    void flush(qsizetype upTo)
    {
        if (upTo > runStart && t.text.size() < cap)
            t.text.append(text.mid(runStart, qMin(upTo - runStart, cap - t.text.size())));
    }
    void put(QChar c)
    {
        if (t.text.size() < cap)
            t.text += c;
    }
    void resume(qsizetype *i, qsizetype next)
    {
        *i = next;
        runStart = next;
    }
};

bool oracleCmdSpecial(OracleReader &r, qsizetype *i)
{
    const qsizetype n = r.text.size();
    const char16_t c = r.text[*i].unicode();
    if (c == '"') {
        r.flush(*i);
        if (r.inDouble && *i + 1 < n && r.text[*i + 1] == QLatin1Char('"')) {
            r.put(QLatin1Char('"'));
            r.resume(i, *i + 2);
            return true;
        }
        r.inDouble = !r.inDouble;
        r.t.quoted = true;
        r.resume(i, *i + 1);
        return true;
    }
    if (c == '^' && !r.inDouble && *i + 1 < n) {
        r.flush(*i);
        r.put(r.text[*i + 1]);
        r.resume(i, *i + 2);
        return true;
    }
    return false;
}

bool oraclePowerShellSpecial(OracleReader &r, qsizetype *i)
{
    const qsizetype n = r.text.size();
    const char16_t c = r.text[*i].unicode();
    if (!r.inDouble && isSingleQuote(c)) {
        r.flush(*i);
        if (r.inSingle && *i + 1 < n && isSingleQuote(r.text[*i + 1].unicode())) {
            r.put(QLatin1Char('\''));
            r.resume(i, *i + 2);
            return true;
        }
        r.inSingle = !r.inSingle;
        r.t.quoted = true;
        r.resume(i, *i + 1);
        return true;
    }
    if (!r.inSingle && isDoubleQuote(c)) {
        r.flush(*i);
        r.inDouble = !r.inDouble;
        r.t.quoted = true;
        r.resume(i, *i + 1);
        return true;
    }
    if (!r.inSingle && c == '`' && *i + 1 < n) {
        r.flush(*i);
        r.put(r.text[*i + 1]);
        r.resume(i, *i + 2);
        return true;
    }
    return false;
}

QList<OracleToken> oracleSplit(QStringView text, Tokenizer::Dialect dialect, int maxTokens,
                               const Spans *opaque, qsizetype maxTextChars)
{
    const qsizetype cap =
        maxTextChars < 0 ? std::numeric_limits<qsizetype>::max() : maxTextChars + 1;
    QList<OracleToken> tokens;
    size_t nextOpaque = 0;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && isSpace(text[i].unicode()))
            ++i;
        if (i >= n)
            break;
        OracleReader r{text, cap, OracleToken{}, i};
        r.t.start = i;
        if (tokens.size() + 1 >= maxTokens) {
            r.t.text = text.mid(i, qMin(n - i, cap)).toString();
            r.t.end = n;
            tokens.push_back(std::move(r.t));
            break;
        }
        while (i < n) {
            if (opaque) {
                while (nextOpaque < opaque->size() && (*opaque)[nextOpaque].second <= i)
                    ++nextOpaque;
                if (nextOpaque < opaque->size() && i >= (*opaque)[nextOpaque].first) {
                    i = (*opaque)[nextOpaque].second;
                    continue;
                }
            }
            if (!r.inDouble && !r.inSingle && isSpace(text[i].unicode()))
                break;
            const bool special = dialect == Tokenizer::Dialect::Cmd
                                     ? oracleCmdSpecial(r, &i)
                                     : oraclePowerShellSpecial(r, &i);
            if (!special)
                ++i;
        }
        r.flush(i);
        r.t.end = i;
        tokens.push_back(std::move(r.t));
    }
    return tokens;
}

// ---- Random lines.
QString randomLine(QRandomGenerator &rng, int length)
{
    static const char16_t alphabet[] = {
        u'a',   u'Z',   u'0',   u'=',   u'+',   u'/',   u' ',   u'\t',  u'\n',  u'"',
        u'"',   u'^',   u'^',   u'\'',  u'`',   u'\\',  u':',   u'-',   u'.',   u'e',
        u'E',   u'n',   u'C',   0x201C, 0x201D, 0x2018, 0x2019, 0x00E9, 0x0000, 0xD83D,
        0xDD1E, 0x8000, 0xFFFF, 0x0130, 0x2013, u'x',   u'x'};
    QString s(length, Qt::Uninitialized);
    for (int i = 0; i < length; ++i)
        s[i] = QChar(alphabet[rng.bounded(int(std::size(alphabet)))]);
    // Now and then a long plain run, so the eight-unit steps run more than once.
    if (length > 20 && rng.bounded(3) == 0) {
        const int at = rng.bounded(length - 20);
        for (int k = 0; k < 20; ++k)
            s[at + k] = QChar(u'A' + rng.bounded(26));
    }
    return s;
}

QString describe(const QString &line)
{
    QString out;
    for (QChar c : line)
        out += c.unicode() >= 0x20 && c.unicode() < 0x7F
                   ? QString(c)
                   : QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
    return out;
}

} // namespace

class TestCmdlineScan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findNoCaseMatchesIndexOf();
    void findAsciiMatchesIndexOf(); // and findUnit
    void findAtEveryOffset();
    void startsWithNoCaseMatchesQt();
    void tokenizerMatchesFormerTokenizer();
    void tokenTextsOutliveLaterTokens();
    void dottedQuadMatchesQHostAddress();
    void bareDomainsAndObfuscation();
    void keywordScanMatchesPlainSearch();
};

void TestCmdlineScan::findNoCaseMatchesIndexOf()
{
    QRandomGenerator rng(19);
    const char *const needles[] = {"e",    "ec",   "://",     "[char", "net user ", "powershell",
                                   "-1..", "\\\\", "http://", "xx",    "a0=",       "zzzz"};
    for (int round = 0; round < 3000; ++round) {
        const QString line = randomLine(rng, rng.bounded(0, 70));
        for (const char *n : needles) {
            const QLatin1StringView needle(n);
            for (qsizetype from : {qsizetype(0), qsizetype(1), qsizetype(7), qsizetype(9),
                                   line.size() - 3, line.size(), line.size() + 2}) {
                if (from < 0)
                    continue;
                // Qt folds case by Unicode, findNoCase by ASCII: they agree here because no
                // character of the alphabet folds to an ASCII letter but the ASCII letters.
                const qsizetype want = QStringView(line).indexOf(needle, from, Qt::CaseInsensitive);
                QVERIFY2(findNoCase(line, needle, from) == want,
                         qPrintable(describe(line) + QStringLiteral(" / ") + QLatin1String(n) +
                                    QStringLiteral(" from %1").arg(from)));
            }
        }
    }
}

void TestCmdlineScan::findAsciiMatchesIndexOf()
{
    QRandomGenerator rng(20);
    const char *const needles[] = {"://", "[:]//", "\\\\", ":~", "-1..", "\"", "AA", "x"};
    for (int round = 0; round < 3000; ++round) {
        const QString line = randomLine(rng, rng.bounded(0, 70));
        for (const char *n : needles) {
            const QLatin1StringView needle(n);
            for (qsizetype from = 0; from <= line.size() + 1; from += 5) {
                const qsizetype want = QStringView(line).indexOf(needle, from);
                QVERIFY2(findAscii(line, needle, from) == want,
                         qPrintable(describe(line) + QStringLiteral(" / ") + QLatin1String(n)));
            }
        }
        for (char16_t unit : {u'-', u'"', u'\u2013', u'\0', u'\uffff'}) {
            for (qsizetype from = 0; from <= line.size() + 1; from += 3) {
                const qsizetype want = QStringView(line).indexOf(QChar(unit), from);
                QVERIFY2(findUnit(line, unit, from) == want, qPrintable(describe(line)));
            }
        }
    }
}

// The needle at every position of texts of 0..40 units, in both cases, with a decoy of its first
// character before it: the step that finds the first character must still test each candidate.
void TestCmdlineScan::findAtEveryOffset()
{
    for (int len = 0; len <= 40; ++len) {
        for (int at = 0; at + 3 <= len; ++at) {
            QString s(len, QLatin1Char('.'));
            if (at > 0)
                s[at - 1] = QLatin1Char('N');
            s[at] = QLatin1Char('N');
            s[at + 1] = QLatin1Char('e');
            s[at + 2] = QLatin1Char('T');
            QCOMPARE(findNoCase(s, QLatin1StringView("net")), qsizetype(at));
            QCOMPARE(findNoCase(s, QLatin1StringView("net"), at + 1), qsizetype(-1));
            QCOMPARE(findAscii(s, QLatin1StringView("NeT")), qsizetype(at));
            QCOMPARE(findAscii(s, QLatin1StringView("net")), qsizetype(-1));
            // Cut before its last character: never found past the end.
            QCOMPARE(findNoCase(QStringView(s).first(at + 2), QLatin1StringView("net")),
                     qsizetype(-1));
            QCOMPARE(findAscii(QStringView(s).first(at + 2), QLatin1StringView("NeT")),
                     qsizetype(-1));
        }
    }
}

// startsWithNoCase answers as QStringView::startsWith(..., Qt::CaseInsensitive), also where
// Unicode folds a non-ASCII character to an ASCII letter (U+017F long s, U+212A Kelvin sign).
void TestCmdlineScan::startsWithNoCaseMatchesQt()
{
    const QList<QString> texts = {QStringLiteral("powershell.exe"),
                                  QStringLiteral("PowerShell"),
                                  QStringLiteral("POWERSHEL"),
                                  QStringLiteral(u"power\u017Fhell.exe"),
                                  QStringLiteral(u"\u017Fystem.Net"),
                                  QStringLiteral("System.Net.WebClient"),
                                  QStringLiteral(u"\u212Aerberos"),
                                  QStringLiteral(u"cmd\u00E9"),
                                  QStringLiteral("cm"),
                                  QString(),
                                  QStringLiteral("pwsh"),
                                  QStringLiteral(u"pw\u0000sh")};
    const char *const needles[] = {"powershell", "pwsh", "cmd", "system.", "kerberos"};
    for (const QString &t : texts)
        for (const char *n : needles)
            QVERIFY2(startsWithNoCase(t, QLatin1StringView(n)) ==
                         QStringView(t).startsWith(QLatin1StringView(n), Qt::CaseInsensitive),
                     qPrintable(describe(t) + QStringLiteral(" / ") + QLatin1String(n)));
    QVERIFY(startsWithNoCase(QStringLiteral(u"\u017Fystem.Net"), QLatin1StringView("system.")));
}

void TestCmdlineScan::tokenizerMatchesFormerTokenizer()
{
    QRandomGenerator rng(21);
    int tokensSeen = 0;
    int escapedSeen = 0;
    for (int round = 0; round < 4000; ++round) {
        const QString line = randomLine(rng, rng.bounded(0, 90));
        const Spans opaque = opaqueRuns(line, 4);
        for (auto dialect : {Tokenizer::Dialect::Cmd, Tokenizer::Dialect::PowerShell}) {
            for (int maxTokens : {1, 2, 3, 256}) {
                for (qsizetype maxText :
                     {qsizetype(-1), qsizetype(0), qsizetype(3), qsizetype(64)}) {
                    for (const Spans *skip : {static_cast<const Spans *>(nullptr), &opaque}) {
                        const QList<OracleToken> want =
                            oracleSplit(line, dialect, maxTokens, skip, maxText);
                        const TokenList got =
                            Tokenizer::split(line, dialect, maxTokens, skip, maxText);
                        const QString where =
                            describe(line) + QStringLiteral(" dialect %1 max %2 text %3 skip %4")
                                                 .arg(int(dialect))
                                                 .arg(maxTokens)
                                                 .arg(maxText)
                                                 .arg(skip != nullptr);
                        QVERIFY2(got.size() == want.size(), qPrintable(where));
                        for (qsizetype k = 0; k < got.size(); ++k) {
                            QVERIFY2(got[k].text == want[k].text && got[k].start == want[k].start &&
                                         got[k].end == want[k].end &&
                                         got[k].quoted == want[k].quoted,
                                     qPrintable(where + QStringLiteral(" token %1: ").arg(k) +
                                                describe(got[k].text.toString()) +
                                                QStringLiteral(" / ") + describe(want[k].text)));
                            ++tokensSeen;
                            escapedSeen += got[k].text !=
                                           QStringView(line).mid(got[k].start, got[k].text.size());
                        }
                    }
                }
            }
        }
    }
    // The random lines did reach both kinds of token.
    QVERIFY(tokensSeen > 100000);
    QVERIFY(escapedSeen > 10000);
}

// Many escaped tokens grow the shared buffer while the list is built: every earlier token's text
// must still read right afterwards, and after the list is moved.
void TestCmdlineScan::tokenTextsOutliveLaterTokens()
{
    QString line;
    for (int i = 0; i < 2000; ++i)
        line += QStringLiteral("\"tok %1\" a^b%1 ").arg(i);
    TokenList tokens = Tokenizer::split(line, Tokenizer::Dialect::Cmd);
    TokenList moved = std::move(tokens);
    QCOMPARE(moved.size(), qsizetype(4000));
    for (int i = 0; i < 2000; ++i) {
        QCOMPARE(moved[2 * i].text, QStringLiteral("tok %1").arg(i));
        QVERIFY(moved[2 * i].quoted);
        QCOMPARE(moved[2 * i + 1].text, QStringLiteral("ab%1").arg(i));
    }
}

// ipv4ToString writes its digits by hand: every octet width (0, 9, 10, 99, 100, 255) in every
// position, and random addresses, against QHostAddress.
void TestCmdlineScan::dottedQuadMatchesQHostAddress()
{
    const quint32 octets[] = {0, 1, 9, 10, 42, 99, 100, 127, 199, 200, 255};
    for (quint32 a : octets)
        for (quint32 b : octets)
            for (quint32 c : {0u, 9u, 99u, 255u})
                for (quint32 d : {0u, 10u, 100u, 255u}) {
                    const quint32 ip = (a << 24) | (b << 16) | (c << 8) | d;
                    QCOMPARE(ipv4ToString(ip), QHostAddress(ip).toString());
                }
    QRandomGenerator rng(22);
    for (int i = 0; i < 20000; ++i) {
        const quint32 ip = rng.generate();
        QCOMPARE(ipv4ToString(ip), QHostAddress(ip).toString());
    }
}

// The indicator scan's word checks: a bare word is a domain only with a listed top-level domain
// (compared as one packed word, any case, two to seven letters), and an indicator is obfuscated
// only when it was written other than its value but for case.
void TestCmdlineScan::bareDomainsAndObfuscation()
{
    auto extract = [](const QString &line) {
        QList<ExtractedIndicator> out;
        IndicatorExtractor::extract(line, 0, &out, 500);
        return out;
    };
    auto domains = [&extract](const QString &line) {
        QStringList out;
        for (const ExtractedIndicator &i : extract(line))
            if (i.type == QLatin1String("domain"))
                out << i.value;
        return out;
    };
    QCOMPARE(domains(QStringLiteral("ping evil.com")), QStringList{QStringLiteral("evil.com")});
    QCOMPARE(domains(QStringLiteral("ping EVIL.CoM")), QStringList{QStringLiteral("evil.com")});
    QCOMPARE(domains(QStringLiteral("ping a.website")), QStringList{QStringLiteral("a.website")});
    QCOMPARE(domains(QStringLiteral("ping a.gg")), QStringList{QStringLiteral("a.gg")});
    QVERIFY(domains(QStringLiteral("ping a.websites")).isEmpty()); // eight letters
    QVERIFY(domains(QStringLiteral("ping a.comm")).isEmpty());
    QVERIFY(domains(QStringLiteral("ping a.co1")).isEmpty());
    QVERIFY(domains(QStringLiteral("run update.ps1 chrome.exe a.c")).isEmpty());

    const QList<ExtractedIndicator> plain =
        extract(QStringLiteral("iwr HTTP://Evil.Example.com/a"));
    QVERIFY(!plain.isEmpty());
    for (const ExtractedIndicator &i : plain)
        QVERIFY2(!i.obfuscated, qPrintable(i.type + QLatin1Char(' ') + i.asWritten));
    bool sawObfuscated = false;
    for (const ExtractedIndicator &i : extract(QStringLiteral("iwr hxxp://evil[.]example[.]com/a")))
        sawObfuscated = sawObfuscated || (i.type == QLatin1String("url") && i.obfuscated);
    QVERIFY(sawObfuscated);
}

QTEST_GUILESS_MAIN(TestCmdlineScan)
#include "tst_cmdlinescan.moc"

// KeywordMatcher::scan walks a long range as two halves at once; a keyword across the split, a
// long one whose prefix the second walk's warm-up cannot see, and repeats on both sides must all
// give what one search per keyword gives: the first acceptable occurrence, listed in the order
// their ends come in the text.
void TestCmdlineScan::keywordScanMatchesPlainSearch()
{
    const QStringList words = {
        QStringLiteral("abc"), QStringLiteral("bc"), QStringLiteral("cab"), QStringLiteral("a"),
        QStringLiteral("|ab|"), QStringLiteral("|bca"), QStringLiteral("-enc"),
        // longer than the second walk's warm-up, and sharing prefixes with each other
        QStringLiteral("abcabcabcabcabcabcx"), QStringLiteral("abcabcabcabcabcabcabcabcabcabcy"),
        QStringLiteral("cabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcz")};
    KeywordMatcher m;
    QList<int> ids;
    for (const QString &w : words)
        ids << m.add(w);
    m.build();
    const QStringList pieces = {QStringLiteral("abc"),
                                QStringLiteral("ABC"),
                                QStringLiteral("b"),
                                QStringLiteral("c"),
                                QStringLiteral(" "),
                                QStringLiteral("-EnC"),
                                QStringLiteral("x"),
                                QStringLiteral("y"),
                                QStringLiteral("z"),
                                QStringLiteral("\u00e9"),
                                QStringLiteral("_"),
                                QStringLiteral("."),
                                QStringLiteral("abcabcabcabcabcabc")};
    // The plain search: the first start whose text matches (ASCII case folded) on the boundaries
    // the keyword asks for.
    auto plain = [](const QString &text, QString w) -> qsizetype {
        const bool left = w.startsWith(QLatin1Char('|'));
        const bool right = w.size() > 1 && w.endsWith(QLatin1Char('|'));
        if (left)
            w.remove(0, 1);
        if (right)
            w.chop(1);
        for (qsizetype s = 0; s + w.size() <= text.size(); ++s) {
            if (QStringView(text).mid(s, w.size()).compare(w, Qt::CaseInsensitive) != 0)
                continue;
            const qsizetype e = s + w.size();
            if (left && s > 0 && isWordChar(text[s - 1].unicode()))
                continue;
            if (right && e < text.size() && isWordChar(text[e].unicode()))
                continue;
            return s;
        }
        return -1;
    };
    QRandomGenerator rng(20261207);
    std::vector<qsizetype> firstPos;
    std::vector<int> found;
    int compared = 0, acrossHalves = 0;
    for (int round = 0; round < 4000; ++round) {
        // Half the texts open with filler, so that first occurrences fall in the second half.
        QString text;
        const int target = int(rng.bounded(400));
        if (round % 2)
            while (text.size() < target / 2)
                text += QLatin1String(rng.bounded(2) ? " " : "._");
        while (text.size() < target)
            text += pieces[int(rng.bounded(qsizetype(pieces.size())))];
        m.scan(text, &firstPos, &found);
        std::vector<qsizetype> endOf;
        for (int k = 0; k < words.size(); ++k) {
            const qsizetype want = plain(text, words[k]);
            QCOMPARE(firstPos[size_t(ids[k])], want);
            const bool listed = std::find(found.begin(), found.end(), ids[k]) != found.end();
            QCOMPARE(listed, want >= 0);
            if (want >= 0 && text.size() > 64 && want >= text.size() / 2)
                ++acrossHalves;
            ++compared;
        }
        qsizetype lastEnd = -1;
        for (int id : found) {
            const qsizetype end = firstPos[size_t(id)] + m.length(id);
            QVERIFY2(end >= lastEnd, qPrintable(describe(text)));
            lastEnd = end;
        }
    }
    QVERIFY(acrossHalves > 1000); // the second walk's hits were exercised
    QCOMPARE(compared, 4000 * int(words.size()));
}
