// Merging one process's Sysmon and Security records when its PID was reused many times: the
// builder only compares starts that are neighbours modulo a time-zone step, so these rows check
// that no true pair is missed (including across the wrap of that circle) and no false one made.
#include "forest/processforest.h"

#include <QTest>

#include <algorithm>

using namespace causa;

namespace {

constexpr qint64 kZoneStep = 15 * 60 * 1000;
// 7 min 1.234 s apart: no two instances are within 5 s of each other modulo 15 min, so only
// a Sysmon record and the Security record of the same instance may be merged.
constexpr qint64 kSpacing = 7 * 60 * 1000 + 1234;

ProcessRecord record(const QString &source, int instance, qint64 start, const QString &image)
{
    ProcessRecord p;
    p.source = source;
    p.endpointKey = QStringLiteral("host");
    p.key = source == QLatin1String("sysmon") ? QStringLiteral("host|guid:{%1}").arg(instance)
                                              : QStringLiteral("host|pid:100@%1").arg(start);
    p.parentKey = QStringLiteral("host|pid:4");
    p.imageName = image;
    p.pid = 100;
    p.parentPid = 4;
    p.startedAt = start;
    return p;
}

} // namespace

class TstForestMerge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reusedPid_data()
    {
        QTest::addColumn<int>("instances");
        QTest::addColumn<qint64>("zoneOffset"); // Security in local time
        QTest::addColumn<qint64>("jitter");     // Security a few ms off Sysmon
        QTest::addColumn<qint64>("firstStart");
        QTest::newRow("few instances, same clock")
            << 5 << qint64(0) << qint64(3) << qint64(1700000000000);
        QTest::newRow("40 instances, same clock")
            << 40 << qint64(0) << qint64(2) << qint64(1700000000000);
        QTest::newRow("40 instances, UTC+1")
            << 40 << qint64(3600000) << qint64(4) << qint64(1700000000000);
        QTest::newRow("40 instances, UTC-5:30")
            << 40 << qint64(-19800000) << qint64(1) << qint64(1700000000000);
        // The first start sits 1 ms before a multiple of the zone step: its Security twin lands
        // just after it, on the other side of the circle's wrap.
        const qint64 wrap = (1700000000000 / kZoneStep + 1) * kZoneStep - 1;
        QTest::newRow("40 instances, across the wrap")
            << 40 << qint64(3600000) << qint64(3) << wrap;
        QTest::newRow("40 instances, behind the wrap")
            << 40 << qint64(3600000) << qint64(-3) << wrap + 2;
    }

    void reusedPid()
    {
        QFETCH(int, instances);
        QFETCH(qint64, zoneOffset);
        QFETCH(qint64, jitter);
        QFETCH(qint64, firstStart);
        ForestInput in;
        const QString images[] = {QStringLiteral("cmd.exe"), QStringLiteral("svchost.exe")};
        for (int k = 0; k < instances; ++k) {
            const qint64 start = firstStart + k * kSpacing;
            const QString image = images[k % 2];
            in.processes.push_back(record(QStringLiteral("sysmon"), k, start, image));
            in.processes.push_back(
                record(QStringLiteral("security"), k, start + zoneOffset + jitter, image));
        }
        // Records arrive out of order.
        std::reverse(in.processes.begin() + instances / 2, in.processes.end());
        ProcessRecord placeholder;
        placeholder.source = QStringLiteral("parent-ref");
        placeholder.endpointKey = QStringLiteral("host");
        placeholder.key = QStringLiteral("host|pid:4");
        placeholder.imageName = QStringLiteral("System");
        placeholder.pid = 4;
        in.processes.push_back(placeholder);

        const ProcessForest f = ProcessForest::build(std::move(in));
        QCOMPARE(f.size(), instances + 1);
        for (int k = 0; k < instances; ++k) {
            const qint64 start = firstStart + k * kSpacing;
            const int n = f.indexOf(QStringLiteral("host|guid:{%1}").arg(k));
            QVERIFY(n >= 0);
            QCOMPARE(f.indexOf(QStringLiteral("host|pid:100@%1").arg(start + zoneOffset + jitter)),
                     n);
            QCOMPARE(f.node(n).startedAt(), start); // Sysmon's UTC start wins
            QCOMPARE(f.node(n).sources(),
                     QStringList({QStringLiteral("sysmon"), QStringLiteral("security")}));
            QCOMPARE(f.node(n).imageName(), images[k % 2]);
            QCOMPARE(f.node(f.node(n).parent()).imageName(), QStringLiteral("System"));
        }
    }

    // Two instances whose starts are a whole zone step apart look like one process seen by two
    // clocks only when two different sources describe them; the same source never merges.
    void sameSourceNeverMerges()
    {
        ForestInput in;
        for (int k = 0; k < 20; ++k)
            in.processes.push_back(record(QStringLiteral("sysmon"), k,
                                          1700000000000 + k * kZoneStep,
                                          QStringLiteral("cmd.exe")));
        const ProcessForest f = ProcessForest::build(std::move(in));
        QCOMPARE(f.size(), 20);
    }
};

QTEST_GUILESS_MAIN(TstForestMerge)
#include "tst_forestmerge.moc"
