#include "ruleparser.h"

#include <QRegularExpression>

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <set>

namespace causa::sigma::detail {

namespace {

// A Sigma string: bytes, each a literal ('l') or a wildcard ('*', '?').
struct SigmaString
{
    std::string bytes;
    std::string kinds;

    bool hasWildcards() const { return kinds.find_first_not_of('l') != std::string::npos; }
    void append(const std::string &s, char kind)
    {
        bytes += s;
        kinds.append(s.size(), kind);
    }
};

// Sigma escapes: '\' before '*', '?' or '\' makes it literal; any other '\' is itself.
SigmaString parseSigmaString(const std::string &v)
{
    SigmaString s;
    for (size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (c == '\\' && i + 1 < v.size() &&
            (v[i + 1] == '*' || v[i + 1] == '?' || v[i + 1] == '\\')) {
            s.append(std::string(1, v[i + 1]), 'l');
            ++i;
        } else if (c == '*' || c == '?') {
            s.append(std::string(1, c), c);
        } else {
            s.append(std::string(1, c), 'l');
        }
    }
    return s;
}

SigmaString literal(const std::string &bytes)
{
    SigmaString s;
    s.append(bytes, 'l');
    return s;
}

// windash: a '-' or '/' that starts a word may be written with any of the dashes Windows
// command lines accept.
std::vector<SigmaString> windash(const SigmaString &s)
{
    static const char *const dashes[] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};
    std::vector<size_t> positions;
    for (size_t i = 0; i < s.bytes.size(); ++i) {
        const char c = s.bytes[i];
        const bool startsWord =
            i == 0 || s.bytes[i - 1] == ' ' || s.bytes[i - 1] == '\t' || s.kinds[i - 1] == '*';
        if (s.kinds[i] == 'l' && (c == '-' || c == '/') && startsWord)
            positions.push_back(i);
    }
    std::vector<SigmaString> out;
    if (positions.empty())
        return {s};
    // Each dash position varies on its own up to 3 positions (125 variants); past that every
    // position takes the same dash, which is how command lines are written in practice.
    const bool independent = positions.size() <= 3;
    size_t combos = 1;
    for (size_t k = 0; k < (independent ? positions.size() : 1); ++k)
        combos *= std::size(dashes);
    for (size_t combo = 0; combo < combos; ++combo) {
        SigmaString v;
        size_t next = 0, code = combo;
        for (size_t i = 0; i < s.bytes.size(); ++i) {
            if (next < positions.size() && positions[next] == i) {
                const size_t pick = independent ? code % std::size(dashes) : combo;
                if (independent)
                    code /= std::size(dashes);
                v.append(dashes[pick], 'l');
                ++next;
            } else {
                v.bytes += s.bytes[i];
                v.kinds += s.kinds[i];
            }
        }
        out.push_back(std::move(v));
    }
    return out;
}

std::string utf16(const std::string &utf8, bool bigEndian)
{
    const QString q = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    std::string out;
    for (const QChar c : q) {
        const char16_t u = c.unicode();
        if (bigEndian) {
            out += char(u >> 8);
            out += char(u & 0xFF);
        } else {
            out += char(u & 0xFF);
            out += char(u >> 8);
        }
    }
    return out;
}

std::string base64(const std::string &bytes)
{
    return QByteArray(bytes.data(), qsizetype(bytes.size())).toBase64().toStdString();
}

// The three encodings of `bytes` at offsets 0, 1 and 2 of a base64 stream, without the
// characters that depend on what comes before or after (Sigma's base64offset).
std::vector<std::string> base64Offsets(const std::string &bytes)
{
    static const int start[] = {0, 2, 3};
    static const int endTrim[] = {0, 3, 2};
    std::vector<std::string> out;
    for (int i = 0; i < 3; ++i) {
        const std::string enc = base64(std::string(size_t(i), ' ') + bytes);
        const int trim = endTrim[(bytes.size() + size_t(i)) % 3];
        const int len = int(enc.size()) - start[i] - trim;
        if (len > 0)
            out.push_back(enc.substr(size_t(start[i]), size_t(len)));
    }
    return out;
}

ValueTest globTest(const SigmaString &s, bool cased, const QString &display)
{
    ValueTest t;
    t.kind = ValueTest::Kind::Glob;
    t.cased = cased;
    t.display = display;
    GlobSegment seg;
    for (size_t i = 0; i <= s.bytes.size(); ++i) {
        if (i == s.bytes.size() || s.kinds[i] == '*') {
            if (seg.anyAt.find('1') == std::string::npos)
                seg.anyAt.clear();
            t.segments.push_back(std::move(seg));
            seg = GlobSegment();
            continue;
        }
        seg.text += s.bytes[i];
        seg.anyAt += s.kinds[i] == '?' ? '1' : '0';
    }
    // ASCII lower case, as event values are lowered (bytes of UTF-8 past ASCII stay as they are).
    for (GlobSegment &g : t.segments)
        for (char &c : g.text)
            if (!cased && c >= 'A' && c <= 'Z')
                c = char(c + 32);
    return t;
}

struct Modifiers
{
    enum class Pos
    {
        Equals,
        Contains,
        Starts,
        Ends
    } pos = Pos::Equals;
    bool all = false, re = false, reI = false, reM = false, reS = false, cidr = false;
    bool exists = false, fieldref = false, cased = false;
    bool compare = false;
    ValueTest::Cmp cmp = ValueTest::Cmp::Gt;
    QStringList transforms; // windash, base64, base64offset, wide, utf16le, utf16be, utf16 in order
};

bool readModifiers(const QStringList &mods, Modifiers &m, QString *reason)
{
    for (const QString &raw : mods) {
        const QString mod = raw.toLower();
        if (mod == QLatin1String("contains"))
            m.pos = Modifiers::Pos::Contains;
        else if (mod == QLatin1String("startswith"))
            m.pos = Modifiers::Pos::Starts;
        else if (mod == QLatin1String("endswith"))
            m.pos = Modifiers::Pos::Ends;
        else if (mod == QLatin1String("all"))
            m.all = true;
        else if (mod == QLatin1String("re"))
            m.re = true;
        else if (mod == QLatin1String("i") && m.re)
            m.reI = true;
        else if (mod == QLatin1String("m") && m.re)
            m.reM = true;
        else if (mod == QLatin1String("s") && m.re)
            m.reS = true;
        else if (mod == QLatin1String("cidr"))
            m.cidr = true;
        else if (mod == QLatin1String("exists"))
            m.exists = true;
        else if (mod == QLatin1String("fieldref"))
            m.fieldref = true;
        else if (mod == QLatin1String("cased"))
            m.cased = true;
        else if (mod == QLatin1String("gt") || mod == QLatin1String("gte") ||
                 mod == QLatin1String("lt") || mod == QLatin1String("lte")) {
            m.compare = true;
            m.cmp = mod == QLatin1String("gt")    ? ValueTest::Cmp::Gt
                    : mod == QLatin1String("gte") ? ValueTest::Cmp::Gte
                    : mod == QLatin1String("lt")  ? ValueTest::Cmp::Lt
                                                  : ValueTest::Cmp::Lte;
        } else if (mod == QLatin1String("windash") || mod == QLatin1String("base64") ||
                   mod == QLatin1String("base64offset") || mod == QLatin1String("wide") ||
                   mod == QLatin1String("utf16le") || mod == QLatin1String("utf16be") ||
                   mod == QLatin1String("utf16")) {
            m.transforms << mod;
        } else if (mod == QLatin1String("expand")) {
            *reason = QStringLiteral(
                "modifier 'expand' needs placeholder values the engine does not have");
            return false;
        } else {
            *reason = QStringLiteral("unknown modifier '%1'").arg(raw);
            return false;
        }
    }
    const int kinds = int(m.re) + int(m.cidr) + int(m.exists) + int(m.fieldref) + int(m.compare);
    if (kinds > 1 || (kinds == 1 && !m.fieldref &&
                      (m.pos != Modifiers::Pos::Equals || !m.transforms.isEmpty()))) {
        *reason =
            QStringLiteral("modifiers that do not combine: %1").arg(mods.join(QLatin1Char('|')));
        return false;
    }
    return true;
}

// The variants one rule value becomes under the transforms, in the rule's order.
bool transformValue(const std::string &value, const Modifiers &m, std::vector<SigmaString> &out,
                    QString *reason)
{
    out = {parseSigmaString(value)};
    for (const QString &t : m.transforms) {
        std::vector<SigmaString> next;
        for (const SigmaString &s : out) {
            if (t == QLatin1String("windash")) {
                for (SigmaString &v : windash(s))
                    next.push_back(std::move(v));
                continue;
            }
            if (s.hasWildcards()) {
                *reason = QStringLiteral("wildcard in a value under '%1'").arg(t);
                return false;
            }
            if (t == QLatin1String("base64"))
                next.push_back(literal(base64(s.bytes)));
            else if (t == QLatin1String("base64offset"))
                for (const std::string &e : base64Offsets(s.bytes))
                    next.push_back(literal(e));
            else if (t == QLatin1String("utf16be"))
                next.push_back(literal(utf16(s.bytes, true)));
            else if (t == QLatin1String("utf16"))
                next.push_back(literal(std::string("\xFF\xFE", 2) + utf16(s.bytes, false)));
            else
                next.push_back(literal(utf16(s.bytes, false)));
        }
        out = std::move(next);
    }
    return true;
}

QString displayOf(const QString &mods, const std::string &value)
{
    const QString v = QString::fromUtf8(value.data(), qsizetype(value.size()));
    return (mods.isEmpty() ? QStringLiteral("equals") : mods) + QStringLiteral(" '") + v +
           QLatin1Char('\'');
}

bool regexTest(const std::string &value, const Modifiers &m, const QString &display, ValueTest &t,
               QString *reason)
{
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(8 << 20); // a bound on the automaton; matching is linear in the input
    o.set_case_sensitive(!m.reI);
    o.set_dot_nl(m.reS);
    const std::string pattern = m.reM ? "(?m)" + value : value;
    auto re = std::make_shared<RE2>(pattern, o);
    if (!re->ok()) {
        *reason = QStringLiteral("regex the linear-time engine cannot run (%1): %2")
                      .arg(QString::fromStdString(re->error()), QString::fromStdString(value));
        return false;
    }
    t.kind = ValueTest::Kind::Regex;
    t.regex = std::move(re);
    // Inline flags may turn on case folding anywhere: taken as ignoring case.
    t.regexLiteral = requiredRegexLiteral(value, m.reI || value.find("(?") != std::string::npos);
    t.display = display;
    return true;
}

bool scalarTest(const YAML::Node &v, const Modifiers &m, const QString &mods,
                std::vector<ValueTest> &group, FieldCondition &fc, QString *reason)
{
    if (!v.IsNull() && !v.IsScalar()) {
        *reason = QStringLiteral("field '%1': a value that is not a scalar")
                      .arg(QString::fromStdString(fc.field));
        return false;
    }
    const std::string value = v.IsNull() ? std::string() : v.Scalar();
    const QString display = displayOf(mods, value);
    ValueTest t;
    t.display = display;
    if (v.IsNull() && !m.exists) {
        t.kind = ValueTest::Kind::Null;
        t.display = QStringLiteral("is null");
    } else if (m.exists) {
        t.kind = ValueTest::Kind::Exists;
        t.exists = QString::fromStdString(value).toLower() == QLatin1String("true");
    } else if (m.re) {
        if (!regexTest(value, m, display, t, reason))
            return false;
    } else if (m.cidr) {
        const QString text = QString::fromStdString(value);
        const qsizetype slash = text.indexOf(QLatin1Char('/'));
        bool ok = slash > 0;
        t.prefix = ok ? text.mid(slash + 1).toInt(&ok) : 0;
        if (!ok || !parseIp(text.left(slash).toStdString(), t.network) || t.prefix < 0 ||
            t.prefix > int(t.network.size()) * 8) {
            *reason = QStringLiteral("bad CIDR '%1'").arg(text);
            return false;
        }
        t.kind = ValueTest::Kind::Cidr;
    } else if (m.compare) {
        bool ok = false;
        t.number = QString::fromStdString(value).toDouble(&ok);
        if (!ok) {
            *reason = QStringLiteral("'%1' is not a number").arg(QString::fromStdString(value));
            return false;
        }
        t.kind = ValueTest::Kind::Compare;
        t.cmp = m.cmp;
    } else if (m.fieldref) {
        t.kind = ValueTest::Kind::FieldRef;
        t.refMode = m.pos == Modifiers::Pos::Contains ? ValueTest::RefMode::Contains
                    : m.pos == Modifiers::Pos::Starts ? ValueTest::RefMode::StartsWith
                    : m.pos == Modifiers::Pos::Ends   ? ValueTest::RefMode::EndsWith
                                                      : ValueTest::RefMode::Equals;
        t.cased = m.cased;
        t.display = QStringLiteral("fieldref ") + QString::fromStdString(value);
        t.refName = value; // bound to a field id with the rule's target, like the field itself
        group.push_back(std::move(t));
        return true;
    } else {
        std::vector<SigmaString> variants;
        if (!transformValue(value, m, variants, reason))
            return false;
        for (SigmaString &s : variants) {
            if (m.pos == Modifiers::Pos::Contains || m.pos == Modifiers::Pos::Starts)
                s.append("*", '*');
            if (m.pos == Modifiers::Pos::Contains || m.pos == Modifiers::Pos::Ends) {
                SigmaString w;
                w.append("*", '*');
                w.bytes += s.bytes;
                w.kinds += s.kinds;
                s = std::move(w);
            }
            group.push_back(globTest(s, m.cased, display));
        }
        return true;
    }
    group.push_back(std::move(t));
    return true;
}

bool fieldCondition(const std::string &key, const YAML::Node &values, FieldCondition &fc,
                    QString *reason)
{
    QStringList parts = QString::fromStdString(key).split(QLatin1Char('|'));
    fc.field = parts.takeFirst().toStdString();
    fc.modifiers = parts.join(QLatin1Char('|'));
    Modifiers m;
    if (!readModifiers(parts, m, reason))
        return false;
    fc.all = m.all;
    std::vector<YAML::Node> list;
    if (values.IsSequence())
        for (const YAML::Node &v : values)
            list.push_back(v);
    else
        list.push_back(values);
    if (list.empty()) {
        *reason = QStringLiteral("field '%1' has an empty value list")
                      .arg(QString::fromStdString(fc.field));
        return false;
    }
    for (const YAML::Node &v : list) {
        std::vector<ValueTest> group;
        if (!scalarTest(v, m, fc.modifiers, group, fc, reason))
            return false;
        fc.groups.push_back(std::move(group));
    }
    return true;
}

bool keywordCondition(const YAML::Node &values, FieldCondition &fc, QString *reason)
{
    fc.modifiers = QStringLiteral("keyword");
    Modifiers m;
    m.pos = Modifiers::Pos::Contains;
    for (const YAML::Node &v : values) {
        if (!v.IsScalar()) {
            *reason = QStringLiteral("a keyword list holds a value that is not a string");
            return false;
        }
        std::vector<ValueTest> group;
        if (!scalarTest(v, m, QStringLiteral("keyword"), group, fc, reason))
            return false;
        fc.groups.push_back(std::move(group));
    }
    return true;
}

bool mapConditions(const YAML::Node &map, std::vector<FieldCondition> &out, QString *reason)
{
    for (auto it = map.begin(); it != map.end(); ++it) {
        FieldCondition fc;
        if (!fieldCondition(it->first.Scalar(), it->second, fc, reason))
            return false;
        if (!fc.all && !fc.field.empty())
            fc.list = LiteralList::make(fc.groups);
        out.push_back(std::move(fc));
    }
    return true;
}

bool readSearch(const std::string &name, const YAML::Node &node, Search &s, QString *reason)
{
    s.name = QString::fromStdString(name);
    if (node.IsMap()) {
        s.maps.emplace_back();
        return mapConditions(node, s.maps.back(), reason);
    }
    if (!node.IsSequence() || node.size() == 0) {
        *reason = QStringLiteral("detection item '%1' is neither a map nor a list").arg(s.name);
        return false;
    }
    bool allMaps = true, allScalars = true;
    for (const YAML::Node &item : node) {
        allMaps = allMaps && item.IsMap();
        allScalars = allScalars && item.IsScalar();
    }
    if (allScalars) {
        FieldCondition fc;
        if (!keywordCondition(node, fc, reason))
            return false;
        s.maps.push_back({std::move(fc)});
        return true;
    }
    if (!allMaps) {
        *reason = QStringLiteral("detection item '%1' mixes maps and values").arg(s.name);
        return false;
    }
    for (const YAML::Node &item : node) {
        s.maps.emplace_back();
        if (!mapConditions(item, s.maps.back(), reason))
            return false;
    }
    return true;
}

QString scalarText(const YAML::Node &n)
{
    return n && n.IsScalar() ? QString::fromStdString(n.Scalar()) : QString();
}

void readInfo(const YAML::Node &doc, const QString &path, RuleInfo &info)
{
    info.id = scalarText(doc["id"]);
    info.title = scalarText(doc["title"]);
    info.level = scalarText(doc["level"]).toLower();
    info.status = scalarText(doc["status"]);
    info.author = scalarText(doc["author"]).simplified();
    info.description = scalarText(doc["description"]).simplified();
    info.path = path;
    if (const YAML::Node tags = doc["tags"]; tags && tags.IsSequence())
        for (const YAML::Node &t : tags)
            if (t.IsScalar())
                info.tags << QString::fromStdString(t.Scalar());
    const QString license = scalarText(doc["license"]);
    const QString by = info.author.isEmpty() ? QStringLiteral("unknown author") : info.author;
    // SigmaHQ's rules ship without a licence key: their repository's DRL 1.1 covers them.
    if (!license.isEmpty())
        info.credit = QStringLiteral("rule by %1, %2").arg(by, license);
    else
        info.credit = QStringLiteral("rule by %1, SigmaHQ, DRL 1.1").arg(by);
}

bool readDetection(const YAML::Node &det, RuleDraft &out, QString *reason)
{
    if (!det || !det.IsMap()) {
        *reason = QStringLiteral("no detection map");
        return false;
    }
    QStringList conditions;
    for (auto it = det.begin(); it != det.end(); ++it) {
        const std::string key = it->first.Scalar();
        if (key == "condition") {
            if (it->second.IsSequence())
                for (const YAML::Node &c : it->second)
                    conditions << scalarText(c);
            else
                conditions << scalarText(it->second);
            continue;
        }
        if (key == "timeframe") {
            *reason = QStringLiteral("timeframe: a correlation over time");
            return false;
        }
        Search s;
        if (!readSearch(key, it->second, s, reason))
            return false;
        out.searches.push_back(std::move(s));
    }
    if (conditions.isEmpty() || conditions.contains(QString())) {
        *reason = QStringLiteral("no condition");
        return false;
    }
    out.condition = CondNode{CondNode::Op::Or, -1, {}};
    for (const QString &c : std::as_const(conditions)) {
        if (c.contains(QLatin1Char('|'))) {
            *reason = QStringLiteral("aggregation in the condition: %1").arg(c.simplified());
            return false;
        }
        CondNode node;
        if (!parseCondition(c, out.searches, node, reason))
            return false;
        out.condition.kids.push_back(std::move(node));
    }
    if (out.condition.kids.size() == 1) {
        CondNode only = std::move(out.condition.kids.front());
        out.condition = std::move(only);
    }
    return true;
}

} // namespace

bool parseRule(const QByteArray &yaml, const QString &path, RuleDraft &out, QString *reason)
{
    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        *reason = QStringLiteral("YAML: %1").arg(QString::fromStdString(e.what()));
        return false;
    }
    if (docs.empty() || !docs.front().IsMap()) {
        *reason = QStringLiteral("not a Sigma rule (no YAML map)");
        return false;
    }
    if (docs.size() > 1) {
        *reason = QStringLiteral("a multi-document rule collection");
        return false;
    }
    const YAML::Node &doc = docs.front();
    try {
        if (doc["correlation"] || scalarText(doc["type"]) == QLatin1String("correlation")) {
            *reason = QStringLiteral("a correlation rule");
            return false;
        }
        if (doc["filter"] || scalarText(doc["type"]) == QLatin1String("filter")) {
            *reason = QStringLiteral("a filter rule (meta rule)");
            return false;
        }
        readInfo(doc, path, out.info);
        if (out.info.title.isEmpty()) {
            *reason = QStringLiteral("no title");
            return false;
        }
        const YAML::Node ls = doc["logsource"];
        if (!ls || !ls.IsMap()) {
            *reason = QStringLiteral("no logsource");
            return false;
        }
        out.product = scalarText(ls["product"]);
        out.category = scalarText(ls["category"]);
        out.service = scalarText(ls["service"]);
        out.info.logsource =
            out.product + QLatin1Char('/') +
            (out.category.isEmpty() ? QStringLiteral("service:") + out.service : out.category);
        return readDetection(doc["detection"], out, reason);
    } catch (const YAML::Exception &e) {
        *reason = QStringLiteral("YAML: %1").arg(QString::fromStdString(e.what()));
        return false;
    }
}

} // namespace causa::sigma::detail
