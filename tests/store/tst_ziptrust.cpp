// ZIP import trust (issue 18): member names that could point outside the scratch folder refuse
// the archive, and a member larger than the scratch cap (CAUSA_ZIP_SCRATCH_MAX_MB) or the free
// disk is refused before a byte is unpacked. Nothing reaches the store in either case.
#include "import/importdispatcher.h"
#include "import/ziparchive.h"
#include "testutils.h"

#include <QFile>
#include <QTemporaryDir>

#include <zlib.h>

using namespace causa;

namespace {

void put16(QByteArray &b, quint16 v)
{
    b.append(char(v & 0xff)).append(char(v >> 8));
}

void put32(QByteArray &b, quint32 v)
{
    put16(b, quint16(v & 0xffff));
    put16(b, quint16(v >> 16));
}

// A stored-only ZIP writer: enough for names and sizes.
QByteArray storedZip(const QList<QPair<QByteArray, QByteArray>> &members)
{
    QByteArray out;
    QByteArray central;
    for (const auto &[name, data] : members) {
        const quint32 crc =
            quint32(crc32(0, reinterpret_cast<const Bytef *>(data.constData()), uInt(data.size())));
        const quint32 offset = quint32(out.size());
        put32(out, 0x04034b50);
        put16(out, 20), put16(out, 0x800), put16(out, 0), put16(out, 0), put16(out, 0);
        put32(out, crc), put32(out, quint32(data.size())), put32(out, quint32(data.size()));
        put16(out, quint16(name.size())), put16(out, 0);
        out += name + data;
        put32(central, 0x02014b50);
        put16(central, 20), put16(central, 20), put16(central, 0x800), put16(central, 0);
        put16(central, 0), put16(central, 0);
        put32(central, crc), put32(central, quint32(data.size())),
            put32(central, quint32(data.size()));
        put16(central, quint16(name.size())), put16(central, 0), put16(central, 0),
            put16(central, 0);
        put16(central, 0), put32(central, 0), put32(central, offset);
        central += name;
    }
    const quint32 dirOffset = quint32(out.size());
    out += central;
    put32(out, 0x06054b50);
    put16(out, 0), put16(out, 0), put16(out, quint16(members.size())),
        put16(out, quint16(members.size()));
    put32(out, quint32(central.size())), put32(out, dirOffset), put16(out, 0);
    return out;
}

QByteArray sample()
{
    QFile f(test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString writeZip(const QTemporaryDir &dir, const QByteArray &zip)
{
    const QString path = dir.filePath(QStringLiteral("upload.zip"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(zip) != zip.size())
        qFatal("cannot write the test archive");
    return path;
}

} // namespace

class TestZipTrust : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memberNames_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("problem"); // empty: imports
        QTest::newRow("parent folder") << QByteArray("../incident.json") << "\"..\" path part";
        QTest::newRow("parent folder deeper")
            << QByteArray("data/../../incident.json") << "\"..\" path part";
        QTest::newRow("backslash parent")
            << QByteArray("..\\..\\incident.json") << "\"..\" path part";
        QTest::newRow("absolute") << QByteArray("/tmp/incident.json") << "absolute path";
        QTest::newRow("absolute backslash")
            << QByteArray("\\Windows\\incident.json") << "absolute path";
        QTest::newRow("drive letter") << QByteArray("C:incident.json") << "drive letter";
        QTest::newRow("NUL in name")
            << QByteArray("incident.json\0.txt", 18) << "control character";
        QTest::newRow("newline in name") << QByteArray("incident\n.json") << "control character";
        QTest::newRow("plain name") << QByteArray("incident.json") << "";
        QTest::newRow("folder inside the archive")
            << QByteArray("exports/2026/incident.json") << "";
        QTest::newRow("dots in a file name") << QByteArray("incident..v2.json") << "";
    }
    void memberNames()
    {
        QFETCH(QByteArray, name);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        test::TempStore ts;
        const QString path = writeZip(dir, storedZip({{name, sample()}}));
        auto r = ImportDispatcher(ts.store()).importFile(path);
        if (problem.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
            QCOMPARE(ts.store().stats()->alerts, qint64(2));
            return;
        }
        QVERIFY2(!r.ok(), "an archive with an unsafe member name was imported");
        QVERIFY2(r.error().message.contains(problem), qPrintable(r.error().message));
        QCOMPARE(ts.store().stats()->alerts, qint64(0));
    }

    void scratchIsCapped_data()
    {
        QTest::addColumn<QByteArray>("capMb");
        QTest::addColumn<int>("memberBytes");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("1 MiB cap, 2 MiB member") << QByteArray("1") << (2 << 20) << false;
        QTest::newRow("1 MiB cap, 1 MiB + 1 member") << QByteArray("1") << ((1 << 20) + 1) << false;
        QTest::newRow("1 MiB cap, small member") << QByteArray("1") << 0 << true;
        QTest::newRow("unset cap") << QByteArray() << (2 << 20) << true;
    }
    void scratchIsCapped()
    {
        QFETCH(QByteArray, capMb);
        QFETCH(int, memberBytes);
        QFETCH(bool, accepted);
        // The sample padded with trailing whitespace to the size asked for (still valid JSON).
        QByteArray data = sample();
        if (memberBytes > data.size())
            data += QByteArray(memberBytes - data.size(), ' ');
        QTemporaryDir dir;
        test::TempStore ts;
        const QString path = writeZip(dir, storedZip({{"incident.json", data}}));
        if (capMb.isEmpty())
            qunsetenv("CAUSA_ZIP_SCRATCH_MAX_MB");
        else
            qputenv("CAUSA_ZIP_SCRATCH_MAX_MB", capMb);
        auto r = ImportDispatcher(ts.store()).importFile(path);
        qunsetenv("CAUSA_ZIP_SCRATCH_MAX_MB");
        if (accepted) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
            return;
        }
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("scratch cap")),
                 qPrintable(r.error().message));
        QCOMPARE(ts.store().stats()->alerts, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestZipTrust)
#include "tst_ziptrust.moc"
