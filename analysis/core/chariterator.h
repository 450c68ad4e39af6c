#pragma once

#include <cstddef>
#include <iterator>

namespace causa {

// An input iterator of chars over a streaming source (a file read in chunks, a reply cut into
// alerts), for parsers that take iterators (nlohmann::json::sax_parse). The source provides
// atEnd(), which may fetch more input, current() as a reference into its buffer, and advance().
// Iterators compare equal when both are at the end; the end iterator has no source.
template<typename Source>
class CharIterator
{
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char *;
    using reference = const char &;

    CharIterator() = default;
    explicit CharIterator(Source *source) : m_source(source) {}
    reference operator*() const { return m_source->current(); }
    CharIterator &operator++()
    {
        m_source->advance();
        return *this;
    }
    void operator++(int) { m_source->advance(); }
    bool operator==(const CharIterator &other) const { return isEnd() == other.isEnd(); }
    bool operator!=(const CharIterator &other) const { return !(*this == other); }

private:
    bool isEnd() const { return !m_source || m_source->atEnd(); }
    Source *m_source = nullptr;
};

} // namespace causa
