// Audit chain trust (issue 18): a per-case head catches a cut tail or a deleted chain, triggers
// refuse UPDATE/DELETE, fields are length-prefixed (format 2) while format 1 chains still verify,
// and `verify-audit CASE --against report.json` checks the head signed into a report.
// Runs on SQLite and, as _pg, on PostgreSQL.
#include "import/importdispatcher.h"
#include "store/auditlog.h"
#include "store/sqlutil.h"
#include "testutils.h"

#include <QDirIterator>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

using namespace causa;
using nlohmann::json;

namespace {

qint64 importSample(CaseStore &store)
{
    if (!ImportDispatcher(store).importFile(
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json")))
        return 0;
    return store.findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
}

bool appendNotes(CaseStore &store, qint64 caseId, int n)
{
    return store
        .transaction([&](QSqlDatabase &db) -> Result<void> {
            for (int i = 0; i < n; ++i)
                if (auto e =
                        audit::append(db, caseId, QStringLiteral("ana"), QStringLiteral("note"),
                                      QStringLiteral("{\"n\":%1}").arg(i));
                    !e)
                    return e.error();
            return {};
        })
        .ok();
}

bool exec(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

} // namespace

class TestAuditTrust : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cutChainIsDetected_data()
    {
        QTest::addColumn<QString>("tamper"); // %1 = case id
        QTest::addColumn<QString>("problem");
        QTest::newRow("last entry deleted")
            << "DELETE FROM audit_log WHERE case_id = %1 AND seq = (SELECT MAX(seq) FROM audit_log WHERE case_id = %1)"
            << "head records";
        QTest::newRow("last three deleted")
            << "DELETE FROM audit_log WHERE case_id = %1 AND seq > (SELECT MAX(seq) - 3 FROM audit_log WHERE case_id = %1)"
            << "head records";
        QTest::newRow("whole chain deleted") << "DELETE FROM audit_log WHERE case_id = %1"
                                             << "whole chain is missing";
        QTest::newRow("head deleted") << "DELETE FROM audit_heads WHERE case_id = %1"
                                      << "no recorded head";
    }
    void cutChainIsDetected()
    {
        QFETCH(QString, tamper);
        QFETCH(QString, problem);
        test::TempStore ts;
        const qint64 caseId = importSample(ts.store());
        QVERIFY(caseId > 0);
        QVERIFY(appendNotes(ts.store(), caseId, 4));
        auto db = ts.store().connection().value();
        auto before = audit::verify(db, caseId);
        QVERIFY(before.ok() && before->intact);
        QCOMPARE(before->headEntries, before->entries);
        QVERIFY(test::dropAuditGuards(db));
        QVERIFY(exec(db, tamper.arg(caseId)));
        auto after = audit::verify(db, caseId);
        QVERIFY(after.ok());
        QVERIFY2(!after->intact, "a cut chain still verified as intact");
        QVERIFY2(after->problem.contains(problem), qPrintable(after->problem));
    }

    void auditTablesAreAppendOnly_data()
    {
        QTest::addColumn<QString>("statement"); // %1 = case id
        QTest::addColumn<bool>("postgresOnly");
        QTest::newRow("update payload")
            << "UPDATE audit_log SET payload = '{}' WHERE case_id = %1 AND seq = 1" << false;
        QTest::newRow("update actor and rehash")
            << "UPDATE audit_log SET actor = 'mallory', hash = 'x' WHERE case_id = %1" << false;
        QTest::newRow("delete one entry")
            << "DELETE FROM audit_log WHERE case_id = %1 AND seq = 2" << false;
        QTest::newRow("delete the chain") << "DELETE FROM audit_log WHERE case_id = %1" << false;
        QTest::newRow("move head back")
            << "UPDATE audit_heads SET entries = entries - 1 WHERE case_id = %1" << false;
        QTest::newRow("delete head") << "DELETE FROM audit_heads WHERE case_id = %1" << false;
        QTest::newRow("truncate log") << "TRUNCATE audit_log" << true;
        QTest::newRow("truncate heads") << "TRUNCATE audit_heads" << true;
    }
    void auditTablesAreAppendOnly()
    {
        QFETCH(QString, statement);
        QFETCH(bool, postgresOnly);
        test::TempStore ts;
        if (postgresOnly && !ts.isPostgres())
            QSKIP("SQLite has no TRUNCATE");
        const qint64 caseId = importSample(ts.store());
        QVERIFY(appendNotes(ts.store(), caseId, 2));
        auto db = ts.store().connection().value();
        const qint64 entries = audit::verify(db, caseId)->entries;
        QSqlQuery q(db);
        QVERIFY2(!q.exec(statement.arg(caseId)), "the audit tables accepted a change");
        const QString why = q.lastError().text();
        QVERIFY2(why.contains(QStringLiteral("append-only")) ||
                     why.contains(QStringLiteral("only move forward")),
                 qPrintable(why));
        auto v = audit::verify(db, caseId);
        QVERIFY(v->intact);
        QCOMPARE(v->entries, entries);
        // Appending still works after a refused change.
        QVERIFY(appendNotes(ts.store(), caseId, 1));
        QVERIFY(audit::verify(db, caseId)->intact);
    }

    void fieldsCannotMoveBetweenFields()
    {
        AuditEntry a;
        a.seq = 3;
        a.timestamp = 1700000000000;
        a.prevHash = audit::kGenesis;
        a.actor = QStringLiteral("ana");
        a.kind = QStringLiteral("note\x1f"
                                "x");
        AuditEntry b = a;
        b.actor = QStringLiteral("ana\x1f"
                                 "note");
        b.kind = QStringLiteral("x");
        // The separator encoding of format 1 cannot tell these apart ...
        a.format = b.format = 1;
        QCOMPARE(audit::entryHash(7, a), audit::entryHash(7, b));
        // ... length-prefixed fields (format 2, every new entry) can.
        a.format = b.format = 2;
        QVERIFY(audit::entryHash(7, a) != audit::entryHash(7, b));
        AuditEntry c = a;
        c.actor = QString();
        c.kind = QStringLiteral("ana") + a.kind;
        QVERIFY(audit::entryHash(7, a) != audit::entryHash(7, c));

        test::TempStore ts;
        const qint64 caseId = importSample(ts.store());
        QVERIFY(appendNotes(ts.store(), caseId, 1));
        QSqlQuery q(ts.store().connection().value());
        QVERIFY(q.exec(QStringLiteral("SELECT MIN(format) FROM audit_log WHERE case_id = %1")
                           .arg(caseId)) &&
                q.next());
        QCOMPARE(q.value(0).toInt(), 2);
    }

    void formatOneChainsStillVerify()
    {
        test::TempStore ts;
        auto db = ts.store().connection().value();
        // A chain written before migration 016: format 1 rows and the head the migration derives.
        const qint64 caseId = 9001;
        QString prev = audit::kGenesis;
        for (int seq = 1; seq <= 3; ++seq) {
            AuditEntry e;
            e.seq = seq;
            e.timestamp = 1700000000000 + seq;
            e.actor = QStringLiteral("old");
            e.kind = QStringLiteral("note");
            e.payload = QStringLiteral("{\"seq\":%1}").arg(seq);
            e.prevHash = prev;
            e.format = 1;
            e.hash = audit::entryHash(caseId, e);
            QSqlQuery ins(db);
            ins.prepare(QStringLiteral(
                "INSERT INTO audit_log (case_id, seq, ts, actor, kind, payload, prev_hash, hash, "
                "format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)"));
            QVERIFY(sql::exec(ins, {caseId, e.seq, e.timestamp, e.actor, e.kind, e.payload,
                                    e.prevHash, e.hash})
                        .ok());
            prev = e.hash;
        }
        QVERIFY(exec(
            db,
            QStringLiteral("INSERT INTO audit_heads (case_id, entries, head) VALUES (%1, 3, '%2')")
                .arg(caseId)
                .arg(prev)));
        QVERIFY(audit::verify(db, caseId)->intact);
        QVERIFY(appendNotes(ts.store(), caseId, 2));
        auto v = audit::verify(db, caseId);
        QVERIFY2(v->intact, qPrintable(v->problem));
        QCOMPARE(v->entries, qint64(5));
        // A format 1 entry is still checked with its own encoding.
        QVERIFY(test::dropAuditGuards(db));
        QVERIFY(exec(
            db,
            QStringLiteral("UPDATE audit_log SET actor = 'mallory' WHERE case_id = %1 AND seq = 2")
                .arg(caseId)));
        v = audit::verify(db, caseId);
        QVERIFY(!v->intact);
        QCOMPARE(v->firstBadSeq, qint64(2));
    }

    void signedHeadInReportIsChecked()
    {
        test::TempStore ts;
        QTemporaryDir home;
        // A fresh configuration folder: the CLI creates the analyst's key there.
        qputenv("XDG_CONFIG_HOME", home.path().toUtf8());
        qunsetenv("CAUSA_EXPORT_KEY");
        const QString sample =
            test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json");
        QCOMPARE(
            test::runCli(ts.cliArgs() + QStringList{QStringLiteral("import"), sample}).exitCode, 0);
        const qint64 caseId =
            ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
        const QString id = QString::number(caseId);
        const QString report = home.filePath(QStringLiteral("report.json"));
        auto r = test::runCli(ts.cliArgs() + QStringList{QStringLiteral("report"), id,
                                                         QStringLiteral("--json"), report});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        json j = json::parse(f.readAll().toStdString());
        f.close();
        const json head = j["audit"]["signed_head"];
        QCOMPARE(head["case_id"].get<qint64>(), caseId);
        QVERIFY(head["entries"].get<qint64>() >= 1);
        QCOMPARE(head["signature"].get<std::string>().size(), size_t(64));

        const QStringList verify = ts.cliArgs() + QStringList{QStringLiteral("verify-audit"), id,
                                                              QStringLiteral("--against"), report};
        r = test::runCli(verify);
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QVERIFY(r.out.contains("matches the signed head"));
        // Later entries are fine: the report's entry is still in the chain.
        QVERIFY(appendNotes(ts.store(), caseId, 2));
        QCOMPARE(test::runCli(verify).exitCode, 0);

        // An edited report no longer carries a valid signature.
        {
            json edited = j;
            edited["audit"]["signed_head"]["entries"] = head["entries"].get<qint64>() - 1;
            const QString path = home.filePath(QStringLiteral("edited.json"));
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(QByteArray::fromStdString(edited.dump()));
            out.close();
            r = test::runCli(ts.cliArgs() + QStringList{QStringLiteral("verify-audit"), id,
                                                        QStringLiteral("--against"), path});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("not signed"), r.err.constData());
        }
        // Another analyst's key does not vouch for this report.
        qputenv("CAUSA_EXPORT_KEY", "someone-elses-key-0123456789abcdef");
        r = test::runCli(verify);
        qunsetenv("CAUSA_EXPORT_KEY");
        QCOMPARE(r.exitCode, 1);

        // A thorough attacker removes every entry and rewrites the head to match what is left:
        // the store alone looks intact, the signed head does not.
        auto db = ts.store().connection().value();
        QVERIFY(test::dropAuditGuards(db));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM audit_log WHERE case_id = %1").arg(caseId)));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM audit_heads WHERE case_id = %1").arg(caseId)));
        QCOMPARE(
            test::runCli(ts.cliArgs() + QStringList{QStringLiteral("verify-audit"), id}).exitCode,
            0);
        r = test::runCli(verify);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("entries were removed"), r.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestAuditTrust)
#include "tst_audittrust.moc"
