// The fast forest builder against a plain reference builder (forestreference.*): thousands of
// seeded random record sets (forestrandom.*) with PID reuse, missing parents, cycles, repeated
// records and shuffled order must give the same structure. The bench's data is checked the same
// way and keeps its digest, so any change in what the builder makes of it is a deliberate one.
#include "forest/processforest.h"
#include "forestrandom.h"
#include "forestreference.h"
#include "forestsample.h"

#include <QCryptographicHash>
#include <QTest>

#include <algorithm>
#include <iterator>
#include <map>
#include <tuple>

using namespace causa;

namespace {

// A forest reduced to what both builders define. Nodes are named by their records' keys
// (sorted; a repeated key repeats), so node numbering does not matter.
struct Shape
{
    std::vector<QString> name;
    std::vector<int> parent;
    std::vector<qint64> pid;
    std::vector<qint64> start;
    std::vector<int> depth;
    std::vector<unsigned> sources;
    std::map<QString, int> nodeOfKey; // what a lookup by key answers (-1: no node)
};

QString nameOf(QStringList keys)
{
    keys.sort();
    return QLatin1Char('[') + keys.join(QLatin1Char(' ')) + QLatin1Char(']');
}

Shape shapeOf(const ProcessForest &f, const std::vector<ProcessRecord> &records)
{
    Shape s;
    for (int i = 0; i < f.size(); ++i) {
        const ProcessNode n = f.node(i);
        s.name.push_back(nameOf(n.otherKeys() << n.key()));
        s.parent.push_back(n.parent());
        s.pid.push_back(n.pid());
        s.start.push_back(n.startedAt());
        s.depth.push_back(n.depth());
        s.sources.push_back(n.sourceMask());
    }
    for (const ProcessRecord &r : records)
        s.nodeOfKey[r.key] = f.indexOf(r.key);
    return s;
}

Shape shapeOf(const test::ReferenceForest &f, const std::vector<ProcessRecord> &records)
{
    Shape s;
    for (const test::ReferenceNode &n : f.nodes) {
        QStringList keys;
        for (const int r : n.records)
            keys << records[size_t(r)].key;
        s.name.push_back(nameOf(keys));
        s.parent.push_back(n.parent);
        s.pid.push_back(n.pid);
        s.start.push_back(n.start);
        s.depth.push_back(n.depth);
        s.sources.push_back(n.sourceMask);
    }
    for (size_t i = 0; i < records.size(); ++i)
        s.nodeOfKey[records[i].key] = f.nodeOfRecord[i]; // the last record with a key wins
    return s;
}

// One line per node (its name, values, parent and children) and per key (the node it leads
// to), sorted. Children are listed by start, then PID, then name: the builder promises the
// first two and leaves the order of equal ones open.
QStringList canonical(const Shape &s)
{
    const int n = int(s.name.size());
    std::vector<std::vector<int>> children(s.name.size());
    std::vector<int> roots;
    for (int i = 0; i < n; ++i)
        (s.parent[size_t(i)] >= 0 ? children[size_t(s.parent[size_t(i)])] : roots).push_back(i);
    auto names = [&s](std::vector<int> list) {
        std::sort(list.begin(), list.end(), [&s](int a, int b) {
            return std::tie(s.start[size_t(a)], s.pid[size_t(a)], s.name[size_t(a)]) <
                   std::tie(s.start[size_t(b)], s.pid[size_t(b)], s.name[size_t(b)]);
        });
        QStringList out;
        for (const int i : list)
            out << s.name[size_t(i)];
        return out.join(QLatin1Char(','));
    };
    QStringList lines;
    for (int i = 0; i < n; ++i) {
        const size_t k = size_t(i);
        lines << s.name[k] +
                     QStringLiteral(" pid=%1 start=%2 depth=%3 sources=%4 parent=")
                         .arg(s.pid[k])
                         .arg(s.start[k])
                         .arg(s.depth[k])
                         .arg(s.sources[k]) +
                     (s.parent[k] >= 0 ? s.name[size_t(s.parent[k])] : QStringLiteral("-")) +
                     QStringLiteral(" children=") + names(children[k]);
    }
    lines << QStringLiteral("roots=") + names(roots);
    for (const auto &[key, node] : s.nodeOfKey)
        lines << QStringLiteral("key ") + key + QStringLiteral(" -> ") +
                     (node >= 0 ? s.name[size_t(node)] : QStringLiteral("-"));
    lines.sort();
    return lines;
}

// What the canonical form cannot see: the fast forest's own lists must agree with its parent
// links and depths, and be ordered by start, then PID.
QString linkErrors(const ProcessForest &f)
{
    auto before = [&f](int a, int b) {
        return std::pair(f.node(a).startedAt(), f.node(a).pid()) <=
               std::pair(f.node(b).startedAt(), f.node(b).pid());
    };
    size_t listed = f.roots().size();
    for (size_t k = 0; k < f.roots().size(); ++k) {
        const int r = f.roots()[k];
        if (f.node(r).parent() != -1 || f.node(r).depth() != 0)
            return QStringLiteral("root %1 has a parent or depth").arg(r);
        if (k > 0 && !before(f.roots()[k - 1], r))
            return QStringLiteral("roots out of order at %1").arg(k);
    }
    for (int i = 0; i < f.size(); ++i) {
        const auto kids = f.children(i);
        listed += kids.size();
        if (f.node(i).childCount() != int(kids.size()))
            return QStringLiteral("node %1: childCount differs from its list").arg(i);
        for (size_t k = 0; k < kids.size(); ++k) {
            if (f.node(kids[k]).parent() != i || f.node(kids[k]).depth() != f.node(i).depth() + 1)
                return QStringLiteral("node %1: child %2 has another parent or depth")
                    .arg(i)
                    .arg(kids[k]);
            if (k > 0 && !before(kids[k - 1], kids[k]))
                return QStringLiteral("node %1: children out of order").arg(i);
        }
    }
    return listed == size_t(f.size())
               ? QString()
               : QStringLiteral("%1 nodes listed, %2 exist").arg(listed).arg(f.size());
}

QString dump(const std::vector<ProcessRecord> &records)
{
    QString out =
        QStringLiteral("records (key | parent key | source pid parentPid start image):\n");
    for (size_t i = 0; i < records.size(); ++i) {
        const ProcessRecord &r = records[i];
        out += QStringLiteral("  %1: %2 | %3 | %4 %5 %6 %7 %8\n")
                   .arg(i)
                   .arg(r.key, r.parentKey, r.source)
                   .arg(r.pid)
                   .arg(r.parentPid)
                   .arg(r.startedAt)
                   .arg(r.imageName);
    }
    return out;
}

// The lines only one side has (as multisets), a few of each.
QString diff(const QStringList &a, const QStringList &b,
             const QString &nameA = QStringLiteral("fast"),
             const QString &nameB = QStringLiteral("reference"))
{
    QStringList onlyA, onlyB;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(onlyA));
    std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(onlyB));
    QString out;
    for (const auto &[label, lines] : {std::pair(QString(QStringLiteral("only ") + nameA), onlyA),
                                       std::pair(QString(QStringLiteral("only ") + nameB), onlyB)})
        for (qsizetype k = 0; k < std::min<qsizetype>(lines.size(), 8); ++k)
            out += label + QStringLiteral(": ") + lines[k] + QLatin1Char('\n');
    return out;
}

// Empty when the fast forest of these records matches the reference; else what differs.
QString compareWithReference(const std::vector<ProcessRecord> &records)
{
    ForestInput input;
    input.processes = records;
    const ProcessForest fast = ProcessForest::build(std::move(input));
    if (const QString e = linkErrors(fast); !e.isEmpty())
        return e + QLatin1Char('\n') + dump(records);
    const QStringList a = canonical(shapeOf(fast, records));
    const QStringList b = canonical(shapeOf(test::buildReferenceForest(records), records));
    return a == b ? QString() : diff(a, b) + dump(records);
}

QStringList fastCanonical(std::vector<ProcessRecord> records)
{
    ForestInput input;
    input.processes = records;
    return canonical(shapeOf(ProcessForest::build(std::move(input)), records));
}

// Empty when a clean set gives the same forest in three other orders; else what differs.
QString orderErrors(quint64 seed, bool mixedClocks)
{
    const std::vector<ProcessRecord> records = test::randomRecords(seed, false, mixedClocks);
    const QStringList expected = fastCanonical(records);
    for (quint64 k = 1; k <= 3; ++k) {
        const QStringList other = fastCanonical(test::shuffled(records, seed * 7 + k));
        if (other != expected)
            return QStringLiteral("seed %1, order %2:\n").arg(seed).arg(k) +
                   diff(other, expected, QStringLiteral("reordered"),
                        QStringLiteral("as generated")) +
                   dump(records);
    }
    return {};
}

// The bench's digest of a forest (independent of node numbering): each node's keys, parent,
// fields, badges, depth, sources, children in order and attachments.
QByteArray digest(const ProcessForest &f)
{
    std::vector<QByteArray> lines;
    for (int i = 0; i < f.size(); ++i) {
        const ProcessNode n = f.node(i);
        QString s =
            n.key() + QLatin1Char(' ') +
            (n.parent() >= 0 ? f.node(n.parent()).key() : QStringLiteral("-")) + QLatin1Char(' ') +
            n.imageName() + QLatin1Char(' ') + n.imagePath() + QLatin1Char(' ') + n.commandLine() +
            QLatin1Char(' ') + n.user() + QLatin1Char(' ') + n.sha256() + QLatin1Char(' ') +
            n.signatureStatus() + QLatin1Char(' ') + QString::number(n.pid()) + QLatin1Char(' ') +
            QString::number(n.startedAt()) + QLatin1Char(' ') + QString::number(n.endedAt()) +
            QLatin1Char(' ') + QString::number(n.badges()) + QLatin1Char(' ') +
            QString::number(n.depth()) + QLatin1Char(' ') + n.sources().join(QLatin1Char(',')) +
            QLatin1Char(' ') + n.otherKeys().join(QLatin1Char(','));
        for (const int c : f.children(i))
            s += QLatin1Char(' ') + f.node(c).key();
        for (const std::span<const int> list :
             {n.pipes(), n.network(), n.files(), n.registry(), n.services(), n.other()})
            for (const int e : list)
                s += QLatin1Char(' ') + QString::number(f.events()[size_t(e)].eventId);
        for (const ForestAlertLink &a : n.alerts())
            s += QStringLiteral(" a") + QString::number(a.alertId);
        lines.push_back(s.toUtf8());
    }
    std::sort(lines.begin(), lines.end());
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const QByteArray &l : lines)
        h.addData(l);
    QString roots;
    for (const int r : f.roots())
        roots += f.node(r).key() + QLatin1Char(' ');
    h.addData(roots.toUtf8());
    return h.result().toHex().left(16);
}

} // namespace

class TstForestReference : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Each set is compared as generated and once more in another order: the reference follows
    // record order where the builder's result depends on it (ties, repeated keys, cycles).
    void matchesReference_data()
    {
        QTest::addColumn<bool>("hostile");
        QTest::addColumn<quint64>("firstSeed");
        QTest::addColumn<int>("seeds");
        QTest::newRow("clean: PID reuse, placeholders, local-time Security")
            << false << quint64(1) << 1500;
        QTest::newRow("hostile: cycles, repeated keys, equal starts, no PIDs")
            << true << quint64(1000001) << 2500;
    }

    void matchesReference()
    {
        QFETCH(bool, hostile);
        QFETCH(quint64, firstSeed);
        QFETCH(int, seeds);
        for (quint64 seed = firstSeed; seed < firstSeed + quint64(seeds); ++seed) {
            const std::vector<ProcessRecord> records = test::randomRecords(seed, hostile);
            for (const bool reshuffled : {false, true}) {
                const QString failure = compareWithReference(
                    reshuffled ? test::shuffled(records, seed * 31 + 7) : records);
                if (!failure.isEmpty())
                    QFAIL(qPrintable(
                        QStringLiteral("seed %1 (%2, %3):\n")
                            .arg(seed)
                            .arg(hostile ? QStringLiteral("hostile") : QStringLiteral("clean"),
                                 reshuffled ? QStringLiteral("reshuffled")
                                            : QStringLiteral("as generated")) +
                        failure));
            }
        }
    }

    // What the importers store does not depend on the order the store hands it back in. (The
    // reference follows the builder's rules, so only this catches a rule that depends on
    // order: seed 5089, with mixed clocks, found the one startlessRoleAnswersNoPidReference pins.)
    void cleanSetsIgnoreOrder()
    {
        for (quint64 seed = 5001; seed < 6001; ++seed) {
            const QString errors = orderErrors(seed, false);
            QVERIFY2(errors.isEmpty(), qPrintable(errors));
        }
    }

    // Known limitation, not fixed: PID references are resolved record by record, before
    // records of one process merge, so with Security in local time and Sysmon/XDR in UTC on
    // one host a child's local start can pick another clock's record of a process that starts
    // later. A cycle follows, and which link is cut depends on record order (seed 5582 of the
    // clean sets with mixed clocks). Comparing starts on one clock needs the merge first.
    void mixedClocksKnownLimitation()
    {
        QEXPECT_FAIL("", "PID references compare starts across clocks (seed 5582)", Continue);
        QCOMPARE(orderErrors(5582, true), QString());
    }

    // Regression (cleanSetsIgnoreOrder, seed 5089): an XDR role without a start answered the
    // PID reference of a process that started before the role's own process (the instance the
    // role merged with). The child became that later process's parent and its child at once,
    // and record order decided which link the cycle breaking cut.
    void startlessRoleAnswersNoPidReference_data()
    {
        QTest::addColumn<bool>("reversed");
        QTest::newRow("as stored") << false;
        QTest::newRow("reversed") << true;
    }

    void startlessRoleAnswersNoPidReference()
    {
        QFETCH(bool, reversed);
        auto record = [](const char *key, const char *parentKey, const char *source, qint64 pid,
                         qint64 start, const char *image) {
            ProcessRecord r;
            r.key = QString::fromLatin1(key);
            r.parentKey = QString::fromLatin1(parentKey);
            r.source = QString::fromLatin1(source);
            r.endpointKey = QStringLiteral("h");
            r.pid = pid;
            r.startedAt = start;
            r.imageName = QString::fromLatin1(image);
            return r;
        };
        std::vector<ProcessRecord> records{
            record("h|pid:12@1000000", "h|pid:4", "security", 12, 1000000, "rundll32.exe"),
            record("h|xdr:a", "", "xdr", 4, 0, "cmd.exe"), // PID 4's role: no start
            record("h|pid:4@2000000", "h|pid:12", "security", 4, 2000000, "cmd.exe"),
            record("h|pid:4", "", "parent-ref", 4, 0, "System"),
        };
        if (reversed)
            std::reverse(records.begin(), records.end());
        QCOMPARE(compareWithReference(records), QString());
        ForestInput input;
        input.processes = records;
        const ProcessForest f = ProcessForest::build(std::move(input));
        const int child = f.indexOf(QStringLiteral("h|pid:12@1000000"));
        const int later = f.indexOf(QStringLiteral("h|pid:4@2000000"));
        QCOMPARE(f.indexOf(QStringLiteral("h|xdr:a")), later); // the role is that process
        // PID 4 then: unknown
        QCOMPARE(f.node(child).parent(), f.indexOf(QStringLiteral("h|pid:4")));
        QCOMPARE(f.node(later).parent(), child);
    }

    // bench_forest's data, at a size a test affords: the structure matches the reference, and
    // the digest (fields, badges, attachments, child order too) is the one recorded here. When
    // a change to the builder alters it on purpose, record the new digest and say why in the
    // commit message.
    void benchData()
    {
        ForestInput input = test::benchForestInput(20000, 4000);
        const std::vector<ProcessRecord> records = input.processes;
        const ProcessForest f = ProcessForest::build(std::move(input));
        QVERIFY(f.size() > 10000);
        QCOMPARE(linkErrors(f), QString());
        const QStringList fast = canonical(shapeOf(f, records));
        const QStringList reference =
            canonical(shapeOf(test::buildReferenceForest(records), records));
        QVERIFY2(fast == reference, qPrintable(diff(fast, reference)));
        QCOMPARE(digest(f), QByteArray("8a743848597cba6b"));
    }
};

QTEST_GUILESS_MAIN(TstForestReference)
#include "tst_forestreference.moc"
