#pragma once

#include "core/result.h"

#include <QString>

#include <atomic>
#include <vector>

namespace causa {

// Reads a ZIP archive (stored or deflated members) so that datasets shipped zipped — the
// Security-Datasets exports are — import like the files inside them. Members are inflated one by
// one into a file, streaming: memory stays bounded whatever the archive holds. Encrypted, ZIP64
// and multi-disk archives are refused with a clear error rather than read wrongly.
class ZipArchive final
{
public:
    struct Member
    {
        QString name;       // as written in the archive (may contain folders)
        quint16 method = 0; // 0 stored, 8 deflated
        quint16 flags = 0;
        quint32 crc32 = 0;
        qint64 compressedSize = 0;
        qint64 size = 0; // uncompressed
        qint64 localHeaderOffset = 0;
        bool isDirectory() const { return name.endsWith(QLatin1Char('/')); }
    };

    // Refuses to inflate more than this in total (a zip bomb must not fill the disk).
    static constexpr qint64 kMaxTotalSize = qint64(8) * 1024 * 1024 * 1024;

    // The most one member may inflate to in the scratch folder: CAUSA_ZIP_SCRATCH_MAX_MB, at most
    // kMaxTotalSize. extract() also refuses a member larger than the scratch disk's free space.
    static qint64 scratchCap();

    static bool looksLike(const QByteArray &head);

    // Reads the central directory. An archive with an unsafe member name (absolute, "..", drive
    // letter, control characters) is refused whole.
    static Result<ZipArchive> open(const QString &path);

    const std::vector<Member> &members() const { return m_members; }
    const QString &path() const { return m_path; }

    // Inflates one member into `target` (created or truncated), checking its size and CRC-32.
    Result<void> extract(const Member &member, const QString &target,
                         const std::atomic_bool *cancel = nullptr) const;

private:
    QString m_path;
    std::vector<Member> m_members;
};

} // namespace causa
