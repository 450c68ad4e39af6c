// Timeline SQL: per-bucket counts, kind/text filters, paging, alerts, other hosts kept out.
#include "store/eventqueries.h"
#include "store/timelinequeries.h"
#include "testutils.h"
#include "timelinefixture.h"

#include <QSqlQuery>

using namespace causa;
using test::kT0;

class TestTimelineQueries : public QObject
{
    Q_OBJECT

    TimelineScope caseScope(CaseStore &store, qint64 caseId, qint64 from, qint64 to)
    {
        TimelineScope s;
        s.endpointIds = eventq::caseEndpointIds(store, caseId).value();
        s.from = from;
        s.to = to;
        return s;
    }

private Q_SLOTS:
    void spanAndBuckets()
    {
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        QVERIFY(f.caseId > 0);
        const QList<qint64> ids = eventq::caseEndpointIds(ts.store(), f.caseId).value();
        QCOMPARE(ids.size(), 1);
        QCOMPARE(timelineq::hostNames(ts.store(), ids).value(),
                 QStringList{QStringLiteral("WS-1")});
        const auto span = timelineq::eventSpan(ts.store(), ids);
        QVERIFY(span.ok());
        QCOMPARE(span.value().first, kT0 - 30 * 60000);
        QCOMPARE(span.value().second, kT0 + 3 * 60 * 60000);

        const qint64 from = kT0 - 5 * 60000 - kT0 % 60000;
        const auto buckets = timelineq::buckets(
            ts.store(), caseScope(ts.store(), f.caseId, from, kT0 + 5 * 60000), 60000);
        QVERIFY2(buckets.ok(), buckets.ok() ? "" : qPrintable(buckets.error().toString()));
        qint64 total = 0;
        QHash<QString, qint64> perKind;
        for (const TimelineBucket &b : buckets.value()) {
            QCOMPARE((b.start - from) % 60000, qint64(0));
            total += b.count;
            perKind[b.kind] += b.count;
        }
        QCOMPARE(total, qint64(8)); // ±5 min holds 8 of WS-1's 10 events; WS-2's 5 never count
        QCOMPARE(perKind.value(QStringLiteral("process_create")), qint64(1));
        QCOMPARE(perKind.value(QStringLiteral("dns")), qint64(1));
        QVERIFY(!perKind.contains(QStringLiteral("script")));
        // The file event (kT0 + 60 s) lands in the bucket holding its time.
        bool sawFile = false;
        for (const TimelineBucket &b : buckets.value())
            if (b.kind == QLatin1String("file")) {
                QVERIFY(b.start <= kT0 + 60000 && kT0 + 60000 < b.start + 60000);
                sawFile = true;
            }
        QVERIFY(sawFile);
    }

    void filters_data()
    {
        QTest::addColumn<QStringList>("groups");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("wholeSpan");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("all kinds in ±5 min") << QStringList() << QString() << false << qint64(8);
        QTest::newRow("all kinds, whole span") << QStringList() << QString() << true << qint64(10);
        QTest::newRow("process group")
            << QStringList{QStringLiteral("process")} << QString() << false << qint64(1);
        QTest::newRow("network group holds dns")
            << QStringList{QStringLiteral("network")} << QString() << false << qint64(2);
        QTest::newRow("service and pipe")
            << QStringList{QStringLiteral("service"), QStringLiteral("pipe")} << QString() << false
            << qint64(2);
        QTest::newRow("other group holds script")
            << QStringList{QStringLiteral("other")} << QString() << true << qint64(1);
        QTest::newRow("text case-insensitive")
            << QStringList() << QStringLiteral("ON ws-1") << true << qint64(9);
        QTest::newRow("text matches the process image")
            << QStringList() << QStringLiteral("REG.EXE") << true << qint64(1);
        QTest::newRow("percent and underscore are literal")
            << QStringList() << QStringLiteral("100%_d") << true << qint64(1);
        QTest::newRow("lone percent is literal")
            << QStringList() << QStringLiteral("%") << true << qint64(1);
        QTest::newRow("lone underscore is literal")
            << QStringList() << QStringLiteral("_") << true << qint64(4);
        QTest::newRow("quote injection stays text")
            << QStringList() << QStringLiteral("'; DELETE FROM events; --") << true << qint64(0);
        QTest::newRow("kind and text together") << QStringList{QStringLiteral("registry")}
                                                << QStringLiteral("hklm") << false << qint64(1);
    }

    void filters()
    {
        QFETCH(QStringList, groups);
        QFETCH(QString, text);
        QFETCH(bool, wholeSpan);
        QFETCH(qint64, expected);
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        TimelineScope s = wholeSpan
                              ? caseScope(ts.store(), f.caseId, 0, 0)
                              : caseScope(ts.store(), f.caseId, kT0 - 5 * 60000, kT0 + 5 * 60000);
        s.groups = groups;
        s.text = text;
        const auto count = timelineq::countEvents(ts.store(), s);
        QVERIFY2(count.ok(), count.ok() ? "" : qPrintable(count.error().toString()));
        QCOMPARE(count.value(), expected);
        const auto rows = timelineq::events(ts.store(), s, 0, 100);
        QVERIFY(rows.ok());
        QCOMPARE(qint64(rows.value().size()), expected);
        for (const TimelineEvent &e : rows.value()) {
            QCOMPARE(e.host, QStringLiteral("WS-1"));
            if (!groups.isEmpty())
                QVERIFY2(groups.contains(timelineq::kindGroup(e.kind)), qPrintable(e.kind));
        }
        // The store is intact whatever the text was.
        TimelineScope all = caseScope(ts.store(), f.caseId, 0, 0);
        QCOMPARE(timelineq::countEvents(ts.store(), all).value(), qint64(10));
    }

    void pagesInTimeOrder()
    {
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        const TimelineScope s = caseScope(ts.store(), f.caseId, 0, 0);
        const auto all = timelineq::events(ts.store(), s, 0, 100).value();
        QCOMPARE(all.size(), size_t(10));
        for (size_t i = 1; i < all.size(); ++i)
            QVERIFY(all[i - 1].ts <= all[i].ts);
        const auto page = timelineq::events(ts.store(), s, 3, 4).value();
        QCOMPARE(page.size(), size_t(4));
        for (size_t i = 0; i < page.size(); ++i)
            QCOMPARE(page[i].id, all[i + 3].id);
        // The registry event is joined to its process.
        bool sawReg = false;
        for (const TimelineEvent &e : all)
            if (e.kind == QLatin1String("registry")) {
                QCOMPARE(e.image, QStringLiteral("reg.exe"));
                QCOMPARE(e.pid, qint64(4242));
                sawReg = true;
                const auto byId = timelineq::eventById(ts.store(), e.id);
                QVERIFY(byId.ok());
                QCOMPARE(byId.value().summary, e.summary);
            }
        QVERIFY(sawReg);
        QCOMPARE(timelineq::eventById(ts.store(), 987654).value().id, qint64(0));
    }

    void alertsInWindow()
    {
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        const QList<qint64> ids = eventq::caseEndpointIds(ts.store(), f.caseId).value();
        const auto in = timelineq::alerts(ts.store(), ids, kT0 - 1000, kT0 + 1000);
        QVERIFY(in.ok());
        QCOMPARE(in.value().size(), size_t(1));
        QCOMPARE(in.value().front().name, QStringLiteral("PsExec-like LOLBin"));
        QCOMPARE(in.value().front().caseId, f.caseId);
        QCOMPARE(timelineq::alerts(ts.store(), ids, kT0 + 1, kT0 + 1000).value().size(), size_t(0));
    }

    void pivotOnAnotherHost()
    {
        test::TempStore ts;
        test::buildTimelineFixture(ts.store());
        const qint64 ws2 =
            eventq::endpointIdForHost(ts.store(), QStringLiteral("ws-2.corp.example")).value();
        QVERIFY(ws2 > 0);
        TimelineScope s;
        s.endpointIds = {ws2};
        s.from = kT0 - 60000;
        s.to = kT0 + 60000;
        QCOMPARE(timelineq::countEvents(ts.store(), s).value(), qint64(5));
        s.to = kT0 + 2; // inclusive upper bound: kT0, +1, +2
        QCOMPARE(timelineq::countEvents(ts.store(), s).value(), qint64(3));
    }

    void emptyScope()
    {
        test::TempStore ts;
        TimelineScope s;
        QCOMPARE(timelineq::countEvents(ts.store(), s).value(), qint64(0));
        QVERIFY(timelineq::events(ts.store(), s, 0, 10).value().empty());
        QVERIFY(timelineq::buckets(ts.store(), s, 1000).value().empty());
        QCOMPARE(timelineq::eventSpan(ts.store(), {}).value(), (std::pair<qint64, qint64>{0, 0}));
    }

    void bucketWidths_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<qint64>("width");
        QTest::newRow("4 seconds") << qint64(4000) << qint64(1000);
        QTest::newRow("10 minutes") << qint64(600000) << qint64(5000);
        QTest::newRow("±2 hours") << qint64(4 * 3600000) << qint64(300000);
        QTest::newRow("a week") << qint64(7 * 86400000LL) << qint64(3600000);
        QTest::newRow("two years") << qint64(730 * 86400000LL) << qint64(4 * 86400000LL);
    }

    void bucketWidths()
    {
        QFETCH(qint64, span);
        QFETCH(qint64, width);
        QCOMPARE(timelineq::bucketWidthFor(span), width);
        QVERIFY(span / timelineq::bucketWidthFor(span) < 240);
    }
};

QTEST_GUILESS_MAIN(TestTimelineQueries)
#include "tst_timelinequeries.moc"
