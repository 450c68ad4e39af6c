#pragma once

#include <QString>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace causa::sigma::detail {

// A Sigma string value after escape handling: literal bytes and the wildcards * and ?.
struct GlobSegment
{
    std::string text;  // bytes; lower-cased unless the test is cased
    std::string anyAt; // '1' where `text` holds a '?' wildcard (one byte), else '0'; empty: none
};

// One compiled test of a field value (one value of a Sigma field/modifier list).
struct ValueTest
{
    enum class Kind
    {
        Glob,
        Regex,
        Cidr,
        Compare,
        Exists,
        Null,
        FieldRef
    };
    enum class Cmp
    {
        Gt,
        Gte,
        Lt,
        Lte
    };
    enum class RefMode
    {
        Equals,
        Contains,
        StartsWith,
        EndsWith
    };

    Kind kind = Kind::Glob;
    bool cased = false;
    // Glob: the value split at '*'; a pattern without '*' has one segment and must equal the
    // value. leading/trailing: the pattern starts/ends with '*'.
    std::vector<GlobSegment> segments;
    std::shared_ptr<const re2::RE2> regex;
    // Cidr: network bytes (4 or 16) and prefix length.
    std::string network;
    int prefix = 0;
    Cmp cmp = Cmp::Gt;
    double number = 0;
    bool exists = true;
    std::string refName; // FieldRef: the other field as the rule names it
    int refField = -1;   // FieldRef: that field's id once the rule is bound to a target
    RefMode refMode = RefMode::Equals;
    QString display; // how the test reads in a match explanation: "endswith '\\cmd.exe'"
    // Regex: a lower-cased literal every match must contain (empty: none could be derived).
    std::string regexLiteral;

    bool matchText(std::string_view raw, std::string_view lower) const;
};

// A literal that must occur in a field's lower-cased value for a glob test to be true, and
// where: the prefilter's atom.
struct Literal
{
    enum class Where
    {
        Anywhere,
        Start,
        End,
        Whole
    };
    std::string text;
    Where where = Where::Anywhere;
};

// The longest literal a glob test cannot be true without (for a regex, its regexLiteral);
// false when it has none.
bool necessaryLiteral(const ValueTest &t, Literal &out);

// The longest ASCII run every match of the RE2 pattern must contain, lower-cased; empty when
// none can be derived safely (top-level alternation, only classes and groups...). Letters whose
// case folding reaches beyond ASCII (k, s) end a run when the match may ignore case.
std::string requiredRegexLiteral(std::string_view pattern, bool caseInsensitive);

bool globMatch(const std::vector<GlobSegment> &segments, std::string_view value);
// ASCII lower case: Sigma's case-insensitive match on the bytes of UTF-8 values.
void asciiLower(std::string_view in, std::string &out);
// The same from n bytes at in to n bytes at out (the same place, or not overlapping).
void asciiLower(const char *in, size_t n, char *out);
std::string asciiLower(std::string_view in);

// Parses an IPv4/IPv6 text into 4 or 16 bytes; false when it is neither.
bool parseIp(std::string_view text, std::string &out);

} // namespace causa::sigma::detail
