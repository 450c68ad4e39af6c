#include "flatevent.h"

#include "core/platform.h"
#include "eventfields.h"

#include <nlohmann/json.hpp>

#include <bit>
#include <cstdint>
#include <cstring>

namespace causa::events {

namespace {

inline void skipSpace(const char *&p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        ++p;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool read4(const char *p, const char *end, unsigned &out)
{
    if (end - p < 4)
        return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
        const int d = hexDigit(p[i]);
        if (d < 0)
            return false;
        out = out * 16 + unsigned(d);
    }
    return true;
}

// Length of the well-formed UTF-8 sequence at p (RFC 3629 ranges, as nlohmann's lexer checks),
// or 0 when it is not one.
int utf8Length(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = p[0];
    auto cont = [&](int i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return p + i < end && p[i] >= lo && p[i] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c == 0xE0)
        return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED)
        return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0)
        return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4)
        return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

char *putUtf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        *out++ = char(cp);
    } else if (cp < 0x800) {
        *out++ = char(0xC0 | (cp >> 6));
        *out++ = char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *out++ = char(0xE0 | (cp >> 12));
        *out++ = char(0x80 | ((cp >> 6) & 0x3F));
        *out++ = char(0x80 | (cp & 0x3F));
    } else {
        *out++ = char(0xF0 | (cp >> 18));
        *out++ = char(0x80 | ((cp >> 12) & 0x3F));
        *out++ = char(0x80 | ((cp >> 6) & 0x3F));
        *out++ = char(0x80 | (cp & 0x3F));
    }
    return out;
}

// The first byte at or after p that a string cannot simply copy (a quote, a backslash, a
// control byte, a byte past ASCII), or end; sixteen, then eight bytes a step while none is.
const char *plainRun(const char *p, const char *end)
{
    while (end - p >= 16) {
        if (const unsigned stop = platform::stopBytes16(p, '"', '\\'))
            return p + std::countr_zero(stop);
        p += 16;
    }
    constexpr uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    auto hasZero = [](uint64_t v) { return (v - ones) & ~v & highs; };
    while (end - p >= 8) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        const uint64_t control = (v - ones * 0x20) & ~v & highs;
        if ((v & highs) || control || hasZero(v ^ (ones * '"')) || hasZero(v ^ (ones * '\\')))
            break;
        p += 8;
    }
    while (p < end) {
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
            break;
        ++p;
    }
    return p;
}

// The escape after a backslash, at p: writes its character to o and leaves p on the escape's
// last character. False for an unknown escape or a broken surrogate pair.
bool decodeEscape(const char *&p, const char *end, char *&o)
{
    switch (*p) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '/': *o++ = '/'; break;
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 't': *o++ = '\t'; break;
    case 'u': {
        unsigned cp;
        if (!read4(p + 1, end, cp))
            return false;
        p += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return false; // a lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (end - p < 3 || p[1] != '\\' || p[2] != 'u' || !read4(p + 3, end, lo) ||
                lo < 0xDC00 || lo > 0xDFFF)
                return false; // a high surrogate not followed by a low one
            p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        o = putUtf8(o, cp);
        break;
    }
    default: return false;
    }
    return true;
}

} // namespace

void FlatEvent::clear()
{
    m_fields.clear();
    m_owned.clear();
    m_used = 0;
}

// p is just past the opening quote; on success it is just past the closing one.
bool FlatEvent::scanString(const char *&p, const char *end, std::string_view &out)
{
    const char *start = p;
    // Fast path: no escape, ASCII printable only.
    p = plainRun(p, end);
    if (p >= end)
        return false;
    if (*p == '"') {
        out = std::string_view(start, size_t(p - start));
        ++p;
        return true;
    }
    // Slow path: copy what was read, then decode escapes and check UTF-8 into m_unescaped.
    // Decoded text is never longer than its source, so the buffer sized to the line suffices.
    char *const outStart = m_unescaped.data() + m_used;
    char *o = outStart;
    std::memcpy(o, start, size_t(p - start));
    o += p - start;
    while (p < end) {
        const char *run = plainRun(p, end);
        std::memcpy(o, p, size_t(run - p));
        o += run - p;
        p = run;
        if (p >= end)
            break;
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c == '"') {
            ++p;
            out = std::string_view(outStart, size_t(o - outStart));
            m_used += size_t(o - outStart);
            return true;
        }
        if (c < 0x20)
            return false; // control characters must be escaped (this includes NUL)
        if (c >= 0x80) {
            const int n = utf8Length(reinterpret_cast<const unsigned char *>(p),
                                     reinterpret_cast<const unsigned char *>(end));
            if (n == 0)
                return false;
            std::memcpy(o, p, size_t(n));
            o += n;
            p += n;
            continue;
        }
        if (c != '\\') {
            *o++ = char(c);
            ++p;
            continue;
        }
        if (++p >= end || !decodeEscape(p, end, o))
            return false;
        ++p;
    }
    return false;
}

bool FlatEvent::scan(const char *data, qsizetype size, Nested nested)
{
    clear();
    if (m_unescaped.size() < size_t(size))
        m_unescaped.resize(size_t(size));
    const char *p = data;
    const char *const end = data + size;
    auto fail = [this] {
        clear();
        return false;
    };
    skipSpace(p, end);
    if (p >= end || *p != '{')
        return fail();
    ++p;
    skipSpace(p, end);
    if (p < end && *p == '}') {
        ++p;
    } else {
        for (;;) {
            Field f;
            if (p >= end || *p != '"')
                return fail();
            ++p;
            if (!scanString(p, end, f.key))
                return fail();
            skipSpace(p, end);
            if (p >= end || *p != ':')
                return fail();
            ++p;
            skipSpace(p, end);
            if (!scanValue(p, end, f, nested))
                return fail();
            m_fields.push_back(f);
            skipSpace(p, end);
            if (p < end && *p == ',') {
                ++p;
                skipSpace(p, end);
                continue;
            }
            if (p < end && *p == '}') {
                ++p;
                break;
            }
            return fail();
        }
    }
    skipSpace(p, end);
    if (p != end)
        return fail();
    return true;
}

bool FlatEvent::scanValue(const char *&p, const char *end, Field &f, Nested nested)
{
    if (p >= end)
        return false;
    const char c = *p;
    if (c == '"') {
        ++p;
        f.kind = Kind::String;
        return scanString(p, end, f.value);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return scanInteger(p, end, f);
    for (const auto &[word, kind] : {std::pair{std::string_view("true"), Kind::Other},
                                     std::pair{std::string_view("false"), Kind::Other},
                                     std::pair{std::string_view("null"), Kind::Null}}) {
        if (size_t(end - p) >= word.size() && std::memcmp(p, word.data(), word.size()) == 0) {
            f.kind = kind;
            f.value = kind == Kind::Null ? std::string_view() : word;
            p += word.size();
            return true;
        }
    }
    if ((c == '[' || c == '{') && nested == Nested::AsText)
        return scanNested(p, end, f);
    return false; // a nested value the caller refuses, or not JSON
}

// Integers in the full parser's integer range (int64 below zero, uint64 from zero up): their
// digits are their text there too. "-0", leading zeros, fractions, exponents and larger
// numbers go to the full parser (it prints those differently).
bool FlatEvent::scanInteger(const char *&p, const char *end, Field &f)
{
    const char *s = p;
    const bool negative = *p == '-';
    if (negative)
        ++p;
    const char *digits = p;
    quint64 v = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        if (__builtin_mul_overflow(v, quint64(10), &v) ||
            __builtin_add_overflow(v, quint64(*p - '0'), &v))
            return false;
        ++p;
    }
    const qsizetype n = p - digits;
    if (n == 0 || (digits[0] == '0' && (n > 1 || negative)))
        return false;
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
        return false;
    if (negative && v > (quint64(1) << 63))
        return false;
    f.kind = Kind::Integer;
    f.number = negative ? qint64(quint64(0) - v) : qint64(v); // as the full parser's get<qint64>
    f.value = std::string_view(s, size_t(p - s));
    return true;
}

// An array or object value: its extent found here (brackets outside strings), its text the
// full parser's dump of it, as load() keeps it.
bool FlatEvent::scanNested(const char *&p, const char *end, Field &f)
{
    const char *s = p;
    int depth = 0;
    bool inString = false;
    for (; p < end; ++p) {
        const char c = *p;
        if (inString) {
            if (c == '\\' && end - p < 2)
                return false;
            if (c == '\\')
                ++p;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if ((c == ']' || c == '}') && --depth == 0) {
            ++p;
            break;
        }
    }
    if (depth != 0)
        return false;
    const nlohmann::json v = nlohmann::json::parse(s, p, nullptr, false);
    if (v.is_discarded())
        return false;
    f.kind = Kind::Other;
    f.value = m_owned.emplace_back(v.dump());
    return true;
}

bool FlatEvent::load(const nlohmann::json &obj)
{
    clear();
    if (!obj.is_object())
        return false;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        Field f;
        f.key = m_owned.emplace_back(it.key());
        const nlohmann::json &v = it.value();
        if (v.is_null()) {
            f.kind = Kind::Null;
        } else if (v.is_string()) {
            f.kind = Kind::String;
            f.value = m_owned.emplace_back(v.get_ref<const std::string &>());
        } else if (v.is_number_integer() || v.is_number_unsigned()) {
            f.kind = Kind::Integer;
            f.number = v.get<qint64>();
            f.value =
                m_owned.emplace_back(v.is_number_unsigned() ? std::to_string(v.get<quint64>())
                                                            : std::to_string(v.get<qint64>()));
        } else {
            // As events::text() prints them.
            f.kind = Kind::Other;
            std::string t;
            if (v.is_boolean())
                t = v.get<bool>() ? "true" : "false";
            else if (v.is_number_float())
                t = QString::number(v.get<double>()).toStdString();
            else
                t = v.dump();
            f.value = m_owned.emplace_back(std::move(t));
        }
        m_fields.push_back(f);
    }
    return true;
}

const FlatEvent::Field *FlatEvent::find(std::string_view key) const
{
    // Backwards: a repeated key answers with its last value, like the DOM parser.
    for (auto it = m_fields.rbegin(); it != m_fields.rend(); ++it)
        if (it->key == key)
            return it->kind == Kind::Null ? nullptr : &*it;
    return nullptr;
}

QString FlatEvent::text(std::string_view key) const
{
    const Field *f = find(key);
    if (!f)
        return {};
    return QString::fromUtf8(f->value.data(), qsizetype(f->value.size()));
}

std::string_view FlatEvent::textBytes(std::string_view key) const
{
    const Field *f = find(key);
    return f ? f->value : std::string_view();
}

std::string_view FlatEvent::view(std::string_view key) const
{
    const Field *f = find(key);
    return f && f->kind == Kind::String ? f->value : std::string_view();
}

qint64 FlatEvent::pidValue(std::string_view key) const
{
    const Field *f = find(key);
    if (!f)
        return -1;
    if (f->kind == Kind::Integer)
        return f->number;
    if (f->kind == Kind::String)
        return parseNumber(f->value);
    return -1;
}

} // namespace causa::events
