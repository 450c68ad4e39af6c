#include "chunkedreader.h"

#include "core/errorcodes.h"

namespace causa {

ChunkedReader::ChunkedReader(const QString &path, qint64 chunkSize)
    : m_file(path), m_chunkSize(chunkSize)
{}

Result<void> ChunkedReader::open()
{
    if (!m_file.open(QIODevice::ReadOnly))
        return makeError(errc::kIo, m_file.errorString(), m_file.fileName());
    m_size = m_file.size();
    m_buffer.resize(size_t(m_chunkSize));
    return {};
}

bool ChunkedReader::refill()
{
    m_offset += qint64(m_len);
    m_pos = 0;
    m_len = 0;
    if (!m_file.isOpen())
        return false;
    const qint64 n = m_file.read(m_buffer.data(), m_chunkSize);
    if (n <= 0)
        return false;
    m_len = size_t(n);
    return true;
}

bool ChunkedReader::readLine(QByteArray &line, qint64 maxLine, bool *truncated)
{
    line.clear();
    *truncated = false;
    if (atEnd())
        return false;
    while (!atEnd()) {
        const char *start = m_buffer.data() + m_pos;
        const size_t avail = m_len - m_pos;
        const void *nl = memchr(start, '\n', avail);
        const size_t take = nl ? size_t(static_cast<const char *>(nl) - start) : avail;
        const qint64 room = maxLine - line.size();
        if (room > 0)
            line.append(start, qsizetype(std::min<qint64>(room, qint64(take))));
        if (qint64(take) > room)
            *truncated = true;
        m_pos += take;
        if (nl) {
            ++m_pos;
            break;
        }
    }
    if (line.endsWith('\r'))
        line.chop(1);
    return true;
}

} // namespace causa
