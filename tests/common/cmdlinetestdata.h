#pragma once

#include <QByteArray>
#include <QString>

namespace causa::test {

// What PowerShell's -EncodedCommand expects: base64 of the UTF-16LE bytes.
inline QString utf16Base64(const QString &s)
{
    const QByteArray bytes(reinterpret_cast<const char *>(s.utf16()), s.size() * 2);
    return QString::fromLatin1(bytes.toBase64());
}

} // namespace causa::test
