#include "ziparchive.h"

#include "core/errorcodes.h"

#include <QFile>
#include <QFileInfo>
#include <QStorageInfo>

#include <zlib.h>

#include <cstring>

namespace causa {

namespace {

constexpr quint32 kLocalHeader = 0x04034b50;
constexpr quint32 kCentralHeader = 0x02014b50;
constexpr quint32 kEndOfDirectory = 0x06054b50;
constexpr quint32 kZip64EndLocator = 0x07064b50;
constexpr int kEndOfDirectorySize = 22;
constexpr int kMaxCommentSize = 0xFFFF;

quint16 u16(const char *p)
{
    return quint16(quint8(p[0]) | quint8(p[1]) << 8);
}

quint32 u32(const char *p)
{
    return quint32(quint8(p[0])) | quint32(quint8(p[1])) << 8 | quint32(quint8(p[2])) << 16 |
           quint32(quint8(p[3])) << 24;
}

Error zipError(const QString &path, const QString &message, qint64 offset = -1)
{
    return makeError(errc::kZip, message,
                     offset < 0 ? path : QStringLiteral("%1: byte %2").arg(path).arg(offset));
}

// Why a member name is refused ("" when fine). Folders inside the archive are fine; a name that
// could point outside the folder it is unpacked into is not, nor one a file system reads
// differently from what the analyst sees (NUL, control characters).
QString nameProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("an empty name");
    for (const QChar c : name)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return QStringLiteral("a control character in its name");
    QString n = name;
    n.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (n.startsWith(QLatin1Char('/')))
        return QStringLiteral("an absolute path");
    if (n.size() >= 2 && n.at(1) == QLatin1Char(':') && n.at(0).isLetter())
        return QStringLiteral("a drive letter");
    for (const QString &part : n.split(QLatin1Char('/')))
        if (part == QLatin1String(".."))
            return QStringLiteral("a \"..\" path part");
    return {};
}

// A reserve left free on the scratch disk so that unpacking never fills it up for the store
// and the rest of the system.
constexpr qint64 kScratchReserve = qint64(64) << 20;

} // namespace

qint64 ZipArchive::scratchCap()
{
    bool ok = false;
    const qint64 mb = qEnvironmentVariable("CAUSA_ZIP_SCRATCH_MAX_MB").toLongLong(&ok);
    return ok && mb > 0 ? std::min(mb << 20, kMaxTotalSize) : kMaxTotalSize;
}

bool ZipArchive::looksLike(const QByteArray &head)
{
    return head.size() >= 4 && u32(head.constData()) == kLocalHeader;
}

namespace {

// Central directory entry i at pos in dir (read from dirOffset); pos moves past it.
Result<ZipArchive::Member> centralEntry(const QByteArray &dir, qint64 &pos, int i,
                                        const QString &path, qint64 dirOffset)
{
    using Member = ZipArchive::Member;
    if (pos + 46 > dir.size() || u32(dir.constData() + pos) != kCentralHeader)
        return zipError(
            path,
            QStringLiteral("damaged ZIP archive: central directory entry %1 is unreadable")
                .arg(i + 1),
            dirOffset + pos);
    const char *h = dir.constData() + pos;
    Member m;
    m.flags = u16(h + 8);
    m.method = u16(h + 10);
    m.crc32 = u32(h + 16);
    m.compressedSize = u32(h + 20);
    m.size = u32(h + 24);
    const quint16 nameLength = u16(h + 28);
    const quint16 extraLength = u16(h + 30);
    const quint16 commentLength = u16(h + 32);
    m.localHeaderOffset = u32(h + 42);
    if (pos + 46 + nameLength + extraLength + commentLength > dir.size())
        return zipError(
            path,
            QStringLiteral("damaged ZIP archive: central directory entry %1 is cut short")
                .arg(i + 1),
            dirOffset + pos);
    // Bit 11: the name is UTF-8; otherwise code page 437, of which ASCII is the common part.
    const QByteArray rawName(h + 46, nameLength);
    m.name = (m.flags & 0x800) ? QString::fromUtf8(rawName) : QString::fromLatin1(rawName);
    if (const QString problem = nameProblem(m.name); !problem.isEmpty())
        return zipError(path,
                        QStringLiteral("unsafe member name \"%1\" (%2); the archive is refused")
                            .arg(QString(m.name).replace(QChar(0), QLatin1Char('?')), problem));
    if (m.compressedSize == 0xFFFFFFFF || m.size == 0xFFFFFFFF || m.localHeaderOffset == 0xFFFFFFFF)
        return zipError(
            path, QStringLiteral("ZIP64 member %1 is not supported; unpack it and import the files")
                      .arg(m.name));
    pos += 46 + nameLength + extraLength + commentLength;
    return m;
}

} // namespace

Result<ZipArchive> ZipArchive::open(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kIo, QStringLiteral("cannot open: %1").arg(f.errorString()), path);
    const qint64 size = f.size();
    if (size < kEndOfDirectorySize)
        return zipError(path, QStringLiteral("truncated ZIP archive: no end-of-directory record"));

    // The end-of-directory record sits in the last 22 bytes plus an optional comment.
    const qint64 tailSize = qMin<qint64>(size, kEndOfDirectorySize + kMaxCommentSize);
    f.seek(size - tailSize);
    const QByteArray tail = f.read(tailSize);
    qint64 eocd = -1;
    for (qint64 i = tail.size() - kEndOfDirectorySize; i >= 0; --i)
        if (u32(tail.constData() + i) == kEndOfDirectory) {
            eocd = i;
            break;
        }
    if (eocd < 0)
        return zipError(
            path, QStringLiteral("truncated or damaged ZIP archive: no end-of-directory record"));
    const char *e = tail.constData() + eocd;
    if (eocd >= 20 && u32(e - 20) == kZip64EndLocator)
        return zipError(
            path,
            QStringLiteral("ZIP64 archives are not supported; unpack it and import the files"));
    if (u16(e + 4) != 0 || u16(e + 6) != 0)
        return zipError(path, QStringLiteral("multi-part ZIP archives are not supported"));
    const quint16 count = u16(e + 10);
    const qint64 dirSize = u32(e + 12);
    const qint64 dirOffset = u32(e + 16);
    const qint64 eocdOffset = size - tailSize + eocd;
    if (dirOffset + dirSize > eocdOffset)
        return zipError(
            path,
            QStringLiteral("damaged ZIP archive: the central directory lies outside the file"),
            eocdOffset);

    f.seek(dirOffset);
    const QByteArray dir = f.read(dirSize);
    if (dir.size() != dirSize)
        return zipError(path, QStringLiteral("truncated ZIP archive: central directory cut short"),
                        dirOffset);

    ZipArchive archive;
    archive.m_path = path;
    archive.m_members.reserve(count);
    qint64 pos = 0;
    for (int i = 0; i < count; ++i) {
        auto m = centralEntry(dir, pos, i, path, dirOffset);
        if (!m)
            return m.error();
        archive.m_members.push_back(std::move(m.value()));
    }
    return archive;
}

namespace {

// Whether a member can be unpacked here at all: supported, and within the caps and free disk.
Result<void> checkExtractable(const ZipArchive::Member &m, const QString &target,
                              const QString &where)
{
    if (m.flags & 0x1)
        return zipError(
            where,
            QStringLiteral("the member is encrypted; Causa does not read encrypted archives"));
    if (m.method != 0 && m.method != 8)
        return zipError(
            where,
            QStringLiteral("compression method %1 is not supported (only stored and deflated)")
                .arg(m.method));
    if (m.size > ZipArchive::kMaxTotalSize)
        return zipError(
            where, QStringLiteral("the member would inflate to %1 bytes, more than Causa accepts")
                       .arg(m.size));
    // Inflating stops at the declared size (extract's sink), so checking it bounds the scratch space.
    const qint64 cap = ZipArchive::scratchCap();
    if (m.size > cap)
        return zipError(
            where,
            QStringLiteral("the member would inflate to %1 bytes, more than the scratch cap of %2 "
                           "bytes (CAUSA_ZIP_SCRATCH_MAX_MB)")
                .arg(m.size)
                .arg(cap));
    const QStorageInfo disk(QFileInfo(target).absolutePath());
    if (disk.isValid() && m.size > disk.bytesAvailable() - kScratchReserve)
        return zipError(
            where,
            QStringLiteral("the member would inflate to %1 bytes; the scratch disk %2 has %3 bytes "
                           "free (keeping %4 in reserve)")
                .arg(m.size)
                .arg(disk.rootPath())
                .arg(disk.bytesAvailable())
                .arg(kScratchReserve));
    return {};
}

// Positions `in` at the member's data, after its local header.
Result<void> seekToData(QFile &in, const ZipArchive::Member &m, const QString &where)
{
    if (!in.seek(m.localHeaderOffset))
        return zipError(where, QStringLiteral("the member's header lies outside the file"),
                        m.localHeaderOffset);
    const QByteArray local = in.read(30);
    if (local.size() != 30 || u32(local.constData()) != kLocalHeader)
        return zipError(where,
                        QStringLiteral("damaged ZIP archive: no local header for the member"),
                        m.localHeaderOffset);
    const qint64 dataOffset =
        m.localHeaderOffset + 30 + u16(local.constData() + 26) + u16(local.constData() + 28);
    if (dataOffset + m.compressedSize > in.size())
        return zipError(where,
                        QStringLiteral("truncated ZIP archive: the member's data is cut short"),
                        dataOffset);
    if (!in.seek(dataOffset))
        return zipError(where, QStringLiteral("the member's data lies outside the file"),
                        dataOffset);
    return {};
}

// Deflate may still hold output once all input is in: drain it into sink until the stream ends.
template<typename Sink>
Result<void> finishInflate(z_stream &z, QByteArray &output, Sink &sink, const QString &where)
{
    for (;;) {
        z.next_out = reinterpret_cast<Bytef *>(output.data());
        z.avail_out = uInt(output.size());
        const int rc = inflate(&z, Z_FINISH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return zipError(where, QStringLiteral("damaged compressed data"));
        if (auto r = sink(output.constData(), output.size() - qint64(z.avail_out)); !r)
            return r;
        if (rc == Z_STREAM_END)
            return {};
        if (output.size() == qint64(z.avail_out))
            return zipError(
                where,
                QStringLiteral("truncated compressed data: the deflate stream does not end"));
    }
}

// Where a member's unpacked bytes go: counted against its declared size, summed into its
// CRC-32 and written to the target.
class MemberSink
{
public:
    MemberSink(QFile &out, const ZipArchive::Member &m, const QString &target, const QString &where)
        : m_out(out), m_member(m), m_target(target), m_where(where)
    {}
    Result<void> operator()(const char *data, qint64 n)
    {
        m_written += n;
        if (m_written > m_member.size)
            return zipError(
                m_where, QStringLiteral("the member inflates to more than the %1 bytes it declares")
                             .arg(m_member.size));
        m_crc = crc32(m_crc, reinterpret_cast<const Bytef *>(data), uInt(n));
        if (m_out.write(data, n) != n)
            return makeError(errc::kIo, QStringLiteral("cannot write: %1").arg(m_out.errorString()),
                             m_target);
        return {};
    }
    // Once everything is in: the declared size and CRC-32 hold, and the target is written.
    Result<void> finish()
    {
        if (m_written != m_member.size)
            return zipError(
                m_where, QStringLiteral("the member inflated to %1 bytes, not the %2 it declares")
                             .arg(m_written)
                             .arg(m_member.size));
        if (quint32(m_crc) != m_member.crc32)
            return zipError(m_where, QStringLiteral("CRC-32 mismatch: the member is damaged"));
        if (!m_out.flush())
            return makeError(errc::kIo, QStringLiteral("cannot write: %1").arg(m_out.errorString()),
                             m_target);
        return {};
    }

private:
    QFile &m_out;
    const ZipArchive::Member &m_member;
    const QString &m_target;
    const QString &m_where;
    qint64 m_written = 0;
    uLong m_crc = crc32(0, nullptr, 0);
};

// Inflates one chunk of n input bytes into sink, until the chunk is used up or the deflate
// stream ends (streamEnded). Errors give the archive offset reached in `in`.
Result<void> inflateChunk(z_stream &z, QByteArray &input, qint64 n, QByteArray &output,
                          MemberSink &sink, bool &streamEnded, const QFile &in,
                          const QString &where)
{
    z.next_in = reinterpret_cast<Bytef *>(input.data());
    z.avail_in = uInt(n);
    while (z.avail_in > 0 && !streamEnded) {
        z.next_out = reinterpret_cast<Bytef *>(output.data());
        z.avail_out = uInt(output.size());
        const int rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return zipError(where,
                            QStringLiteral("damaged compressed data (%1)")
                                .arg(QString::fromLatin1(z.msg ? z.msg : "zlib error")),
                            in.pos());
        if (auto r = sink(output.constData(), output.size() - qint64(z.avail_out)); !r)
            return r;
        if (rc == Z_STREAM_END)
            streamEnded = true;
        else if (rc == Z_BUF_ERROR && z.avail_out != 0)
            break;
    }
    return {};
}

} // namespace

Result<void> ZipArchive::extract(const Member &m, const QString &target,
                                 const std::atomic_bool *cancel) const
{
    const QString where = QStringLiteral("%1!%2").arg(m_path, m.name);
    if (auto r = checkExtractable(m, target, where); !r)
        return r;
    QFile in(m_path);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(errc::kIo, QStringLiteral("cannot open: %1").arg(in.errorString()),
                         m_path);
    if (auto r = seekToData(in, m, where); !r)
        return r;

    QFile out(target);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(errc::kIo, QStringLiteral("cannot write: %1").arg(out.errorString()),
                         target);

    z_stream z;
    std::memset(&z, 0, sizeof z);
    if (m.method == 8 && inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return zipError(where, QStringLiteral("zlib could not start inflating"));
    struct EndInflate
    {
        z_stream *z;
        bool active;
        ~EndInflate()
        {
            if (active)
                inflateEnd(z);
        }
    } guard{&z, m.method == 8};

    constexpr qint64 kChunk = 256 * 1024;
    QByteArray input(kChunk, Qt::Uninitialized);
    QByteArray output(kChunk, Qt::Uninitialized);
    qint64 remaining = m.compressedSize;
    MemberSink sink(out, m, target, where);
    bool streamEnded = m.method == 0;
    while (remaining > 0) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return makeError(errc::kCancelled, QStringLiteral("cancelled while unpacking"), where);
        const qint64 n = in.read(input.data(), qMin(kChunk, remaining));
        if (n <= 0)
            return zipError(where, QStringLiteral("truncated ZIP archive: read failed"), in.pos());
        remaining -= n;
        if (m.method == 0) {
            if (auto r = sink(input.constData(), n); !r)
                return r;
            continue;
        }
        if (auto r = inflateChunk(z, input, n, output, sink, streamEnded, in, where); !r)
            return r;
    }
    if (m.method == 8 && !streamEnded)
        if (auto r = finishInflate(z, output, sink, where); !r)
            return r;
    return sink.finish();
}

} // namespace causa
