#include "chunkeddecoder.h"

namespace causa {

namespace {

// A size line is hex digits and optional extensions; servers keep it short.
constexpr qsizetype kMaxSizeLine = 1024;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

bool ChunkedDecoder::fail(const QString &why)
{
    m_state = State::Failed;
    m_error = why;
    return false;
}

// Parses the chunk-size line in m_line (without CR LF).
bool ChunkedDecoder::sizeLineDone()
{
    qsizetype i = 0;
    while (i < m_line.size() && (m_line[i] == ' ' || m_line[i] == '\t'))
        ++i;
    qint64 size = 0;
    int digits = 0;
    for (; i < m_line.size(); ++i) {
        const int v = hexValue(m_line[i]);
        if (v < 0)
            break;
        // The limit is checked before each shift: no value past it is ever computed.
        if (size > (m_maxBody - m_body.size()) / 16 + 1)
            return fail(QStringLiteral("chunk size exceeds the %1-byte body limit").arg(m_maxBody));
        size = size * 16 + v;
        ++digits;
    }
    while (i < m_line.size() && (m_line[i] == ' ' || m_line[i] == '\t'))
        ++i;
    if (digits == 0 || (i < m_line.size() && m_line[i] != ';'))
        return fail(QStringLiteral("malformed chunk size line"));
    if (size > m_maxBody - m_body.size())
        return fail(QStringLiteral("chunk size exceeds the %1-byte body limit").arg(m_maxBody));
    m_line.clear();
    if (size == 0) {
        m_state = State::Done;
        return false;
    }
    m_left = size;
    m_body.reserve(m_body.size() + qsizetype(std::min<qint64>(size, 1 << 20)));
    m_step = Step::Data;
    return true;
}

ChunkedDecoder::State ChunkedDecoder::feed(QByteArrayView bytes)
{
    qsizetype pos = 0;
    while (m_state == State::NeedMore && pos < bytes.size()) {
        if (m_step == Step::Data) {
            const qsizetype n = std::min<qsizetype>(m_left, bytes.size() - pos);
            m_body.append(bytes.sliced(pos, n));
            pos += n;
            m_left -= n;
            if (m_left == 0) {
                m_step = Step::DataEnd;
                m_endSeen = 0;
            }
            continue;
        }
        const char c = bytes[pos++];
        if (m_step == Step::DataEnd) {
            if (c != (m_endSeen == 0 ? '\r' : '\n'))
                fail(QStringLiteral("chunk data not followed by CR LF"));
            else if (++m_endSeen == 2)
                m_step = Step::SizeLine;
        } else if (c == '\n') {
            if (!m_line.endsWith('\r')) {
                fail(QStringLiteral("chunk size line not ended by CR LF"));
            } else {
                m_line.chop(1);
                sizeLineDone();
            }
        } else if (m_line.size() >= kMaxSizeLine) {
            fail(QStringLiteral("chunk size line longer than %1 bytes").arg(kMaxSizeLine));
        } else {
            m_line.append(c);
        }
    }
    return m_state;
}

} // namespace causa
