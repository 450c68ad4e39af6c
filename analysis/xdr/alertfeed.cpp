#include "alertfeed.h"

#include "core/errorcodes.h"
#include "core/platform.h"

#include <bit>

namespace causa::xdr {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

} // namespace

AlertFeed::AlertFeed(Source source, QString origin, int maxDepth)
    : m_source(std::move(source)), m_origin(std::move(origin)), m_maxDepth(maxDepth)
{}

bool AlertFeed::refill()
{
    if (m_stopped)
        return false;
    m_base += qint64(m_len);
    const std::span<const char> next = m_source();
    m_data = next.data();
    m_len = next.size();
    m_pos = 0;
    return m_len > 0;
}

int AlertFeed::peek()
{
    for (;;) {
        while (m_pos < m_len) {
            if (!isBlank(m_data[m_pos]))
                return static_cast<unsigned char>(m_data[m_pos]);
            ++m_pos;
        }
        if (!refill())
            return -1;
    }
}

bool AlertFeed::fail(const QString &code, const QString &message, qint64 at)
{
    if (m_error.code.isEmpty())
        m_error = makeError(code, message, QStringLiteral("%1: byte %2").arg(m_origin).arg(at));
    return false;
}

// Cuts out the elements of the array whose '[' the parser just read, up to (not including)
// its ']', which the parser then reads as the end of an empty array.
bool AlertFeed::cutElements()
{
    int c = peek();
    if (c == ']')
        return true;
    for (;;) {
        if (!cutValue())
            return false;
        if (m_onElement && !m_onElement(m_element, m_elementOffset)) {
            m_receiverStopped = true;
            return false;
        }
        c = peek();
        if (c == ']')
            return true;
        if (c != ',')
            return c < 0 ? fail(errc::kBadJson,
                                QStringLiteral(
                                    "syntax error: unexpected end of input inside an alerts array"),
                                offset())
                         : fail(errc::kBadJson,
                                QStringLiteral("syntax error: expected ',' or ']' after an alert"),
                                offset());
        ++m_pos;
        c = peek();
    }
}

bool AlertFeed::cutValue()
{
    const int c = peek();
    m_element.clear();
    m_elementOffset = offset();
    if (c < 0)
        return fail(errc::kBadJson,
                    QStringLiteral("syntax error: unexpected end of input inside an alerts array"),
                    offset());
    if (c == '{' || c == '[')
        return cutContainer();
    if (c == '"')
        return cutString();
    if (c == ',' || c == ']' || c == '}' || c == ':')
        return fail(errc::kBadJson,
                    QStringLiteral("syntax error: expected an alert, found '%1'").arg(QChar(c)),
                    offset());
    cutScalar();
    return true;
}

bool AlertFeed::append(const char *from, const char *to)
{
    if (qint64(m_element.size()) + (to - from) > kMaxElementBytes)
        return fail(errc::kTooLarge,
                    QStringLiteral("an alert larger than %1 MiB").arg(kMaxElementBytes >> 20),
                    m_elementOffset);
    m_element.append(from, size_t(to - from));
    return true;
}

// An object or array, balanced by brackets outside strings.
bool AlertFeed::cutContainer()
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (;;) {
        const char *const start = m_data + m_pos;
        const char *const stop = m_data + m_len;
        for (const char *p = start; p < stop; ++p) {
            // Sixteen bytes a step while none of them can change the state: inside a string only
            // a quote or a backslash can (and the byte after a backslash is taken alone).
            while (stop - p >= 16) {
                const unsigned hits = !inString ? platform::equalBytes16(p, '"', '{', '[', '}', ']')
                                      : escaped ? 1u
                                                : platform::equalBytes16(p, '"', '\\');
                if (hits) {
                    p += std::countr_zero(hits);
                    break;
                }
                p += 16;
            }
            if (p == stop)
                break;
            const char ch = *p;
            if (inString) {
                if (escaped)
                    escaped = false;
                else if (ch == '\\')
                    escaped = true;
                else if (ch == '"')
                    inString = false;
                continue;
            }
            if (ch == '"') {
                inString = true;
            } else if (ch == '{' || ch == '[') {
                if (++depth + m_splitDepth > m_maxDepth)
                    return fail(
                        errc::kTooDeep,
                        QStringLiteral("JSON nesting deeper than %1 levels").arg(m_maxDepth),
                        m_base + qint64(p - m_data));
            } else if ((ch == '}' || ch == ']') && --depth == 0) {
                m_pos = size_t(p + 1 - m_data);
                return append(start, p + 1);
            }
        }
        if (!append(start, stop))
            return false;
        m_pos = m_len;
        if (!refill())
            return fail(errc::kBadJson,
                        QStringLiteral("syntax error: unexpected end of input inside an alert"),
                        offset());
    }
}

bool AlertFeed::cutString()
{
    bool escaped = false;
    bool opening = true;
    for (;;) {
        const char *const start = m_data + m_pos;
        const char *const stop = m_data + m_len;
        for (const char *p = start; p < stop; ++p) {
            if (opening) {
                opening = false;
                continue;
            }
            if (escaped)
                escaped = false;
            else if (*p == '\\')
                escaped = true;
            else if (*p == '"') {
                m_pos = size_t(p + 1 - m_data);
                return append(start, p + 1);
            }
        }
        if (!append(start, stop))
            return false;
        m_pos = m_len;
        if (!refill())
            return fail(errc::kBadJson,
                        QStringLiteral("syntax error: unexpected end of input inside an alert"),
                        offset());
    }
}

// A number, literal or stray word: up to the next separator; its parser judges it.
void AlertFeed::cutScalar()
{
    for (;;) {
        const char *const start = m_data + m_pos;
        const char *const stop = m_data + m_len;
        for (const char *p = start; p < stop; ++p) {
            const char ch = *p;
            if (ch == ',' || ch == ']' || ch == '}' || isBlank(ch)) {
                m_pos = size_t(p - m_data);
                m_element.append(start, size_t(p - start));
                return;
            }
        }
        m_element.append(start, size_t(stop - start));
        m_pos = m_len;
        if (m_element.size() > 4096 || !refill())
            return;
    }
}

} // namespace causa::xdr
