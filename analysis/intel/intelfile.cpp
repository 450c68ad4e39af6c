#include "intelfile.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"

#include <QFile>

namespace causa::intel {

Result<nlohmann::json> readJsonDocument(const QString &path)
{
    constexpr qint64 kMaxDocument = qint64(512) << 20;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kIo, QStringLiteral("cannot open: %1").arg(f.errorString()), path);
    if (f.size() > kMaxDocument)
        return makeError(
            errc::kTooLarge,
            QStringLiteral("%1 bytes is more than the %2 MiB an intel document may hold")
                .arg(f.size())
                .arg(kMaxDocument >> 20),
            path);
    const QByteArray bytes = f.readAll();
    if (const qsizetype nul = bytes.indexOf('\0'); nul >= 0)
        return makeError(errc::kBadJson, QStringLiteral("NUL byte in a JSON document"),
                         QStringLiteral("%1: byte %2").arg(path).arg(nul));
    return js::parseDocument(bytes, path);
}

} // namespace causa::intel
