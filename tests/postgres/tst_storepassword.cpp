// A team store whose server wants a password (File → Recent stores keeps URLs without one): the
// workbench asks for it in a password field, asks again when it is wrong, gives up when the
// analyst cancels, and never writes it to the recent stores or the settings. The test starts its
// own throwaway server with scram logins (tests/postgres/pg-server.sh, CAUSA_PG_PASSWORD).
#include "mainwindow.h"
#include "savedviews.h"
#include "services/workbenchservice.h"
#include "store/casestore.h"
#include "testutils.h"
#include "workbench.h"

#include <QApplication>
#include <QDir>
#include <QInputDialog>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QtTest>

using namespace causa;

namespace {

const QString kPassword = QStringLiteral("c0rrect-h0rse");

} // namespace

class TestStorePassword : public QObject
{
    Q_OBJECT

    QString m_dir;
    QString m_url; // postgresql://causa@127.0.0.1:PORT/postgres — no password in it

    bool server(const QString &command)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CAUSA_PG_PASSWORD"), kPassword);
        p.setProcessEnvironment(env);
        p.start(
            QStringLiteral("bash"),
            {test::sourceDir() + QStringLiteral("/tests/postgres/pg-server.sh"), command, m_dir});
        if (!p.waitForFinished(120000) || p.exitCode() != 0) {
            qWarning("pg-server.sh %s: %s %s", qPrintable(command),
                     p.readAllStandardOutput().constData(), p.readAllStandardError().constData());
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QDir(QStringLiteral("/usr/lib/postgresql"))
                .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                .isEmpty())
            QSKIP("PostgreSQL server binaries are not installed (apt-get install postgresql)");
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("causa-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_storepassword"));
        QSettings().clear();
        qunsetenv("PGPASSWORD");
        qunsetenv("PGPASSFILE");
        m_dir = QDir::tempPath() +
                QStringLiteral("/causa-password-%1").arg(QCoreApplication::applicationPid());
        QVERIFY(server(QStringLiteral("start")));
        QFile f(m_dir + QStringLiteral("/url"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_url = QString::fromUtf8(f.readAll()).trimmed();
        QVERIFY(!m_url.contains(kPassword));
    }

    void cleanupTestCase()
    {
        if (!m_dir.isEmpty())
            server(QStringLiteral("stop"));
    }

    void refusedLoginIsToldApart()
    {
        auto without = CaseStore::open(StoreLocation::parse(m_url).value());
        QVERIFY(!without.ok());
        QCOMPARE(without.error().code, QStringLiteral("store-auth"));
        StoreLocation wrong = StoreLocation::parse(m_url).value();
        wrong.password = QStringLiteral("nope");
        auto bad = CaseStore::open(wrong);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, QStringLiteral("store-auth"));
        QVERIFY(!bad.error().toString().contains(QStringLiteral("nope")));
        // Nothing listening is not an authentication matter: no prompt for that.
        auto closed = CaseStore::open(
            StoreLocation::parse(QStringLiteral("postgresql://causa@127.0.0.1:1/postgres"))
                .value());
        QVERIFY(!closed.ok());
        QCOMPARE(closed.error().code, QStringLiteral("store-open"));
    }

    void asksUntilRightThenForgets()
    {
        QStringList problems;
        int asked = 0;
        auto prompt = [&](const StoreLocation &loc,
                          const QString &problem) -> std::optional<QString> {
            ++asked;
            problems << problem;
            [&] { QCOMPARE(loc.display(), m_url); }();
            return asked == 1 ? QStringLiteral("wrong-one") : kPassword;
        };
        auto wb = Workbench::open(m_url, prompt);
        QVERIFY2(wb.ok(), wb.ok() ? "" : qPrintable(wb.error().toString()));
        QCOMPARE(asked, 2);
        QVERIFY2(problems.first().contains(QStringLiteral("password"), Qt::CaseInsensitive),
                 qPrintable(problems.first()));
        QVERIFY(wb.value()->service()->store()->cases().ok());
        // The recent stores and every settings file know the URL, never the password.
        QCOMPARE(recentstores::load().value(0), m_url);
        QSettings().sync();
        QFile settingsFile(QSettings().fileName());
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        const QByteArray settingsText = settingsFile.readAll();
        QVERIFY(settingsText.contains("127.0.0.1"));
        QVERIFY(!settingsText.contains(kPassword.toUtf8()));
        QVERIFY(!wb.value()->window()->windowTitle().contains(kPassword));
    }

    void cancelledPromptGivesTheServersAnswer()
    {
        int asked = 0;
        auto wb = Workbench::open(
            m_url, [&](const StoreLocation &, const QString &) -> std::optional<QString> {
                ++asked;
                return std::nullopt;
            });
        QVERIFY(!wb.ok());
        QCOMPARE(asked, 1);
        QCOMPARE(wb.error().code, QStringLiteral("store-auth"));
        // Without a prompt (causa-cli style callers) the error comes straight back.
        QCOMPARE(Workbench::open(m_url).error().code, QStringLiteral("store-auth"));
    }

    void passwordDialogHidesWhatIsTyped()
    {
        bool seen = false;
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            seen = true;
            QCOMPARE(dialog->textEchoMode(), QLineEdit::Password);
            QVERIFY(dialog->labelText().contains(QStringLiteral("refused")));
            auto *edit = dialog->findChild<QLineEdit *>();
            QVERIFY(edit);
            QTest::keyClicks(edit, kPassword);
            dialog->accept();
        });
        auto wb = Workbench::open(m_url, Workbench::passwordDialog(nullptr));
        QVERIFY(seen);
        QVERIFY2(wb.ok(), wb.ok() ? "" : qPrintable(wb.error().toString()));
    }
};

QTEST_MAIN(TestStorePassword)
#include "tst_storepassword.moc"
