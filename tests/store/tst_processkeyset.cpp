// The import's set of written process keys: states, the placeholder-to-real upgrade (never
// back), growth through many keys, and the bound at which it forgets.
#include "store/processkeyset.h"

#include <QTest>

using namespace causa;

namespace {

QString key(int i)
{
    return QStringLiteral("bench-%1|guid:{5770385f-0000-0000-%2}")
        .arg(i % 16, 2, 10, QLatin1Char('0'))
        .arg(i, 12, 16, QLatin1Char('0'));
}

} // namespace

class TestProcessKeySet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void states()
    {
        ProcessKeySet set;
        const auto a = ProcessKeySet::hashOf(u"fin-ws-042|guid:{a}");
        const auto b = ProcessKeySet::hashOf(u"fin-ws-042|guid:{b}");
        QCOMPARE(set.state(a), ProcessKeySet::State::Absent);
        set.mark(a, ProcessKeySet::State::Placeholder);
        QCOMPARE(set.state(a), ProcessKeySet::State::Placeholder);
        QCOMPARE(set.state(b), ProcessKeySet::State::Absent);
        set.mark(a, ProcessKeySet::State::Real);
        QCOMPARE(set.state(a), ProcessKeySet::State::Real);
        set.mark(a, ProcessKeySet::State::Placeholder); // a real record stays real
        QCOMPARE(set.state(a), ProcessKeySet::State::Real);
        set.mark(b, ProcessKeySet::State::Absent); // marks nothing
        QCOMPARE(set.state(b), ProcessKeySet::State::Absent);
        QCOMPARE(set.size(), qsizetype(1));
        // Keys differing only in case, or by one character, are different keys.
        QCOMPARE(set.state(ProcessKeySet::hashOf(u"FIN-WS-042|guid:{a}")),
                 ProcessKeySet::State::Absent);
        QCOMPARE(set.state(ProcessKeySet::hashOf(u"fin-ws-042|guid:{a} ")),
                 ProcessKeySet::State::Absent);
        QCOMPARE(set.state(ProcessKeySet::hashOf(u"")), ProcessKeySet::State::Absent);
    }

    // Every third key real, the others placeholders, through many doublings of the table;
    // keys never marked stay absent.
    void manyKeys()
    {
        ProcessKeySet set;
        const int n = 200000;
        for (int i = 0; i < n; ++i)
            set.mark(ProcessKeySet::hashOf(key(i)),
                     i % 3 == 0 ? ProcessKeySet::State::Real : ProcessKeySet::State::Placeholder);
        QCOMPARE(set.size(), qsizetype(n));
        for (int i = 0; i < n; ++i) {
            const auto expected =
                i % 3 == 0 ? ProcessKeySet::State::Real : ProcessKeySet::State::Placeholder;
            if (set.state(ProcessKeySet::hashOf(key(i))) != expected)
                QFAIL(qPrintable(QStringLiteral("key %1 lost its state").arg(i)));
        }
        for (int i = n; i < n + 20000; ++i)
            if (set.state(ProcessKeySet::hashOf(key(i))) != ProcessKeySet::State::Absent)
                QFAIL(qPrintable(QStringLiteral("key %1 was never marked").arg(i)));
    }

    // At its bound the set starts again: forgetting costs a statement, never a record.
    void forgetsAtItsBound()
    {
        ProcessKeySet set;
        for (int i = 0; i < ProcessKeySet::kMaxKeys; ++i)
            set.mark(ProcessKeySet::hashOf(key(i)), ProcessKeySet::State::Real);
        QCOMPARE(set.size(), ProcessKeySet::kMaxKeys);
        QCOMPARE(set.state(ProcessKeySet::hashOf(key(0))), ProcessKeySet::State::Real);
        set.mark(ProcessKeySet::hashOf(key(-1)), ProcessKeySet::State::Placeholder);
        QCOMPARE(set.size(), qsizetype(1));
        QCOMPARE(set.state(ProcessKeySet::hashOf(key(0))), ProcessKeySet::State::Absent);
        QCOMPARE(set.state(ProcessKeySet::hashOf(key(-1))), ProcessKeySet::State::Placeholder);
    }
};

QTEST_GUILESS_MAIN(TestProcessKeySet)
#include "tst_processkeyset.moc"
