#pragma once

#include <QString>
#include <QStringView>

#include "textscan.h"

// The individual de-obfuscation transforms. Each one looks at a whole layer and, when it
// applies, produces the next layer with the span it changed in its input. They are
// single-pass scanners (no regular expressions) so their cost is linear in the input.
namespace causa::detail {

struct TransformOutput
{
    QString transform;
    qsizetype start = -1;
    qsizetype end = -1;
    QString text;
    QString note;
    int edits = 0;

    // Widens the changed span to cover [s, e).
    void touch(qsizetype s, qsizetype e)
    {
        start = start < 0 ? s : qMin(start, s);
        end = qMax(end, e);
    }
};

// scan is scanLayer(text), computed once per layer by the decoder: a transform returns at once
// when its trigger characters are absent and steps over the opaque runs where it can.
using TransformFn = bool (*)(QStringView text, const LayerScan &scan, TransformOutput *out);

// Transforms that can amplify (variable expansion, -f, -replace) give up beyond this many
// characters, before allocating more: "%a%" x 1000 with a 1 MB value must not need 2 GB.
constexpr qsizetype kMaxTransformOutput = 8 * 1024 * 1024;

// cmd.exe
bool caretTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool setVariableTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool envSubstringTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
// PowerShell
bool backtickTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool charCodesTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool concatTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool formatOperatorTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool replaceTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool reverseTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
// Invoke-Obfuscation launchers (transforms_invoke.cpp)
bool whitespaceEncodingTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool specialCharTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
// Encodings
bool encodedCommandTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool base64Transform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool hexEscapeTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool urlDecodeTransform(QStringView text, const LayerScan &scan, TransformOutput *out);
bool ipNormaliseTransform(QStringView text, const LayerScan &scan, TransformOutput *out);

// Lenient base64 (whitespace skipped, missing padding and URL-safe alphabet accepted; note
// says what PowerShell's strict decoder would have refused). False on invalid characters.
bool decodeBase64(QStringView s, QByteArray *out, QString *note);
// Text recovered from decoded bytes: UTF-16LE when it looks like UTF-16LE, else UTF-8.
// Returns false when the bytes are not text (shellcode, random data).
bool bytesToText(const QByteArray &bytes, QString *text, bool *utf16);
// gzip (raw=false) or raw deflate (raw=true), output capped at maxOut bytes.
bool inflateBytes(const QByteArray &in, bool raw, QByteArray *out, qsizetype maxOut);

// inet_aton rules: 1-4 parts, each decimal, 0x hex or 0-prefixed octal; the last part fills
// the remaining bytes ("127.1" = 127.0.0.1, "0xB9DC652A" = 185.220.101.42).
bool parseIpv4Lenient(QStringView s, quint32 *ip);
QString ipv4ToString(quint32 ip);
bool isInternalIpv4(quint32 ip);

} // namespace causa::detail
