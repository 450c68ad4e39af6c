// The forest's flat key index: same answers as a QHash<QString, int> (last insert wins, misses
// fall back), across growth, on keys that differ only in their last character, and on a
// random mix checked against QHash.
#include "forest/keyindex.h"

#include <QHash>
#include <QRandomGenerator>
#include <QTest>

using causa::detail::KeyIndex;

class TstKeyIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void basics()
    {
        KeyIndex idx;
        QCOMPARE(idx.value(u"missing", -7), -7); // empty index
        idx.insert(QStringLiteral("a|guid:{1}"), 1);
        idx.insert(QString(), 2); // the empty key is a key like any other
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
            idx.insert(QStringLiteral("bench-host|guid:{") + QString::number(i) + QLatin1Char('}'), i);
        QCOMPARE(idx.size(), size_t(n));
        for (int i = 0; i < n; ++i)
            QCOMPARE(idx.value(QString(QStringLiteral("bench-host|guid:{") + QString::number(i) + QLatin1Char('}'))), i);
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
};

QTEST_GUILESS_MAIN(TstKeyIndex)
#include "tst_keyindex.moc"
