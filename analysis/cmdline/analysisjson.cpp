#include "analysisjson.h"

#include "core/jsonutil.h"
#include "core/platform.h"

#include <nlohmann/json.hpp>

#include <bit>
#include <charconv>
#include <cstring>

namespace causa {

namespace {

// Text exactly as nlohmann's dump(-1, ' ', false, replace) escapes it.
void appendDomString(std::string *out, const QString &s)
{
    *out +=
        nlohmann::json(js::toStd(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Escapes one character below 0x80 the way nlohmann does ("\u001f": lowercase hex) into dst;
// returns the bytes written (at most 6).
size_t escapeAscii(char *dst, char16_t c)
{
    char e = 0;
    switch (c) {
    case '"': e = '"'; break;
    case '\\': e = '\\'; break;
    case '\b': e = 'b'; break;
    case '\f': e = 'f'; break;
    case '\n': e = 'n'; break;
    case '\r': e = 'r'; break;
    case '\t': e = 't'; break;
    default: break;
    }
    if (e) {
        dst[0] = '\\';
        dst[1] = e;
        return 2;
    }
    if (c < 0x20) {
        static const char hex[] = "0123456789abcdef";
        const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
        std::memcpy(dst, esc, sizeof esc);
        return sizeof esc;
    }
    dst[0] = char(c);
    return 1;
}

// UTF-16 to escaped UTF-8 in one pass, through a small stack buffer appended in blocks (the
// output is mostly long ASCII runs; growing the string a byte at a time dominated the writer).
// A lone surrogate has no UTF-8 form; the rare string holding one takes the DOM's own path so
// its replacement stays exactly the DOM's.
void appendString(std::string *out, const QString &s)
{
    const qsizetype n = s.size();
    // constData(), not utf16(): an out-of-line call that also makes sure of a terminating NUL.
    const char16_t *d = reinterpret_cast<const char16_t *>(s.constData());
    const size_t mark = out->size();
    char buf[1024];
    size_t w = 0;
    buf[w++] = '"';
    for (qsizetype i = 0; i < n; ++i) {
        if (w > sizeof buf - 16) {
            out->append(buf, w);
            w = 0;
        }
        // Plain ASCII eight units a step, up to the first unit that needs more than its byte.
        if (i + 8 <= n) {
            const unsigned stop = platform::narrowAscii8(d + i, buf + w, '"', '\\');
            const int plain = stop ? std::countr_zero(stop) : 8;
            w += size_t(plain);
            i += plain;
            if (plain == 8) {
                --i;
                continue;
            }
        }
        const char16_t c = d[i];
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\')
                buf[w++] = char(c);
            else
                w += escapeAscii(buf + w, c);
        } else if (c < 0x800) {
            buf[w++] = char(0xC0 | (c >> 6));
            buf[w++] = char(0x80 | (c & 0x3F));
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            const bool pair = c <= 0xDBFF && i + 1 < n && d[i + 1] >= 0xDC00 && d[i + 1] <= 0xDFFF;
            if (!pair) {
                out->resize(mark);
                appendDomString(out, s);
                return;
            }
            const char32_t u =
                0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(d[i + 1]) - 0xDC00);
            buf[w++] = char(0xF0 | (u >> 18));
            buf[w++] = char(0x80 | ((u >> 12) & 0x3F));
            buf[w++] = char(0x80 | ((u >> 6) & 0x3F));
            buf[w++] = char(0x80 | (u & 0x3F));
            ++i;
        } else {
            buf[w++] = char(0xE0 | (c >> 12));
            buf[w++] = char(0x80 | ((c >> 6) & 0x3F));
            buf[w++] = char(0x80 | (c & 0x3F));
        }
    }
    buf[w++] = '"';
    out->append(buf, w);
}

void appendInt(std::string *out, qint64 v)
{
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out->append(buf, size_t(res.ptr - buf));
}

void appendBool(std::string *out, bool v)
{
    *out += v ? "true" : "false";
}

// `"key":` — keys are our own ASCII names, never escaped; their length is known at compile time.
template<size_t N>
void appendKey(std::string *out, const char (&key)[N], bool first = false)
{
    char buf[N + 4];
    size_t w = 0;
    if (!first)
        buf[w++] = ',';
    buf[w++] = '"';
    std::memcpy(buf + w, key, N - 1);
    w += N - 1;
    buf[w++] = '"';
    buf[w++] = ':';
    out->append(buf, w);
}

void appendSpan(std::string *out, qsizetype start, qsizetype end)
{
    out->push_back('[');
    appendInt(out, start);
    out->push_back(',');
    appendInt(out, end);
    out->push_back(']');
}

// Each object's keys below are listed in the std::map order the DOM prints them in.
void appendFinding(std::string *out, const Finding &f)
{
    appendKey(out, "category", true);
    appendString(out, f.category);
    appendKey(out, "contribution");
    appendInt(out, f.contribution);
    appendKey(out, "layer");
    appendInt(out, f.layer);
    appendKey(out, "match");
    appendString(out, f.match);
    appendKey(out, "mitre");
    appendString(out, f.mitre);
    if (!f.note.isEmpty()) {
        appendKey(out, "note");
        appendString(out, f.note);
    }
    appendKey(out, "rule");
    appendString(out, f.rule);
    appendKey(out, "span");
    appendSpan(out, f.start, f.end);
    appendKey(out, "tactic");
    appendString(out, f.tactic);
    appendKey(out, "weight");
    appendInt(out, f.weight);
}

void appendLayer(std::string *out, const DecodeLayer &l)
{
    const bool note = !l.note.isEmpty();
    if (note) {
        appendKey(out, "note", true);
        appendString(out, l.note);
    }
    appendKey(out, "span", !note);
    appendSpan(out, l.start, l.end);
    appendKey(out, "text");
    appendString(out, l.text);
    appendKey(out, "transform");
    appendString(out, l.transform);
}

void appendIndicator(std::string *out, const ExtractedIndicator &i)
{
    appendKey(out, "as_written", true);
    appendString(out, i.asWritten);
    appendKey(out, "internal");
    appendBool(out, i.internal);
    appendKey(out, "layer");
    appendInt(out, i.layer);
    appendKey(out, "obfuscated");
    appendBool(out, i.obfuscated);
    appendKey(out, "type");
    appendString(out, i.type);
    appendKey(out, "value");
    appendString(out, i.value);
}

template<typename List, typename Fn>
void appendObjects(std::string *out, const List &items, Fn appendOne)
{
    out->push_back('[');
    bool first = true;
    for (const auto &item : items) {
        if (!first)
            out->push_back(',');
        first = false;
        out->push_back('{');
        appendOne(out, item);
        out->push_back('}');
    }
    out->push_back(']');
}

void appendFlags(std::string *out, const CommandLineFlags &f)
{
    out->push_back('{');
    appendKey(out, "AMSI", true);
    appendBool(out, f.amsi);
    appendKey(out, "SuspiciousLolbinExecution");
    appendBool(out, f.suspiciousLolbinExecution);
    appendKey(out, "base64");
    appendBool(out, f.base64);
    appendKey(out, "foundIndicators");
    appendBool(out, f.foundIndicators);
    appendKey(out, "maliciousTools");
    appendBool(out, f.maliciousTools);
    appendKey(out, "networkActivity");
    appendBool(out, f.networkActivity);
    appendKey(out, "suspiciousParameters");
    appendBool(out, f.suspiciousParameters);
    out->push_back('}');
}

} // namespace

void appendAnalysisJson(std::string *out, const AnalysisResult &r, qint64 line)
{
    if (!r.error.isEmpty()) {
        appendErrorJson(out, r.commandLine, r.error, line);
        return;
    }
    out->push_back('{');
    appendKey(out, "command_line", true);
    appendString(out, r.commandLine);
    appendKey(out, "decoded");
    appendString(out, r.decoded);
    appendKey(out, "findings");
    appendObjects(out, r.findings, appendFinding);
    appendKey(out, "flags");
    appendFlags(out, r.flags);
    appendKey(out, "indicators");
    appendObjects(out, r.indicators, appendIndicator);
    appendKey(out, "layers");
    appendObjects(out, r.layers, appendLayer);
    if (line >= 0) {
        appendKey(out, "line");
        appendInt(out, line);
    }
    appendKey(out, "lolbins");
    out->push_back('[');
    for (qsizetype i = 0; i < r.lolbins.size(); ++i) {
        if (i > 0)
            out->push_back(',');
        appendString(out, r.lolbins[i]);
    }
    out->push_back(']');
    appendKey(out, "risk");
    appendString(out, r.risk);
    appendKey(out, "score");
    appendInt(out, r.score);
    appendKey(out, "verdict");
    appendString(out, r.verdict);
    appendKey(out, "xsoar_risk");
    appendString(out, r.xsoarRisk);
    appendKey(out, "xsoar_score");
    appendInt(out, r.xsoarScore);
    out->push_back('}');
}

void appendErrorJson(std::string *out, const QString &commandLine, const QString &error,
                     qint64 line)
{
    out->push_back('{');
    appendKey(out, "command_line", true);
    appendString(out, commandLine);
    appendKey(out, "error");
    appendString(out, error);
    if (line >= 0) {
        appendKey(out, "line");
        appendInt(out, line);
    }
    out->push_back('}');
}

} // namespace causa
