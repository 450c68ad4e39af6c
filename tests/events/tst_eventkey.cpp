// The events' identity: a 64-bit key (migration 012) under the event's time (migration 015).
// Stored keys converted from the old 40-digit hex text, two different records sharing a time
// and key prefix both kept, re-imports still adding nothing. Runs on SQLite and PostgreSQL.
#include "events/eventparser.h"
#include "eventtestutil.h"
#include "store/eventinsert.h"
#include "store/importsession.h"

#include <QCryptographicHash>
#include <QSqlError>
#include <QSqlQuery>

using namespace causa;

namespace {

QString sha1Hex(const QByteArray &data)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(data.trimmed(), QCryptographicHash::Sha1).toHex());
}

bool exec(QSqlDatabase &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery q(db);
    // PostgreSQL cannot PREPARE DDL: statements without values run directly.
    bool ok;
    if (values.isEmpty()) {
        ok = q.exec(sql);
    } else {
        q.prepare(sql);
        for (int i = 0; i < values.size(); ++i)
            q.bindValue(i, values.at(i));
        ok = q.exec();
    }
    if (!ok) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

qint64 scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

EventRecord makeEvent(const QString &key, const QByteArray &data, qint64 ts = 0)
{
    EventRecord e;
    e.key = key;
    e.timestamp = ts;
    e.kind = QStringLiteral("file");
    e.data = data;
    e.summary = QString::fromUtf8(data);
    return e;
}

} // namespace

class TestEventKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A process's key built from the GUID's bytes (the import's path) is the key built from the
    // GUID as text: lower case, also for GUIDs in capitals and for bytes beyond ASCII.
    void processKeyFromGuidBytes_data()
    {
        QTest::addColumn<QByteArray>("guid");
        QTest::newRow("sysmon") << QByteArray("{5770385F-C22A-43E0-BF4C-06F5698FFBD9}");
        QTest::newRow("lower") << QByteArray("{5770385f-0000-0000-0003-000000000003}");
        QTest::newRow("every letter") << QByteArray("ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{|}~ 09");
        QTest::newRow("beyond ascii") << QByteArray("{\xC3\x84"
                                                    "BC-\xE2\x80\x94-\xC3\x9F}");
        QTest::newRow("markup") << QByteArray("<b>GUID</b>&amp;");
        QTest::newRow("empty") << QByteArray();
    }

    void processKeyFromGuidBytes()
    {
        QFETCH(QByteArray, guid);
        const QString endpoint = QStringLiteral("fin-ws-042");
        const QString fromBytes = events::EventParser::processKeyForGuid(
            endpoint, std::string_view(guid.constData(), size_t(guid.size())));
        QCOMPARE(fromBytes,
                 events::EventParser::processKeyForGuid(endpoint, QString::fromUtf8(guid)));
        QCOMPARE(fromBytes,
                 endpoint + QStringLiteral("|guid:") + QString::fromUtf8(guid).toLower());
    }

    void keyId()
    {
        const QString zeros(24, QLatin1Char('0'));
        QCOMPARE(detail::eventKeyId(QStringLiteral("0123456789abcdef") + zeros),
                 qint64(0x0123456789abcdef));
        QCOMPARE(detail::eventKeyId(QStringLiteral("0123456789ABCDEF") + zeros),
                 qint64(0x0123456789abcdef));
        QCOMPARE(detail::eventKeyId(QStringLiteral("ffffffffffffffff") + zeros), qint64(-1));
        QCOMPARE(detail::eventKeyId(QStringLiteral("8000000000000000") + zeros),
                 std::numeric_limits<qint64>::min());
        // Not a hex SHA-1: the first 8 bytes of the text's own SHA-1.
        const QByteArray h = QCryptographicHash::hash("fixture-1", QCryptographicHash::Sha1);
        quint64 v = 0;
        for (int i = 0; i < 8; ++i)
            v = (v << 8) | quint8(h.at(i));
        QCOMPARE(detail::eventKeyId(QStringLiteral("fixture-1")), qint64(v));
        QCOMPARE(detail::eventKeyId(QStringLiteral("0123456789abcdef") +
                                    QString(23, QLatin1Char('0')) + QLatin1Char('g')),
                 detail::eventKeyId(QStringLiteral("0123456789abcdef") +
                                    QString(23, QLatin1Char('0')) + QLatin1Char('g')));
    }

    // Keys a, b share their first 16 digits: b moves on to a's key plus one. c's own key is that
    // one, taken by b: c moves on to the next. d has a's key prefix at another time: it keeps
    // its own key. All four records are kept, and adding them again adds nothing.
    void clashingKeysKeepEveryRecord()
    {
        const QString a = QStringLiteral("0123456789abcdef") + QString(24, QLatin1Char('0'));
        const QString b = QStringLiteral("0123456789abcdef") + QString(24, QLatin1Char('1'));
        const QString c = QStringLiteral("0123456789abcdf0") + QString(24, QLatin1Char('2'));
        test::TempStore ts;
        for (int round = 0; round < 2; ++round) {
            ImportSession s(ts.store());
            QVERIFY(s.begin().ok());
            QVERIFY(s.addEvent(makeEvent(a, "{\"record\": \"a\"}")).ok());
            QVERIFY(s.addEvent(makeEvent(b, "{\"record\": \"b\"}")).ok());
            QVERIFY(s.addEvent(makeEvent(c, "{\"record\": \"c\"}")).ok());
            // same record, padded
            QVERIFY(s.addEvent(makeEvent(b, "  {\"record\": \"b\"}\t")).ok());
            QVERIFY(s.addEvent(makeEvent(a, "{\"record\": \"d\"}", 1700000000000)).ok());
            QCOMPARE(s.counts().events, round == 0 ? qint64(4) : qint64(0));
            QCOMPARE(s.counts().skipped, round == 0 ? qint64(1) : qint64(5));
            QVERIFY(s.commit(QStringLiteral("clash")).ok());
        }
        auto db = ts.store().connection();
        QVERIFY(db.ok());
        QCOMPARE(scalar(db.value(), QStringLiteral("SELECT COUNT(*) FROM events")), qint64(4));
        QSqlQuery q(db.value());
        QVERIFY(q.exec(
            QStringLiteral("SELECT ts, event_key, data FROM events ORDER BY ts, event_key")));
        QStringList rows;
        while (q.next())
            rows << QStringLiteral("%1 %2 %3")
                        .arg(q.value(0).toLongLong())
                        .arg(q.value(1).toLongLong(), 0, 16)
                        .arg(q.value(2).toString());
        QCOMPARE(rows, (QStringList{
                           QStringLiteral("0 123456789abcdef {\"record\": \"a\"}"),
                           QStringLiteral("0 123456789abcdf0 {\"record\": \"b\"}"),
                           QStringLiteral("0 123456789abcdf1 {\"record\": \"c\"}"),
                           QStringLiteral("1700000000000 123456789abcdef {\"record\": \"d\"}")}));
    }

    // A store written before 012 (text keys unique on their own, processes_parent index) is
    // converted: each key becomes the prefix of its hash, unique under the event's time, and
    // importing the same file again adds nothing.
    void migrationConvertsStoredKeys()
    {
        const QString sample =
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-events.jsonl");
        test::TempStore ts;
        auto first = ImportDispatcher(ts.store()).importFile(sample);
        QVERIFY(first.ok());
        QVERIFY(first->events > 10);
        auto conn = ts.store().connection();
        QVERIFY(conn.ok());
        QSqlDatabase db = conn.value();
        // Back to the 011 schema, with the keys the importer wrote then.
        QVERIFY(db.transaction());
        if (ts.isPostgres()) {
            QVERIFY(exec(db, QStringLiteral("ALTER TABLE events DROP CONSTRAINT events_identity")));
            QVERIFY(exec(
                db,
                QStringLiteral(
                    "ALTER TABLE events ALTER COLUMN event_key TYPE TEXT USING ('old' || id)")));
            QVERIFY(exec(
                db,
                QStringLiteral(
                    "ALTER TABLE events ADD CONSTRAINT events_event_key_key UNIQUE (event_key)")));
        } else {
            QVERIFY(exec(
                db,
                QStringLiteral(
                    "CREATE TABLE events_old (id INTEGER PRIMARY KEY, event_key TEXT NOT NULL UNIQUE, "
                    "endpoint_id BIGINT REFERENCES endpoints(id), process_key TEXT NOT NULL DEFAULT '', "
                    "kind TEXT NOT NULL DEFAULT '', event_code INTEGER NOT NULL DEFAULT 0, "
                    "channel TEXT NOT NULL DEFAULT '', ts BIGINT NOT NULL DEFAULT 0, summary TEXT NOT NULL DEFAULT '', "
                    "source_file TEXT NOT NULL DEFAULT '', source_line BIGINT NOT NULL DEFAULT 0, "
                    "data TEXT NOT NULL DEFAULT '')")));
            QVERIFY(exec(
                db,
                QStringLiteral(
                    "INSERT INTO events_old SELECT id, 'old' || id, endpoint_id, process_key, "
                    "kind, event_code, channel, ts, summary, source_file, source_line, data FROM events")));
            QVERIFY(exec(db, QStringLiteral("DROP TABLE events")));
            QVERIFY(exec(db, QStringLiteral("ALTER TABLE events_old RENAME TO events")));
            QVERIFY(exec(db, QStringLiteral(
                                 "CREATE INDEX events_endpoint_time ON events(endpoint_id, ts)")));
        }
        QVERIFY(exec(db, QStringLiteral("CREATE INDEX processes_parent ON processes(parent_key)")));
        QVERIFY(
            exec(db, QStringLiteral("DELETE FROM schema_migrations WHERE version IN (12, 15)")));
        QList<std::pair<qint64, QByteArray>> rows;
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT id, data FROM events ORDER BY id")));
            while (q.next())
                rows.append({q.value(0).toLongLong(), q.value(1).toString().toUtf8()});
        }
        QCOMPARE(rows.size(), int(first->events));
        for (int i = 0; i < rows.size(); ++i) {
            QString key = sha1Hex(rows.at(i).second);
            if (i == 1)
                key = key.toUpper(); // hex in capitals converts the same
            QVERIFY(exec(db, QStringLiteral("UPDATE events SET event_key = ? WHERE id = ?"),
                         {key, rows.at(i).first}));
        }
        // A key no importer wrote (a hand-made row) keeps the row, keyed by its id.
        QVERIFY(exec(db, QStringLiteral("UPDATE events SET event_key = 'hand-made' WHERE id = ?"),
                     {rows.last().first}));
        QVERIFY(db.commit());

        // Opening the store again runs the migration.
        auto reopened = CaseStore::open(ts.store().location());
        QVERIFY2(reopened.ok(), reopened.ok() ? "" : qPrintable(reopened.error().toString()));
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM events")), first->events);
        QCOMPARE(
            scalar(db, QStringLiteral(
                           "SELECT COUNT(*) FROM schema_migrations WHERE version IN (12, 15)")),
            qint64(2));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT id, event_key, data FROM events ORDER BY id")));
        int n = 0;
        while (q.next()) {
            const qint64 id = q.value(0).toLongLong();
            const qint64 expected =
                id == rows.last().first
                    ? id
                    : detail::eventKeyId(sha1Hex(q.value(2).toString().toUtf8()));
            QCOMPARE(q.value(1).toLongLong(), expected);
            ++n;
        }
        QCOMPARE(n, rows.size());
        // A key is unique under its time only: another row with a stored key at another time
        // goes in, one at the same time does not.
        {
            QSqlQuery k(db);
            QVERIFY(
                k.exec(QStringLiteral("SELECT ts, event_key FROM events ORDER BY id LIMIT 1")) &&
                k.next());
            const qint64 keyTs = k.value(0).toLongLong(), key = k.value(1).toLongLong();
            QVERIFY(db.transaction());
            QVERIFY(exec(db, QStringLiteral("INSERT INTO events (event_key, ts) VALUES (?, ?)"),
                         {key, keyTs + 1}));
            QSqlQuery dup(db);
            dup.prepare(QStringLiteral("INSERT INTO events (event_key, ts) VALUES (?, ?)"));
            dup.addBindValue(key);
            dup.addBindValue(keyTs);
            QVERIFY(!dup.exec());
            QVERIFY(db.rollback());
        }
        // The index is gone: creating it again works.
        QVERIFY(exec(db, QStringLiteral("CREATE INDEX processes_parent ON processes(parent_key)")));
        QVERIFY(exec(db, QStringLiteral("DROP INDEX processes_parent")));

        auto again = ImportDispatcher(*reopened.value()).importFile(sample);
        QVERIFY(again.ok());
        QCOMPARE(again->events, qint64(1)); // the hand-made key no longer names that record
        QCOMPARE(again->skipped, first->events - 1);
        auto third = ImportDispatcher(*reopened.value()).importFile(sample);
        QVERIFY(third.ok());
        QCOMPARE(third->events, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestEventKey)
#include "tst_eventkey.moc"
