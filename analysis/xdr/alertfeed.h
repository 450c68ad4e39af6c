#pragma once

#include "core/chariterator.h"
#include "core/result.h"

#include <QString>

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace causa::xdr {

// The bytes of an XDR reply as the JSON parser reads them, except that the elements of an
// alerts array are cut out as they go by and handed to a callback as their original bytes: the
// parser sees an empty array, no per-alert document is built here, and memory holds one alert
// at a time whatever the file's size. Elements are only checked for balance here; whoever
// receives them parses them.
class AlertFeed
{
public:
    // The next chunk of input, or an empty span at the end (or after a read error: set error()).
    using Source = std::function<std::span<const char>()>;
    // bytes: one element, exactly as written; offset: where it starts in the input. Return
    // false to stop reading (an error or a cancel found by the receiver).
    using ElementFn = std::function<bool(std::string_view bytes, qint64 offset)>;

    AlertFeed(Source source, QString origin, int maxDepth);

    void setElementFn(ElementFn fn) { m_onElement = std::move(fn); }
    // The parser just read the '[' of an array at nesting depth `depth` whose elements are
    // alerts: cut them out before it reads on.
    void splitNextArray(int depth)
    {
        m_splitPending = true;
        m_splitDepth = depth;
    }
    // Offset of the next byte the parser will read.
    qint64 offset() const { return m_base + qint64(m_pos); }
    bool hasError() const { return !m_error.code.isEmpty(); }
    const Error &error() const { return m_error; }
    bool stoppedByReceiver() const { return m_receiverStopped; }

    // Largest single alert accepted (a bound on memory, far above any real alert).
    static constexpr qint64 kMaxElementBytes = qint64(64) << 20;

    bool atEnd()
    {
        if (m_splitPending) {
            m_splitPending = false;
            if (!cutElements())
                m_stopped = true;
        }
        if (m_stopped)
            return true;
        return m_pos >= m_len && !refill();
    }
    const char &current() const { return m_data[m_pos]; }
    void advance() { ++m_pos; }

    // An input iterator of chars for nlohmann::json::sax_parse.
    using Iterator = CharIterator<AlertFeed>;
    Iterator begin() { return Iterator(this); }
    Iterator end() { return Iterator(); }

private:
    bool refill();
    // Next non-blank byte without consuming it, or -1 at the end of the input.
    int peek();
    bool cutElements();
    bool cutValue();
    bool cutContainer();
    bool cutString();
    void cutScalar();
    bool append(const char *from, const char *to);
    bool fail(const QString &code, const QString &message, qint64 at);

    Source m_source;
    QString m_origin;
    int m_maxDepth;
    ElementFn m_onElement;
    const char *m_data = nullptr;
    size_t m_pos = 0;
    size_t m_len = 0;
    qint64 m_base = 0; // input offset of m_data[0]
    bool m_splitPending = false;
    int m_splitDepth = 0;
    bool m_stopped = false;
    bool m_receiverStopped = false;
    std::string m_element;
    qint64 m_elementOffset = 0;
    Error m_error;
};

} // namespace causa::xdr
