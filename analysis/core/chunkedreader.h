#pragma once

#include "core/chariterator.h"
#include "core/result.h"

#include <QFile>

#include <cstddef>
#include <memory>
#include <vector>

namespace causa {

// Reads a file in fixed chunks and exposes it as an input iterator of chars, so parsers stream
// it with memory independent of the file's size, and know the byte offset they are at.
class ChunkedReader
{
public:
    explicit ChunkedReader(const QString &path, qint64 chunkSize = 1 << 20);
    Result<void> open();
    qint64 size() const { return m_size; }
    qint64 offset() const { return m_offset + qint64(m_pos); }
    bool atEnd()
    {
        if (m_pos < m_len)
            return false;
        return !refill();
    }
    const char &current() const { return m_buffer[m_pos]; }
    void advance() { ++m_pos; }
    // Reads one line (without "\n" / "\r\n"); returns false at the end. Lines longer than
    // maxLine are truncated in `line` and reported through `truncated`.
    bool readLine(QByteArray &line, qint64 maxLine, bool *truncated);

    using Iterator = CharIterator<ChunkedReader>;
    Iterator begin() { return Iterator(this); }
    Iterator end() { return Iterator(); }

private:
    bool refill();

    QFile m_file;
    qint64 m_chunkSize;
    qint64 m_size = 0;
    qint64 m_offset = 0; // file offset of m_buffer[0]
    std::vector<char> m_buffer;
    size_t m_pos = 0;
    size_t m_len = 0;
};

} // namespace causa
