// Timeline, audit and evidence models under QAbstractItemModelTester, with printModel goldens.
#include "auditmodel.h"
#include "evidencemodel.h"
#include "testutils.h"
#include "timelineeventmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace causa;

namespace {

std::vector<TimelineEvent> events(int first, int count)
{
    std::vector<TimelineEvent> out;
    for (int i = first; i < first + count; ++i)
        out.push_back({i + 1, 1760000000000 + i * 1500, QStringLiteral("WS-1"),
                       i % 2 ? QStringLiteral("network") : QStringLiteral("process_create"), 1,
                       QStringLiteral("ws-1|p%1").arg(i), QStringLiteral("cmd.exe"), 100 + i,
                       QStringLiteral("event %1\nsecond line").arg(i)});
    return out;
}

} // namespace

class TestTimelineModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventModelPages()
    {
        TimelineEventModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy fetch(&m, &TimelineEventModel::fetchRequested);
        m.resetPaged(5, events(0, 2));
        QCOMPARE(m.rowCount(), 2);
        // The tester itself may already have asked for the next page; either way exactly one request.
        if (m.canFetchMore({}))
            m.fetchMore({});
        QCOMPARE(fetch.size(), 1);
        QCOMPARE(fetch.first().first().toLongLong(), qint64(2));
        QVERIFY(!m.canFetchMore({}));  // one request at a time
        m.appendPage(7, events(7, 2)); // stale offset: ignored
        QCOMPARE(m.rowCount(), 2);
        m.appendPage(2, events(2, 3));
        QCOMPARE(m.rowCount(), 5);
        QVERIFY(!m.canFetchMore({}));
        QCOMPARE(
            test::printModel(&m),
            QStringLiteral(
                "2025-10-09 08:53:20.000 | WS-1 | process_create | cmd.exe (100) | event 0 second line\n"
                "2025-10-09 08:53:21.500 | WS-1 | network | cmd.exe (101) | event 1 second line\n"
                "2025-10-09 08:53:23.000 | WS-1 | process_create | cmd.exe (102) | event 2 second line\n"
                "2025-10-09 08:53:24.500 | WS-1 | network | cmd.exe (103) | event 3 second line\n"
                "2025-10-09 08:53:26.000 | WS-1 | process_create | cmd.exe (104) | event 4 second line\n"));
        const QModelIndex i = m.index(1, 0);
        QCOMPARE(i.data(TimelineEventModel::EventIdRole).toLongLong(), qint64(2));
        QCOMPARE(i.data(TimelineEventModel::KindGroupRole).toString(), QStringLiteral("network"));
        QCOMPARE(i.data(TimelineEventModel::TimestampRole).toLongLong(), qint64(1760000001500));
        m.clear();
        QCOMPARE(m.rowCount(), 0);
        QVERIFY(!m.canFetchMore({}));
    }

    void eventModelShorterThanCounted()
    {
        TimelineEventModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.resetPaged(10, events(0, 3));
        m.fetchMore({});
        m.appendPage(3, {});
        QCOMPARE(m.totalCount(), qint64(3));
        QVERIFY(!m.canFetchMore({}));
    }

    void auditModel()
    {
        AuditModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<AuditEntry> entries;
        entries.push_back({1, 1760000000000, QStringLiteral("import"), QStringLiteral("import"),
                           QStringLiteral("{\"file\":\"a.json\",\"alerts\":2}"),
                           QStringLiteral("0"), QStringLiteral("h1")});
        entries.push_back(
            {2, 1760000060000, QStringLiteral("alice"), QStringLiteral("evidence.tagged"),
             QStringLiteral("{\"kind\":\"process\",\"label\":\"<b>reg.exe</b>\\nx\"}"),
             QStringLiteral("h1"), QStringLiteral("h2")});
        entries.push_back({3, 1760000120000, QStringLiteral("bob"), QStringLiteral("note.add"),
                           QStringLiteral("not json"), QStringLiteral("h2"), QStringLiteral("h3")});
        m.setEntries(entries);
        QCOMPARE(
            test::printModel(&m),
            QStringLiteral(
                "1 | 2025-10-09 08:53:20 | import | import | alerts=2 · file=a.json\n"
                "2 | 2025-10-09 08:54:20 | alice | evidence.tagged | kind=process · label=<b>reg.exe</b> x\n"
                "3 | 2025-10-09 08:55:20 | bob | note.add | not json\n"));
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.setBrokenSeq(2);
        QCOMPARE(changed.size(), 1);
        QVERIFY(m.index(1, 0).data(AuditModel::BrokenRole).toBool());
        QVERIFY(!m.index(0, 0).data(AuditModel::BrokenRole).toBool());
        QVERIFY(m.index(1, 0).data(Qt::BackgroundRole).isValid());
        m.setBrokenSeq(-1);
        QVERIFY(!m.index(1, 0).data(AuditModel::BrokenRole).toBool());
        QCOMPARE(m.rowOfSeq(3), 2);
        QCOMPARE(m.rowOfSeq(9), -1);
    }

    void evidenceModel()
    {
        EvidenceModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setItems({{1, 7, QStringLiteral("process"), QStringLiteral("ws-1|g"),
                     QStringLiteral("reg.exe (PID 4)"), QStringLiteral("dumps\nsecrets"),
                     QStringLiteral("alice"), 1760000000000},
                    {2, 7, QStringLiteral("hunt_hit"), QStringLiteral("event:5:ipv4"),
                     QStringLiteral("Found additional evidence"), QString(),
                     QStringLiteral("playbook"), 1760000001000}});
        QCOMPARE(test::printModel(&m),
                 QStringLiteral(
                     "Process | reg.exe (PID 4) | dumps secrets | alice | 2025-10-09 08:53:20\n"
                     "Hunt hit | Found additional evidence |  | playbook | 2025-10-09 08:53:21\n"));
        QCOMPARE(m.index(1, 0).data(EvidenceModel::RefRole).toString(),
                 QStringLiteral("event:5:ipv4"));
        QCOMPARE(m.index(0, 0).data(EvidenceModel::EvidenceIdRole).toLongLong(), qint64(1));
        m.setItems({});
        QCOMPARE(m.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTimelineModels)
#include "tst_timelinemodels.moc"
