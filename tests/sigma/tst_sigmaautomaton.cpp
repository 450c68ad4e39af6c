// The prefilter's multi-literal automaton against a naive substring search: every occurrence of
// every pattern, exactly once, whatever the window (the bytes of each pattern the automaton
// holds), on seeded random pattern sets and texts rich in non-ASCII bytes, overlaps, patterns at
// the ends of a text, empty and huge texts and texts cut into lanes at every length.
#include "sigma/ahocorasick.h"

#include <QTest>

#include <algorithm>
#include <random>

using namespace causa::sigma::detail;

namespace {

using Hits = std::vector<std::pair<int, size_t>>; // (pattern, end offset)

// Bytes that collide when non-ASCII bytes are folded by their low bits (0x83, 0x93, 0xE3, 0xF3),
// UTF-8 lead and continuation bytes, and a small ASCII alphabet so that hits are frequent.
const std::string kAlphabet = "ab\\ -.e\x83\x93\xE3\xF3\xF0\x9F\x80\xFF";

std::string randomBytes(std::mt19937 &rng, size_t n)
{
    std::string s;
    for (size_t i = 0; i < n; ++i)
        s += kAlphabet[rng() % kAlphabet.size()];
    return s;
}

Hits naive(const std::vector<std::string> &patterns, std::string_view text)
{
    Hits out;
    for (size_t p = 0; p < patterns.size(); ++p)
        for (size_t at = text.find(patterns[p]); at != std::string_view::npos;
             at = text.find(patterns[p], at + 1))
            out.emplace_back(int(p), at + patterns[p].size());
    std::sort(out.begin(), out.end());
    return out;
}

Hits scanned(const AhoCorasick &ac, std::string_view text)
{
    Hits out;
    ac.scan(text, [&](int pattern, size_t end) { out.emplace_back(pattern, end); });
    std::sort(out.begin(), out.end());
    return out;
}

// Patterns of 1 to 40 bytes, some prefixes, suffixes or extensions of earlier ones.
std::vector<std::string> randomPatterns(std::mt19937 &rng, size_t count)
{
    std::vector<std::string> out;
    while (out.size() < count) {
        std::string p;
        if (!out.empty() && rng() % 3 == 0) {
            const std::string &base = out[rng() % out.size()];
            const size_t cut = 1 + rng() % base.size();
            p = rng() % 2 ? base.substr(0, cut) : base.substr(base.size() - cut);
            if (rng() % 2)
                p += randomBytes(rng, 1 + rng() % 6);
        } else {
            p = randomBytes(rng, 1 + (rng() % 4 == 0 ? rng() % 40 : rng() % 6));
        }
        if (std::find(out.begin(), out.end(), p) == out.end())
            out.push_back(std::move(p));
    }
    return out;
}

// A text of pieces of the patterns and random bytes, so that hits, overlaps and patterns at the
// very start and end are common.
std::string randomText(std::mt19937 &rng, const std::vector<std::string> &patterns, size_t pieces)
{
    std::string t;
    for (size_t k = 0; k < pieces; ++k)
        t += rng() % 2 ? patterns[rng() % patterns.size()] : randomBytes(rng, rng() % 5);
    return t;
}

AhoCorasick built(const std::vector<std::string> &patterns, size_t window)
{
    AhoCorasick ac;
    for (size_t p = 0; p < patterns.size(); ++p)
        if (ac.add(patterns[p]) != int(p))
            qFatal("pattern index out of order");
    ac.build(window);
    return ac;
}

} // namespace

class TestSigmaAutomaton : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameAsNaiveSearch_data()
    {
        QTest::addColumn<int>("window");
        for (const int w : {0, 1, 2, 3, 4, 8})
            QTest::addRow("window %d", w) << w;
    }

    void sameAsNaiveSearch()
    {
        QFETCH(int, window);
        std::mt19937 rng(20261207 + unsigned(window));
        size_t total = 0;
        for (int round = 0; round < 150; ++round) {
            const auto patterns = randomPatterns(rng, 2 + rng() % 120);
            const AhoCorasick ac = built(patterns, size_t(window));
            QCOMPARE(ac.patternCount(), int(patterns.size()));
            for (int v = 0; v < 12; ++v) {
                const std::string text = randomText(rng, patterns, rng() % 40);
                const Hits expected = naive(patterns, text);
                QCOMPARE(scanned(ac, text), expected);
                total += expected.size();
            }
        }
        QVERIFY(total > 20000);
    }

    // Every text length from 0 to 300 (each way the text splits into lanes, and lanes shorter
    // and longer than the lead-in), then a text of some hundred KB.
    void everyLengthAndHuge()
    {
        std::mt19937 rng(77);
        const auto patterns = randomPatterns(rng, 300);
        for (const size_t window : {size_t(0), size_t(4), size_t(8)}) {
            const AhoCorasick ac = built(patterns, window);
            const std::string text = randomText(rng, patterns, 40000);
            QVERIFY(text.size() > 100000);
            for (size_t n = 0; n <= 300; ++n)
                QCOMPARE(scanned(ac, std::string_view(text).substr(text.size() - n)),
                         naive(patterns, text.substr(text.size() - n)));
            QCOMPARE(scanned(ac, text), naive(patterns, text));
        }
    }

    // Patterns that differ only in non-ASCII bytes the automaton does not tell apart: only the
    // one the text holds is reported.
    void foldedBytesCompared()
    {
        const std::vector<std::string> patterns = {"\x83\x93", "\x93\x83", "\xE3\xF3",
                                                   "x\x83y",   "x\xF3y",   "\x83"};
        for (const size_t window : {size_t(0), size_t(1), size_t(4)}) {
            const AhoCorasick ac = built(patterns, window);
            const std::string text = "\xE3\x93\x83 x\xF3y \x93\x93";
            QCOMPARE(scanned(ac, text), naive(patterns, text));
            QVERIFY(!naive(patterns, text).empty());
        }
    }

    // Adding the same bytes again gives the first index; one pattern or none still scans; a
    // window keeps the automaton small.
    void indicesAndSize()
    {
        AhoCorasick ac;
        QCOMPARE(ac.add("powershell"), 0);
        QCOMPARE(ac.add("-enc"), 1);
        QCOMPARE(ac.add("powershell"), 0);
        QCOMPARE(ac.patternCount(), 2);
        ac.build(4);
        QCOMPARE(scanned(ac, "powershell -enc x powershell"), (Hits{{0, 10}, {0, 28}, {1, 15}}));
        AhoCorasick one;
        one.add("ab");
        one.build(4);
        QCOMPARE(scanned(one, "abab"), (Hits{{0, 2}, {0, 4}}));
        AhoCorasick none;
        none.build(4);
        QVERIFY(scanned(none, "anything").empty());
        std::mt19937 rng(5);
        std::vector<std::string> longOnes;
        for (int i = 0; i < 200; ++i)
            longOnes.push_back(randomBytes(rng, 30));
        QVERIFY(built(longOnes, 4).stateCount() <= 200 * 4 + 1);
        QVERIFY(built(longOnes, 0).stateCount() > 200 * 20);
    }
};

QTEST_GUILESS_MAIN(TestSigmaAutomaton)
#include "tst_sigmaautomaton.moc"
