// Evidence tags: once per item, audited on tag and untag, the chain stays intact.
#include "report/reportcomposer.h"
#include "report/reportdata.h"
#include "report/reportexporters.h"
#include "store/auditlog.h"
#include "store/evidencestore.h"
#include "testutils.h"
#include "timelinefixture.h"

using namespace causa;

class TestEvidenceStore : public QObject
{
    Q_OBJECT

    static std::vector<AuditEntry> auditOf(CaseStore &store, qint64 caseId)
    {
        return audit::entries(store.connection().value(), caseId).value();
    }

private Q_SLOTS:
    void tagOnceAndAudit()
    {
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        QVERIFY(f.caseId > 0);
        const size_t auditBefore = auditOf(ts.store(), f.caseId).size();
        bool created = false;
        auto a = evidencestore::tag(
            ts.store(), f.caseId, QStringLiteral("process"), QStringLiteral("ws-1|guid-reg"),
            QStringLiteral("reg.exe (PID 4242)"), QStringLiteral("dumps LSA secrets"),
            QStringLiteral("alice"), &created);
        QVERIFY2(a.ok(), a.ok() ? "" : qPrintable(a.error().toString()));
        QVERIFY(created);
        QVERIFY(a.value().id > 0);
        QCOMPARE(a.value().createdBy, QStringLiteral("alice"));
        auto again = evidencestore::tag(
            ts.store(), f.caseId, QStringLiteral("process"), QStringLiteral("ws-1|guid-reg"),
            QStringLiteral("reg.exe (PID 4242)"), QStringLiteral("other comment"),
            QStringLiteral("bob"), &created);
        QVERIFY(again.ok());
        QVERIFY(!created);
        QCOMPARE(again.value().id, a.value().id);
        QCOMPARE(again.value().detail, QStringLiteral("dumps LSA secrets")); // the first tag stands
        const auto items = evidencestore::items(ts.store(), f.caseId).value();
        QCOMPARE(items.size(), size_t(1));
        const auto entries = auditOf(ts.store(), f.caseId);
        QCOMPARE(entries.size(), auditBefore + 1);
        QCOMPARE(entries.back().kind, QStringLiteral("evidence.tagged"));
        QCOMPARE(entries.back().actor, QStringLiteral("alice"));
        QVERIFY(entries.back().payload.contains(QStringLiteral("dumps LSA secrets")));

        QVERIFY(evidencestore::untag(ts.store(), a.value().id, QStringLiteral("bob")).ok());
        QVERIFY(evidencestore::items(ts.store(), f.caseId).value().empty());
        const auto after = auditOf(ts.store(), f.caseId);
        QCOMPARE(after.size(), auditBefore + 2);
        QCOMPARE(after.back().kind, QStringLiteral("evidence.untagged"));
        QCOMPARE(after.back().actor, QStringLiteral("bob"));
        const auto verdict = audit::verify(ts.store().connection().value(), f.caseId);
        QVERIFY(verdict.ok());
        QVERIFY(verdict.value().intact);
    }

    void hostileTextKeptVerbatim()
    {
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        const QString markup =
            QStringLiteral("<script>alert(1)</script>'; DROP TABLE evidence; --");
        QString withSeparator = QStringLiteral("cmd.exe /c x");
        withSeparator[3] = QChar(0x2028); // a line separator inside the ref
        const QString longComment = QString(QLatin1Char('x')).repeated(1 << 20);
        auto a = evidencestore::tag(ts.store(), f.caseId, QStringLiteral("command_line"),
                                    withSeparator, markup, longComment, QStringLiteral("alice"));
        QVERIFY2(a.ok(), a.ok() ? "" : qPrintable(a.error().toString()));
        const auto items = evidencestore::items(ts.store(), f.caseId).value();
        QCOMPARE(items.size(), size_t(1));
        QCOMPARE(items.front().label, markup);
        // A huge label is cut to a readable length instead of failing the tag.
        auto big = evidencestore::tag(
            ts.store(), f.caseId, QStringLiteral("event"), QStringLiteral("9"),
            QString(QLatin1Char('L')).repeated(100000), {}, QStringLiteral("alice"));
        QVERIFY(big.ok());
        QCOMPARE(big.value().label.size(), qsizetype(500));
        QCOMPARE(items.front().ref, withSeparator);
        QCOMPARE(items.front().detail.size(), longComment.size());
    }

    void reportCarriesAnalystEvidence()
    {
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        QVERIFY(evidencestore::tag(ts.store(), f.caseId, QStringLiteral("event"),
                                   QStringLiteral("17"), QStringLiteral("<i>reg save</i> · WS-1"),
                                   QStringLiteral("LSA dump & <script>"), QStringLiteral("alice"))
                    .ok());
        auto data = loadReportData(ts.store(), f.caseId);
        QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().toString()));
        QCOMPARE(data.value().evidence.size(), size_t(1));
        const QString html = QString::fromUtf8(report::toHtml(composeReport(data.value())));
        QVERIFY(html.contains(QStringLiteral("LSA dump &amp; &lt;script&gt;")));
        QVERIFY(html.contains(QStringLiteral("&lt;i&gt;reg save&lt;/i&gt;")));
        QVERIFY(!html.contains(QStringLiteral("<script>")));
        QVERIFY(html.contains(QStringLiteral("alice")));
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("ref");
        QTest::newRow("no kind") << QString() << QStringLiteral("1");
        QTest::newRow("blank kind") << QStringLiteral("  ") << QStringLiteral("1");
        QTest::newRow("no ref") << QStringLiteral("alert") << QString();
        QTest::newRow("10 MB ref")
            << QStringLiteral("command_line") << QString(QLatin1Char('a')).repeated(10 << 20);
    }

    void badInput()
    {
        QFETCH(QString, kind);
        QFETCH(QString, ref);
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        auto r = evidencestore::tag(ts.store(), f.caseId, kind, ref, QStringLiteral("x"), {},
                                    QStringLiteral("a"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("bad-evidence"));
        QVERIFY(evidencestore::items(ts.store(), f.caseId).value().empty());
    }

    void untagMissing()
    {
        test::TempStore ts;
        const auto f = test::buildTimelineFixture(ts.store());
        const size_t before = auditOf(ts.store(), f.caseId).size();
        auto r = evidencestore::untag(ts.store(), 424242, QStringLiteral("a"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("not-found"));
        // nothing audited for a failed untag
        QCOMPARE(auditOf(ts.store(), f.caseId).size(), before);
    }

    void unknownCaseFails()
    {
        test::TempStore ts;
        auto r = evidencestore::tag(ts.store(), 999, QStringLiteral("alert"), QStringLiteral("1"),
                                    QStringLiteral("x"), {}, QStringLiteral("a"));
        QVERIFY(!r.ok()); // foreign key: evidence belongs to an existing case
    }
};

QTEST_GUILESS_MAIN(TestEvidenceStore)
#include "tst_evidencestore.moc"
