#pragma once

#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace causa::events {

// The top-level fields of one flat Windows event, read either by a fast scanner straight from
// the line's bytes (the common case: string, integer, true/false/null values, no nesting) or
// from a parsed nlohmann::json object (everything else). The readers answer the same for both,
// so the event mapping does not care which path filled it; a DOM per line was a tenth of the
// import profile, and its allocations another tenth.
class FlatEvent final
{
public:
    enum class Kind
    {
        String,
        Integer,
        Null,
        Other
    };
    // Refuse: a nested value fails the scan (the importer flattens {"Event": ...} objects).
    // AsText: it is read as the full parser's dump of it, like load() (the Sigma matcher,
    // which refuses {"Event": {...}} itself).
    enum class Nested
    {
        Refuse,
        AsText
    };

    // Reads a line holding one JSON object with only scalar values. Returns false, leaving the
    // object empty, whenever the line is anything else: a float, an integer beyond 64 bits, a
    // nested value (unless read as text), an escape or byte the JSON grammar refuses, trailing
    // bytes... The caller then runs the full JSON parser, which either accepts the line or
    // names its error. The line's bytes must outlive the reads that follow.
    bool scan(const char *data, qsizetype size, Nested nested = Nested::Refuse);
    // Copies the fields of a parsed object (the general path); false when it is not an object.
    bool load(const nlohmann::json &obj);
    void clear();

    // Same answers as events::text / view / pidValue on the equivalent nlohmann object: a
    // repeated key answers with its last value, as nlohmann keeps the last; null is absent.
    QString text(std::string_view key) const;
    // The string value (unescaped UTF-8); empty for a non-string or an absent key.
    std::string_view view(std::string_view key) const;
    qint64 pidValue(std::string_view key) const;
    // text(key) as UTF-8 bytes, without building a QString.
    std::string_view textBytes(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    // Every non-null field in the line's order as (key, text form); a repeated key comes
    // twice, the last one last (readers that keep the last value agree with text()).
    template<typename Fn>
    void forEachField(Fn &&fn) const
    {
        for (const Field &f : m_fields)
            if (f.kind != Kind::Null)
                fn(f.key, f.value);
    }

private:
    struct Field
    {
        std::string_view key;
        std::string_view value; // String: unescaped; Integer: its digits; Other: its text form
        Kind kind = Kind::Null;
        qint64 number = 0;
    };
    const Field *find(std::string_view key) const;
    bool scanString(const char *&p, const char *end, std::string_view &out);
    bool scanValue(const char *&p, const char *end, Field &f, Nested nested);
    bool scanInteger(const char *&p, const char *end, Field &f);
    bool scanNested(const char *&p, const char *end, Field &f);

    std::vector<Field> m_fields;
    std::string m_unescaped; // escaped strings of the current line, decoded
    size_t m_used = 0;
    std::deque<std::string> m_owned; // texts of the nlohmann path (a deque never moves them)
};

} // namespace causa::events
