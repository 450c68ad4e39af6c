// Key files (issue 18): the export signing key and the secrets file are created 0600 from the
// first byte whatever the umask, in a 0700 folder, replaced atomically, and a key is never
// overwritten by a second process creating it.
#include "connectors/exportconnector.h"
#include "secrets/filesecrets.h"
#include "secrets/privatefile.h"
#include "testutils.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>

#include <sys/stat.h>

using namespace causa;

namespace {

int modeOf(const QString &path)
{
    struct stat st
    {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

// Runs with a permissive umask: the files must not depend on it.
class Umask
{
public:
    explicit Umask(mode_t m) : m_old(::umask(m)) {}
    ~Umask() { ::umask(m_old); }

private:
    mode_t m_old;
};

} // namespace

class TestPrivateFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesOwnerOnlyFiles_data()
    {
        QTest::addColumn<QString>("relative");
        QTest::newRow("file in a new folder") << "new/secret.key";
        QTest::newRow("file in nested new folders") << "a/b/c/secret.key";
    }
    void writesOwnerOnlyFiles()
    {
        QFETCH(QString, relative);
        Umask open(0);
        QTemporaryDir dir;
        const QString path = dir.filePath(relative);
        QVERIFY(secrets::writePrivateFile(path, "first").ok());
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(modeOf(QFileInfo(path).absolutePath()), 0700);
        QVERIFY(secrets::writePrivateFile(path, "second").ok());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("second"));
        QCOMPARE(modeOf(path), 0600);
        // No temporary is left beside it.
        QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files).size(), 1);
    }

    void createDoesNotReplace()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("k/export-signing.key"));
        QCOMPARE(secrets::createPrivateFile(path, "winner").value(), true);
        QCOMPARE(secrets::createPrivateFile(path, "loser").value(), false);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("winner"));
        QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files).size(), 1);
    }

    void exportKeyIsPrivate()
    {
        Umask open(0);
        QTemporaryDir home;
        qputenv("XDG_CONFIG_HOME", home.path().toUtf8());
        qunsetenv("CAUSA_EXPORT_KEY");
        auto key = ExportConnector::localKey();
        QVERIFY(key.ok());
        QCOMPARE(key->size(), 64);
        QString keyFile;
        QDirIterator it(home.path(), {QStringLiteral("export-signing.key")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            keyFile = it.next();
        QVERIFY(!keyFile.isEmpty());
        QCOMPARE(modeOf(keyFile), 0600);
        QCOMPARE(modeOf(QFileInfo(keyFile).absolutePath()), 0700);
        // The same key is read back, not a new one.
        QCOMPARE(ExportConnector::localKey().value(), key.value());
        qunsetenv("XDG_CONFIG_HOME");
    }

    void secretsFileIsPrivate()
    {
        Umask open(0);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("causa/secrets.json"));
        qputenv("CAUSA_SECRETS_FILE", path.toUtf8());
        QVERIFY(
            secrets::detail::fileWrite(QStringLiteral("xdr-key"), QStringLiteral("s3cret")).ok());
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(modeOf(QFileInfo(path).absolutePath()), 0700);
        QCOMPARE(secrets::detail::fileRead(QStringLiteral("xdr-key")).value(),
                 QStringLiteral("s3cret"));
        qunsetenv("CAUSA_SECRETS_FILE");
    }
};

QTEST_GUILESS_MAIN(TestPrivateFiles)
#include "tst_privatefiles.moc"
