// XDR import: the rows an import stores, table by table, compared with digests recorded before
// the importer was rewritten for speed (the mapped rows must not change), on SQLite and
// PostgreSQL; a second import of the same file must leave every table as it was.
#include "import/importdispatcher.h"
#include "testutils.h"
#include "xdralertgen.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace causa;

namespace {

// Each table as "SELECT natural keys and values": ids never appear, only what they point at.
struct TableQuery
{
    const char *name;
    const char *sql;
};

const TableQuery kTables[] = {
    {"cases", "SELECT source, source_ref, title, description, severity, status, verdict, assignee, "
              "source_url, hosts, users, alert_count, created_at, updated_at FROM cases"},
    {"endpoints", "SELECT endpoint_key, host_name, agent_id, ips, os, domain FROM endpoints"},
    {"alerts",
     "SELECT c.source, c.source_ref, e.endpoint_key, a.alert_key, a.source, a.source_alert_id, "
     "a.external_id, a.name, a.category, a.description, a.severity, a.action, a.action_pretty, "
     "a.blocked, a.rule_id, a.detected_at, a.host_name, a.host_ip, a.user_name, a.mitre_tactics, "
     "a.mitre_techniques, a.remote_ip, a.remote_port, a.local_ip, a.external_hostname, a.raw "
     "FROM alerts a JOIN cases c ON c.id = a.case_id LEFT JOIN endpoints e ON e.id = a.endpoint_id"},
    {"processes",
     "SELECT p.process_key, p.parent_key, e.endpoint_key, p.image_name, p.image_path, "
     "p.command_line, p.pid, p.parent_pid, p.user_name, p.started_at, p.ended_at, p.md5, p.sha1, "
     "p.sha256, p.signature_status, p.signature_vendor, p.causality_id, p.source "
     "FROM processes p LEFT JOIN endpoints e ON e.id = p.endpoint_id"},
    {"alert_processes",
     "SELECT a.alert_key, ap.role, p.process_key FROM alert_processes ap "
     "JOIN alerts a ON a.id = ap.alert_id JOIN processes p ON p.id = ap.process_id"},
    {"indicators", "SELECT type, value, internal FROM indicators"},
    {"case_indicators", "SELECT c.source, c.source_ref, i.type, i.value, ci.context, ci.as_written "
                        "FROM case_indicators ci JOIN cases c ON c.id = ci.case_id "
                        "JOIN indicators i ON i.id = ci.indicator_id"},
    {"severity_history", "SELECT c.source, c.source_ref, h.severity, h.reason, h.changed_by "
                         "FROM severity_history h JOIN cases c ON c.id = h.case_id"},
    {"audit_log", "SELECT c.source, c.source_ref, l.seq, l.actor, l.kind, l.payload "
                  "FROM audit_log l JOIN cases c ON c.id = l.case_id"},
};

// A stored alert's raw JSON, compared by value: the importer may keep the original bytes
// (spacing, key order) or write them out again; both must hold the same JSON.
QString canonicalJson(const QString &raw)
{
    const auto j = nlohmann::json::parse(raw.toStdString(), nullptr, false);
    if (j.is_discarded())
        return QStringLiteral("<not JSON> ") + raw;
    return QString::fromStdString(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// Timestamps the import takes from the clock (a case or alert without one) are masked.
QString cell(const QVariant &v, const QString &column, qint64 importStartMs)
{
    if (v.isNull())
        return QStringLiteral("<null>");
    if (column == QLatin1String("raw"))
        return canonicalJson(v.toString());
    if ((column == QLatin1String("created_at") || column == QLatin1String("updated_at")) &&
        v.toLongLong() >= importStartMs)
        return QStringLiteral("<now>");
    return v.toString();
}

// Sorted rows of one table, one line each (sorted here: SQLite and PostgreSQL collate differently).
QStringList tableLines(QSqlDatabase &db, const TableQuery &t, qint64 importStartMs)
{
    QSqlQuery q(db);
    if (!q.exec(QString::fromLatin1(t.sql)))
        qFatal("%s: %s", t.name, qPrintable(q.lastError().text()));
    QStringList lines;
    while (q.next()) {
        const QSqlRecord rec = q.record();
        QStringList cells;
        for (int c = 0; c < rec.count(); ++c)
            cells << cell(q.value(c), rec.fieldName(c), importStartMs);
        lines << cells.join(QLatin1Char('\x1f'));
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

// "table=rows:digest" for every table, one line each.
QString storeDigest(CaseStore &store, qint64 importStartMs)
{
    auto conn = store.connection();
    if (!conn)
        qFatal("connection: %s", qPrintable(conn.error().toString()));
    QStringList out;
    for (const TableQuery &t : kTables) {
        const QStringList lines = tableLines(conn.value(), t, importStartMs);
        const QByteArray digest = QCryptographicHash::hash(lines.join(QLatin1Char('\n')).toUtf8(),
                                                           QCryptographicHash::Sha256)
                                      .toHex();
        out << QStringLiteral("%1=%2:%3")
                   .arg(QLatin1String(t.name))
                   .arg(lines.size())
                   .arg(QLatin1String(digest.left(16)));
    }
    return out.join(QLatin1Char('\n'));
}

// The case search index (SQLite FTS5, kept by triggers) holds every imported case once, under
// its own row: the index is consistent, has a row per case, and finds each case by its source
// reference. PostgreSQL keeps no such index (its queue search is ILIKE over the columns).
void checkSearchIndex(CaseStore &store)
{
    auto conn = store.connection();
    QVERIFY(conn);
    QSqlDatabase db = conn.value();
    QSqlQuery q(db);
    // An import indexes its new cases at commit (migration 018): none is left waiting.
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM cases WHERE search_pending <> 0")) &&
            q.next());
    QCOMPARE(q.value(0).toLongLong(), 0);
    if (store.dialect().kind() != SqlDialect::Kind::Sqlite)
        return;
    QVERIFY2(q.exec(QStringLiteral("INSERT INTO cases_fts(cases_fts) VALUES('integrity-check')")),
             qPrintable(q.lastError().text()));
    QVERIFY(q.exec(QStringLiteral("SELECT (SELECT count(*) FROM cases), "
                                  "(SELECT count(*) FROM cases_fts_docsize)")) &&
            q.next());
    QCOMPARE(q.value(1).toLongLong(), q.value(0).toLongLong());
    QVERIFY(q.exec(QStringLiteral("SELECT id, source_ref, hosts FROM cases")));
    QSqlQuery find(db);
    QVERIFY(find.prepare(QStringLiteral("SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?")));
    // Finds the case by `column:"value"`, as the queue filter would.
    auto findsCase = [&find](qint64 id, const QString &column, const QString &value) {
        find.addBindValue(
            QStringLiteral("%1:\"%2\"")
                .arg(column, QString(value).replace(QLatin1Char('"'), QStringLiteral("\"\""))));
        if (!find.exec())
            return false;
        bool found = false;
        while (find.next())
            found = found || find.value(0).toLongLong() == id;
        return found;
    };
    int checked = 0;
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        const QString ref = q.value(1).toString();
        QVERIFY2(findsCase(id, QStringLiteral("source_ref"), ref),
                 qPrintable(QStringLiteral("case %1 (%2) is not found by its source reference")
                                .arg(id)
                                .arg(ref)));
        // The aggregates the commit wrote are what the index holds.
        const QString host = q.value(2).toString().section(QLatin1Char('\n'), 0, 0);
        if (!host.isEmpty())
            QVERIFY2(findsCase(id, QStringLiteral("hosts"), host),
                     qPrintable(QStringLiteral("case %1 (%2) is not found by its host %3")
                                    .arg(id)
                                    .arg(ref, host)));
        ++checked;
    }
    QVERIFY(checked > 0);
}

// n full-width alerts in a get_alerts reply; indented the way a saved, pretty-printed reply is.
QString writeGenerated(const QString &dir, int n, bool indented)
{
    const QString path =
        dir + (indented ? QStringLiteral("/indented.json") : QStringLiteral("/alerts.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write("{\"reply\": {\"total_count\": " + QByteArray::number(n) + ", \"alerts\": [");
    for (int i = 0; i < n; ++i) {
        if (i)
            f.write(",\n");
        f.write(QByteArray::fromStdString(test::makeFullWidthAlert(i).dump(indented ? 2 : -1)));
    }
    f.write("]}}");
    return path;
}

} // namespace

class TestXdrStoreDump : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storedRows_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("generated");
        QTest::addColumn<QString>("expected");
        // Recorded with the importer before its rewrite for speed (nlohmann DOM per alert,
        // one INSERT per link): every table must come out the same.
        QTest::newRow("sample case") << QStringLiteral("samples:fin-ws-042-incident.json") << 0
                                     << QStringLiteral("cases=1:7dc4f6cab81ed87c\n"
                                                       "endpoints=1:74ae4c21e9334c2b\n"
                                                       "alerts=2:f97d0fb5fe17da4b\n"
                                                       "processes=5:329ef4efd30a67f0\n"
                                                       "alert_processes=8:467d7431cfb24051\n"
                                                       "indicators=14:e34f2c535391a9b0\n"
                                                       "case_indicators=18:42eb57da88dbc140\n"
                                                       "severity_history=1:ec5e98065a37745a\n"
                                                       "audit_log=1:14ca6754123f7122");
        QTest::newRow("get_incident_extra_data.json")
            << QStringLiteral("shared:get_incident_extra_data.json") << 0
            << QStringLiteral("cases=1:1e2d684ecf35ddf3\n"
                              "endpoints=1:e95446f310f8d5b5\n"
                              "alerts=1:bb271333a3178e18\n"
                              "processes=1:9d626a0137475d13\n"
                              "alert_processes=1:4d94c178c91c6882\n"
                              "indicators=4:fddf7979a553e086\n"
                              "case_indicators=4:c291ff807b24b1e1\n"
                              "severity_history=1:be0484f22897c133\n"
                              "audit_log=1:698bf3b2f8f2add1");
        QTest::newRow("raw_fetched_incident.json")
            << QStringLiteral("shared:raw_fetched_incident.json") << 0
            << QStringLiteral("cases=1:19ffc929122bc32b\n"
                              "endpoints=2:11c5fd4ea9424912\n"
                              "alerts=3:b69ce5935739133e\n"
                              "processes=0:e3b0c44298fc1c14\n"
                              "alert_processes=0:e3b0c44298fc1c14\n"
                              "indicators=5:736b947ad3836caf\n"
                              "case_indicators=5:b01cf72a7d4b7c9e\n"
                              "severity_history=1:d3739e5a87852da2\n"
                              "audit_log=1:b178885861862180");
        QTest::newRow("get_extra_data_all_alerts.json")
            << QStringLiteral("shared:get_extra_data_all_alerts.json") << 0
            << QStringLiteral("cases=1:ee99afc9d533de57\n"
                              "endpoints=1:dbe73c3b743b5a9f\n"
                              "alerts=3:8748816571bdd19e\n"
                              "processes=3:e661dea4bb8fafea\n"
                              "alert_processes=3:18ee6b0aa8c790d6\n"
                              "indicators=4:68078074678cd321\n"
                              "case_indicators=4:4bb5e6c5c60073b7\n"
                              "severity_history=1:f81069b445f67896\n"
                              "audit_log=1:ace27f8423cf10ed");
        QTest::newRow("get_alerts_by_filter_results.json")
            << QStringLiteral("shared:get_alerts_by_filter_results.json") << 0
            << QStringLiteral("cases=1:c2a4a561727841a8\n"
                              "endpoints=1:a710602e7abc3612\n"
                              "alerts=2:fe5cfc9bc9358279\n"
                              "processes=0:e3b0c44298fc1c14\n"
                              "alert_processes=0:e3b0c44298fc1c14\n"
                              "indicators=0:e3b0c44298fc1c14\n"
                              "case_indicators=0:e3b0c44298fc1c14\n"
                              "severity_history=1:355108957a2617ab\n"
                              "audit_log=1:d68fca04999b9a0e");
        QTest::newRow("300 generated alerts")
            << QStringLiteral("generated") << 300
            << QStringLiteral("cases=75:f7929a19fcb3eee7\n"
                              "endpoints=300:82bf22ab4a3d90aa\n"
                              "alerts=300:f7c5b7df524a53b4\n"
                              "processes=900:00468aa954835178\n"
                              "alert_processes=1200:7274c380aa77b6f4\n"
                              "indicators=3500:293be07b7c55bd0f\n"
                              "case_indicators=3600:04ab33c87f8a4a9a\n"
                              "severity_history=75:27f321fee58219c7\n"
                              "audit_log=75:b2f32c63f13a89b0");
        QTest::newRow("300 generated alerts, indented")
            << QStringLiteral("indented") << 300
            << QStringLiteral("cases=75:f7929a19fcb3eee7\n"
                              "endpoints=300:82bf22ab4a3d90aa\n"
                              "alerts=300:f7c5b7df524a53b4\n"
                              "processes=900:00468aa954835178\n"
                              "alert_processes=1200:7274c380aa77b6f4\n"
                              "indicators=3500:293be07b7c55bd0f\n"
                              "case_indicators=3600:04ab33c87f8a4a9a\n"
                              "severity_history=75:27f321fee58219c7\n"
                              "audit_log=75:cfe16f2bc4c74d05");
    }
    void storedRows()
    {
        QFETCH(QString, file);
        QFETCH(int, generated);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QString path;
        if (file.startsWith(QLatin1String("shared:"))) {
            CAUSA_REQUIRE_SHARED_DATA(QStringLiteral("xdr/") + file.mid(7));
            path = test::sharedDataDir() + QStringLiteral("/xdr/") + file.mid(7);
        } else if (file.startsWith(QLatin1String("samples:"))) {
            path = test::sourceDir() + QStringLiteral("/resources/samples/") + file.mid(8);
        } else {
            path = writeGenerated(dir.path(), generated, file == QLatin1String("indented"));
        }
        test::TempStore ts;
        ImportDispatcher importer(ts.store());
        const qint64 start = QDateTime::currentMSecsSinceEpoch();
        auto first = importer.importFile(path);
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().toString()));
        const QString digest = storeDigest(ts.store(), start);
        if (qEnvironmentVariableIsSet("CAUSA_PRINT_DIGESTS"))
            qInfo("%s\n%s", QTest::currentDataTag(), qPrintable(digest));
        QCOMPARE(digest, expected);
        checkSearchIndex(ts.store());
        if (QTest::currentTestFailed())
            return;
        // Importing the same file again adds nothing and changes nothing.
        auto second = importer.importFile(path);
        QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(second.error().toString()));
        QCOMPARE(second->alerts, qint64(0));
        QCOMPARE(storeDigest(ts.store(), start), digest);
        checkSearchIndex(ts.store());
    }
};

QTEST_GUILESS_MAIN(TestXdrStoreDump)
#include "tst_xdrstoredump.moc"
