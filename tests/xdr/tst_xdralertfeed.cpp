// xdr::AlertFeed: alerts cut out of a reply as their original bytes, whatever the chunking of
// the input; clear errors with byte positions; memory flat over a 1 GB alerts array.
#include "xdr/alertfeed.h"
#include "xdr/streamingsplitter.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>

using namespace causa;
using nlohmann::json;

namespace {

bool splitsAlerts(const std::vector<std::string> &path)
{
    return !path.empty() && path.back() == "alerts";
}

struct FeedRun
{
    std::vector<std::string> elements;
    std::vector<qint64> offsets;
    json root;
    Error error;
    bool parseError = false;
};

// Runs `text` through a feed that serves it `chunk` bytes at a time.
FeedRun runFeed(const std::string &text, size_t chunk)
{
    FeedRun out;
    size_t at = 0;
    xdr::AlertFeed feed(
        [&]() -> std::span<const char> {
            const size_t n = std::min(chunk, text.size() - at);
            const std::span<const char> s(text.data() + at, n);
            at += n;
            return s;
        },
        QStringLiteral("reply.json"), 64);
    xdr::StreamingSplitter splitter(
        splitsAlerts, [](json &) { return true; }, 64);
    splitter.setSplitHook([&feed](int depth) { feed.splitNextArray(depth); });
    feed.setElementFn([&out](std::string_view bytes, qint64 offset) {
        out.elements.emplace_back(bytes);
        out.offsets.push_back(offset);
        return true;
    });
    json::sax_parse(feed.begin(), feed.end(), &splitter, nlohmann::detail::input_format_t::json,
                    true);
    out.root = splitter.root();
    out.error = feed.error();
    out.parseError = splitter.hasParseError();
    return out;
}

long peakRssKb()
{
    FILE *f = std::fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (std::fgets(line, sizeof line, f))
        if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    std::fclose(f);
    return kb;
}

} // namespace

class TestXdrAlertFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void originalBytesAcrossChunks_data()
    {
        QTest::addColumn<int>("chunk");
        for (int c : {1, 2, 3, 7, 64, 1 << 20})
            QTest::newRow(qPrintable(QStringLiteral("%1-byte chunks").arg(c))) << c;
    }
    void originalBytesAcrossChunks()
    {
        QFETCH(int, chunk);
        // Strings holding brackets, commas and escaped quotes; nested arrays; blank lines; a
        // scalar element; the rest of the document on both sides of the array.
        const std::string a1 =
            "{\"alert_id\": \"1\", \"cmd\": \"echo \\\"]}{[,\\\" \\\\\", \"x\": [1, [2, {\"y\": []}]]}";
        const std::string a2 = "{ \"alert_id\" : \"2\" }";
        const std::string a3 = "42";
        const std::string a4 = "\"a string with ] and \\\" inside\"";
        const std::string text =
            "{\"reply\": {\"incident\": {\"incident_id\": \"7\"}, \"alerts\": [\n  " + a1 +
            " ,\n\n" + a2 + "," + a3 + " , " + a4 + "\n], \"after\": {\"k\": [1,2]}}}";
        const FeedRun r = runFeed(text, size_t(chunk));
        QVERIFY2(r.error.code.isEmpty(), qPrintable(r.error.toString()));
        QVERIFY(!r.parseError);
        QCOMPARE(r.elements.size(), size_t(4));
        QCOMPARE(r.elements[0], a1);
        QCOMPARE(r.elements[1], a2);
        QCOMPARE(r.elements[2], a3);
        QCOMPARE(r.elements[3], a4);
        for (size_t i = 0; i < r.elements.size(); ++i)
            QCOMPARE(text.substr(size_t(r.offsets[i]), r.elements[i].size()), r.elements[i]);
        // The parser saw the rest of the document and an empty alerts array.
        QVERIFY(r.root["reply"]["incident"]["incident_id"] == json("7"));
        QVERIFY(r.root["reply"]["alerts"].empty());
        QCOMPARE(r.root["reply"]["after"]["k"].size(), size_t(2));
    }

    // The feed steps over sixteen bytes at a time where none can matter: a quote, backslash or
    // bracket at every offset of a 16-byte step, in strings and out, whatever the chunking.
    void tokensAtEveryOffset()
    {
        std::vector<std::string> alerts;
        for (int pad = 0; pad < 40; ++pad) {
            const std::string fill(size_t(pad), 'x');
            alerts.push_back("{\"alert_id\": \"" + fill + "\", \"cmd\": \"" + fill +
                             "\\\"]}{[\\\\\\\\\\\"" + fill + "\", \"n\": [[{\"a\": \"\\\\\"}], " +
                             std::to_string(pad) + "], \"" + fill + "\": {}}");
        }
        std::string text = "{\"reply\": {\"alerts\": [";
        for (size_t i = 0; i < alerts.size(); ++i)
            text += (i ? "," : "") + alerts[i];
        text += "]}}";
        for (const size_t chunk : {size_t(1), size_t(5), size_t(16), size_t(17), size_t(1) << 20}) {
            const FeedRun r = runFeed(text, chunk);
            QVERIFY2(r.error.code.isEmpty(), qPrintable(r.error.toString()));
            QVERIFY(!r.parseError);
            QCOMPARE(r.elements.size(), alerts.size());
            for (size_t i = 0; i < alerts.size(); ++i) {
                QCOMPARE(r.elements[i], alerts[i]);
                const json parsed = json::parse(r.elements[i]);
                QCOMPARE(parsed["cmd"].get<std::string>(),
                         std::string(i, 'x') + "\"]}{[\\\\\"" + std::string(i, 'x'));
            }
        }
    }

    void errorsWithPosition_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<qint64>("byte");
        QTest::newRow("truncated inside an alert")
            << QByteArray("{\"alerts\": [{\"a\": \"b") << "bad-json" << qint64(20);
        QTest::newRow("truncated after an alert")
            << QByteArray("{\"alerts\": [{\"a\": 1}  ") << "bad-json" << qint64(22);
        QTest::newRow("trailing comma")
            << QByteArray("{\"alerts\": [{\"a\": 1}, ]}") << "bad-json" << qint64(22);
        QTest::newRow("missing comma")
            << QByteArray("{\"alerts\": [{\"a\": 1} {\"a\": 2}]}") << "bad-json" << qint64(21);
        QByteArray deep = "{\"alerts\": [";
        for (int i = 0; i < 100; ++i)
            deep += '[';
        QTest::newRow("too deep inside an alert") << deep << "too-deep" << qint64(12 + 62);
    }
    void errorsWithPosition()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        QFETCH(qint64, byte);
        for (size_t chunk : {size_t(1), size_t(5), size_t(4096)}) {
            const FeedRun r = runFeed(text.toStdString(), chunk);
            QCOMPARE(r.error.code, code);
            QCOMPARE(r.error.location, QStringLiteral("reply.json: byte %1").arg(byte));
            // The parser saw the input end early: it can never take a half alert for a document.
            QVERIFY(r.parseError);
        }
    }

    void memoryFlatOverOneGigabyte()
    {
        // 1 GiB of 4 KiB alerts served from one reused buffer: the feed must hold one alert at a
        // time, never the array.
        std::string alert = "{\"alert_id\": \"1\", \"pad\": \"" + std::string(4000, 'x') + "\"}";
        const qint64 count = (qint64(1) << 30) / qint64(alert.size() + 1);
        std::string block;
        const int perBlock = 256;
        for (int i = 0; i < perBlock; ++i)
            block += alert + ",";
        qint64 served = 0;
        int state = 0; // 0: head, 1: blocks, 2: last alert and tail, 3: end
        const std::string head = "{\"reply\": {\"alerts\": [";
        const std::string tail = alert + "]}}";
        const long before = peakRssKb();
        qint64 seen = 0;
        xdr::AlertFeed feed(
            [&]() -> std::span<const char> {
                if (state == 0) {
                    state = 1;
                    return {head.data(), head.size()};
                }
                if (state == 1 && served + perBlock < count) {
                    served += perBlock;
                    return {block.data(), block.size()};
                }
                if (state <= 1) {
                    state = 3;
                    return {tail.data(), tail.size()};
                }
                return {};
            },
            QStringLiteral("huge.json"), 256);
        xdr::StreamingSplitter splitter(
            splitsAlerts, [](json &) { return true; }, 256);
        splitter.setSplitHook([&feed](int depth) { feed.splitNextArray(depth); });
        feed.setElementFn([&seen, &alert](std::string_view bytes, qint64) {
            ++seen;
            return bytes.size() == alert.size();
        });
        json::sax_parse(feed.begin(), feed.end(), &splitter, nlohmann::detail::input_format_t::json,
                        true);
        QVERIFY2(!feed.hasError(), qPrintable(feed.error().toString()));
        QVERIFY(!splitter.hasParseError());
        QCOMPARE(seen, served + 1);
        QVERIFY(feed.offset() > (qint64(1) << 30) - qint64(block.size()));
        const long grown = peakRssKb() - before;
        QVERIFY2(grown < 16 * 1024,
                 qPrintable(QStringLiteral("peak RSS grew by %1 kB").arg(grown)));
    }
};

QTEST_GUILESS_MAIN(TestXdrAlertFeed)
#include "tst_xdralertfeed.moc"
