#include "eventfields.h"

#include <QHash>

#include <nlohmann/json.hpp>

namespace causa::events {

const nlohmann::json *field(const nlohmann::json &obj, const char *key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return nullptr;
    return &*it;
}

std::string_view view(const nlohmann::json &obj, const char *key)
{
    const nlohmann::json *v = field(obj, key);
    if (!v || !v->is_string())
        return {};
    const auto &s = v->get_ref<const std::string &>();
    return std::string_view(s);
}

QString text(const nlohmann::json &obj, const char *key)
{
    const nlohmann::json *v = field(obj, key);
    if (!v)
        return {};
    if (v->is_string()) {
        const auto &s = v->get_ref<const std::string &>();
        return QString::fromUtf8(s.data(), qsizetype(s.size()));
    }
    if (v->is_number_integer())
        return QString::number(v->get<qint64>());
    if (v->is_number_unsigned())
        return QString::number(v->get<quint64>());
    if (v->is_number_float())
        return QString::number(v->get<double>());
    if (v->is_boolean())
        return v->get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromStdString(v->dump());
}

qint64 parseNumber(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    if (s.empty())
        return -1;
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s.remove_prefix(2);
    }
    qint64 v = 0;
    for (const char c : s) {
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        if (v > (qint64(1) << 56))
            return -1;
        v = v * base + d;
    }
    return v;
}

qint64 pidValue(const nlohmann::json &obj, const char *key)
{
    const nlohmann::json *v = field(obj, key);
    if (!v)
        return -1;
    if (v->is_number_integer() || v->is_number_unsigned())
        return v->get<qint64>();
    if (v->is_string())
        return parseNumber(v->get_ref<const std::string &>());
    return -1;
}

namespace {

int digits(std::string_view s, size_t pos, size_t n, bool *ok)
{
    if (pos + n > s.size()) {
        *ok = false;
        return 0;
    }
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        const char c = s[i];
        if (c < '0' || c > '9') {
            *ok = false;
            return 0;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

// Howard Hinnant's days_from_civil.
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

} // namespace

namespace {

// The zone after a time's seconds (and fraction): "Z", "+02:00", "-0400", "+05". Returns false
// for anything else, which is no zone: a time is then as the exporter wrote it.
bool readZone(std::string_view zone, qint64 *offsetMs)
{
    *offsetMs = 0;
    if (zone == "Z" || zone == "z")
        return true;
    if (zone.size() < 3 || (zone[0] != '+' && zone[0] != '-'))
        return false;
    bool ok = true;
    const int h = digits(zone, 1, 2, &ok);
    int m = 0;
    if (zone.size() == 6 && zone[3] == ':')
        m = digits(zone, 4, 2, &ok);
    else if (zone.size() == 5)
        m = digits(zone, 3, 2, &ok);
    else if (zone.size() != 3)
        return false;
    if (!ok || h > 14 || m > 59)
        return false;
    *offsetMs = (zone[0] == '-' ? -1 : 1) * (qint64(h) * 60 + m) * 60000;
    return true;
}

} // namespace

TimeText parseTime(std::string_view s)
{
    bool ok = true;
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
        s[13] != ':' || s[16] != ':')
        return {};
    const int y = digits(s, 0, 4, &ok), mo = digits(s, 5, 2, &ok), d = digits(s, 8, 2, &ok);
    const int h = digits(s, 11, 2, &ok), mi = digits(s, 14, 2, &ok), se = digits(s, 17, 2, &ok);
    if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return {};
    int ms = 0;
    size_t end = 19;
    if (s.size() > 20 && s[19] == '.') {
        int scale = 100;
        for (end = 20; end < s.size() && s[end] >= '0' && s[end] <= '9'; ++end) {
            ms += (s[end] - '0') * scale;
            scale /= 10;
        }
    }
    const qint64 days = daysFromCivil(y, unsigned(mo), unsigned(d));
    TimeText t;
    t.ms = ((days * 24 + h) * 60 + mi) * 60000 + qint64(se) * 1000 + ms;
    qint64 offset = 0;
    if (end < s.size() && readZone(s.substr(end), &offset)) {
        t.zoned = true;
        t.ms -= offset; // 10:00-04:00 is 14:00 UTC
    }
    return t;
}

qint64 parseTimeMs(std::string_view s)
{
    return parseTime(s).ms;
}

QString undoublePercent(const QString &s)
{
    if (!s.contains(QLatin1String("%%")))
        return s;
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s.at(i) == QLatin1Char('%') && i + 1 < s.size() && s.at(i + 1) == QLatin1Char('%') &&
            !(i + 2 < s.size() && s.at(i + 2).isDigit())) {
            out += QLatin1Char('%');
            ++i;
            continue;
        }
        out += s.at(i);
    }
    return out;
}

QString decodeMessageCodes(const QString &s)
{
    if (!s.contains(QLatin1String("%%")))
        return s;
    static const QHash<int, QString> codes = {
        {1537, QStringLiteral("DELETE")},
        {1538, QStringLiteral("READ_CONTROL")},
        {1539, QStringLiteral("WRITE_DAC")},
        {1540, QStringLiteral("WRITE_OWNER")},
        {1541, QStringLiteral("SYNCHRONIZE")},
        {1542, QStringLiteral("ACCESS_SYS_SEC")},
        {1832, QStringLiteral("Identification")},
        {1833, QStringLiteral("Impersonation")},
        {1840, QStringLiteral("Delegation")},
        {1842, QStringLiteral("Yes")},
        {1843, QStringLiteral("No")},
        {1936, QStringLiteral("TokenElevationTypeDefault")},
        {1937, QStringLiteral("TokenElevationTypeFull")},
        {1938, QStringLiteral("TokenElevationTypeLimited")},
        {4416, QStringLiteral("ReadData")},
        {4417, QStringLiteral("WriteData")},
        {4418, QStringLiteral("AppendData")},
        {4419, QStringLiteral("ReadEA")},
        {4420, QStringLiteral("WriteEA")},
        {4421, QStringLiteral("Execute")},
        {4423, QStringLiteral("ReadAttributes")},
        {4424, QStringLiteral("WriteAttributes")},
    };
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size();) {
        if (s.at(i) == QLatin1Char('%') && i + 2 < s.size() && s.at(i + 1) == QLatin1Char('%') &&
            s.at(i + 2).isDigit()) {
            qsizetype j = i + 2;
            while (j < s.size() && s.at(j).isDigit())
                ++j;
            const int code = s.mid(i + 2, j - i - 2).toInt();
            const auto it = codes.constFind(code);
            out += it != codes.cend() ? *it : s.mid(i, j - i);
            i = j;
            continue;
        }
        out += s.at(i);
        ++i;
    }
    return out;
}

QString fileNameOf(const QString &path)
{
    const qsizetype slash =
        std::max(path.lastIndexOf(QLatin1Char('\\')), path.lastIndexOf(QLatin1Char('/')));
    return slash >= 0 ? path.mid(slash + 1) : path;
}

} // namespace causa::events
