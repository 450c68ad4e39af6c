// The forest's flat key indexes: same answers as a QHash<QString, int> (last insert wins, misses
// fall back), across growth, on keys that differ only in their last character, and on a
// random mix checked against QHash; the record index survives hash collisions; image ids are
// equal exactly when the lower-case names are.
#include "forest/imagenames.h"
#include "forest/keyindex.h"
#include "forest/recordkeyindex.h"

#include <QHash>
#include <QRandomGenerator>
#include <QTest>

using causa::ProcessRecord;
using causa::detail::ImageNames;
using causa::detail::KeyIndex;
using causa::detail::RecordKeyIndex;

class TstKeyIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void basics()
    {
        KeyIndex idx;
        QCOMPARE(idx.value(u"missing", -7), -7); // empty index
        idx.insert(QStringLiteral("a|guid:{1}"), 1);
        idx.insert(QString(), 2);                    // the empty key is a key like any other
        idx.insert(QStringLiteral("a|guid:{1}"), 3); // replaces
        QCOMPARE(idx.size(), size_t(2));
        QCOMPARE(idx.value(u"a|guid:{1}"), 3);
        QCOMPARE(idx.value(QStringView()), 2);
        QCOMPARE(idx.value(u"a|guid:{2}"), -1);
        QCOMPARE(idx.value(u"A|guid:{1}"), -1); // case matters, as in the store
    }

    void growsAndKeepsEveryKey()
    {
        KeyIndex idx; // no reserve: grows from 16 slots
        const int n = 50000;
        for (int i = 0; i < n; ++i)
            idx.insert(QStringLiteral("bench-host|guid:{") + QString::number(i) + QLatin1Char('}'),
                       i);
        QCOMPARE(idx.size(), size_t(n));
        for (int i = 0; i < n; ++i)
            QCOMPARE(idx.value(QString(QStringLiteral("bench-host|guid:{") + QString::number(i) +
                                       QLatin1Char('}'))),
                     i);
        QCOMPARE(idx.value(u"bench-host|guid:{50000}"), -1);
        idx.remapValues([](int v) { return v * 2; });
        QCOMPARE(idx.value(u"bench-host|guid:{4999}"), 9998);
    }

    void agreesWithQHash()
    {
        QRandomGenerator rng(11);
        QHash<QString, int> ref;
        KeyIndex idx;
        idx.reserve(1000);
        for (int i = 0; i < 20000; ++i) {
            // Short keys of a small alphabet: many duplicates and near-identical keys.
            QString k;
            const int len = int(rng.bounded(12u));
            for (int c = 0; c < len; ++c)
                k += QChar(u'a' + char16_t(rng.bounded(3u)));
            ref.insert(k, i);
            idx.insert(k, i);
        }
        QCOMPARE(idx.size(), size_t(ref.size()));
        for (auto it = ref.cbegin(); it != ref.cend(); ++it)
            QCOMPARE(idx.value(it.key()), it.value());
        QCOMPARE(idx.value(u"abcabcabcabcabc"), -1); // longer than any inserted key
    }

    void recordIndexAgreesWithQHash()
    {
        QRandomGenerator rng(12);
        std::vector<ProcessRecord> records(30000);
        QHash<QString, int> ref;
        RecordKeyIndex idx; // no reserve: grows, rehashing keys from the records
        for (int i = 0; i < int(records.size()); ++i) {
            QString k = QStringLiteral("h|pid:");
            const int len = int(rng.bounded(10u));
            for (int c = 0; c < len; ++c)
                k += QChar(u'0' + char16_t(rng.bounded(4u)));
            records[size_t(i)].key = k;
            ref.insert(k, i);
            idx.insert(records, i);
        }
        QCOMPARE(idx.size(), size_t(ref.size()));
        for (auto it = ref.cbegin(); it != ref.cend(); ++it)
            QCOMPARE(idx.find(records, it.key()), it.value());
        QCOMPARE(idx.find(records, u"h|pid:00000000000"), -1);
        // case matters
        QCOMPARE(idx.find(records, u"H|pid:"), ref.value(QStringLiteral("H|pid:"), -1));
    }

    void recordIndexSurvivesCollisions()
    {
        // Three different keys forced onto one hash: each still finds its own record, and a
        // fourth key with that hash finds nothing (a hash match alone never decides).
        std::vector<ProcessRecord> records(3);
        records[0].key = QStringLiteral("ws|guid:{a}");
        records[1].key = QStringLiteral("ws|guid:{b}");
        records[2].key = QStringLiteral("ws|guid:{a}"); // same key as 0: replaces it
        const quint64 h = 0x1234567890abcdefull;
        RecordKeyIndex idx;
        idx.reserve(records, 2);
        for (int i = 0; i < 3; ++i)
            idx.insert(records, i, h);
        QCOMPARE(idx.size(), size_t(2));
        QCOMPARE(idx.find(records, u"ws|guid:{a}", h), 2);
        QCOMPARE(idx.find(records, u"ws|guid:{b}", h), 1);
        QCOMPARE(idx.find(records, u"ws|guid:{c}", h), -1);
        QCOMPARE(idx.candidate(h), 2); // the first tag match, before the text confirms it
    }

    void imageNamesFollowToLower_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::newRow("ascii case") << QStringLiteral("CMD.EXE") << QStringLiteral("cmd.exe");
        QTest::newRow("different names") << QStringLiteral("cmd.exe") << QStringLiteral("cmd.ex");
        QTest::newRow("non-ascii case")
            << QStringLiteral("ÄRGER.EXE") << QStringLiteral("ärger.exe");
        QTest::newRow("dotted capital i") << QStringLiteral("İ.exe") << QStringLiteral("i.exe");
        QTest::newRow("empty vs name") << QString() << QStringLiteral("a");
        QTest::newRow("at-sign is not a letter")
            << QStringLiteral("@.exe") << QStringLiteral("`.exe");
    }

    void imageNamesFollowToLower()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        ImageNames names;
        const int ia = names.intern(a);
        const int ib = names.intern(b);
        QCOMPARE(ia == ib, a.toLower() == b.toLower());
        QCOMPARE(names.lower(ia), a.toLower());
        QCOMPARE(names.find(a.toLower()), ia);
        QCOMPARE(names.intern(a), ia); // stable
    }

    void imageNamesGrow()
    {
        ImageNames names;
        QCOMPARE(names.intern(QString()), 0);
        for (int i = 0; i < 5000; ++i)
            QCOMPARE(names.intern(QStringLiteral("IMG%1.EXE").arg(i)), i + 1);
        for (int i = 0; i < 5000; ++i)
            QCOMPARE(names.find(QStringLiteral("img%1.exe").arg(i)), i + 1);
        QCOMPARE(names.find(u"img5000.exe"), -1);
    }
};

QTEST_GUILESS_MAIN(TstKeyIndex)
#include "tst_keyindex.moc"
