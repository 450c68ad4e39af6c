// libFuzzer target for the ZIP reader alone (central directory, local headers, inflate, size
// and CRC checks), faster than fuzz_zip which imports through the dispatcher (issue 18).
#include "import/ziparchive.h"
#include <QFile>
#include <QTemporaryDir>
#include <cstdint>
#include <cstdlib>
namespace {
QTemporaryDir *dir = nullptr;
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir)
        dir = new QTemporaryDir;
    const QString path = dir->filePath(QStringLiteral("in.zip"));
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            abort();
        f.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    auto a = causa::ZipArchive::open(path);
    if (!a)
        return 0;
    int n = 0;
    for (const auto &m : a.value().members()) {
        if (m.isDirectory() || ++n > 8)
            continue;
        (void)a.value().extract(m, dir->filePath(QStringLiteral("out")));
    }
    return 0;
}
