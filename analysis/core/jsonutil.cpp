#include "jsonutil.h"

#include "core/errorcodes.h"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

namespace causa::js {

std::string toStd(const QString &s)
{
    const QByteArray b = s.toUtf8();
    return std::string(b.constData(), size_t(b.size()));
}

QString toQString(const nlohmann::json &v)
{
    switch (v.type()) {
    case nlohmann::json::value_t::string: {
        const auto &s = v.get_ref<const std::string &>();
        return QString::fromUtf8(s.data(), qsizetype(s.size()));
    }
    case nlohmann::json::value_t::number_integer: return QString::number(v.get<qint64>());
    case nlohmann::json::value_t::number_unsigned: return QString::number(v.get<quint64>());
    case nlohmann::json::value_t::number_float: return QString::number(v.get<double>(), 'g', 17);
    case nlohmann::json::value_t::boolean:
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    case nlohmann::json::value_t::array: {
        QStringList parts;
        for (const auto &e : v) {
            const QString s = toQString(e);
            if (!s.isEmpty())
                parts << s;
        }
        return parts.join(QStringLiteral(", "));
    }
    default: return {};
    }
}

bool isPlaceholder(const QString &s)
{
    return s.isEmpty() || s == QLatin1String("N/A") || s == QLatin1String("None") ||
           s == QLatin1String("null");
}

QString str(const nlohmann::json &obj, const char *key)
{
    if (!obj.is_object())
        return {};
    const auto it = obj.find(key);
    if (it == obj.end())
        return {};
    QString s = toQString(*it).trimmed();
    return isPlaceholder(s) ? QString() : s;
}

qint64 int64(const nlohmann::json &obj, const char *key, qint64 fallback)
{
    if (!obj.is_object())
        return fallback;
    const auto it = obj.find(key);
    if (it == obj.end())
        return fallback;
    if (it->is_number_unsigned())
        return it->get<quint64>() <= quint64(std::numeric_limits<qint64>::max())
                   ? qint64(it->get<quint64>())
                   : fallback;
    if (it->is_number_integer())
        return it->get<qint64>();
    if (it->is_number_float()) {
        // A float outside qint64 (1.7e22 as a timestamp) has no integer value: the fallback, as
        // for any unusable field (converting it would be undefined behaviour; found by fuzz_xdr).
        const double d = it->get<double>();
        return std::isfinite(d) && d >= -9.2e18 && d <= 9.2e18 ? qint64(d) : fallback;
    }
    if (it->is_string()) {
        bool ok = false;
        const qint64 v = toQString(*it).trimmed().toLongLong(&ok);
        return ok ? v : fallback;
    }
    return fallback;
}

bool boolean(const nlohmann::json &obj, const char *key, bool fallback)
{
    if (!obj.is_object())
        return fallback;
    const auto it = obj.find(key);
    if (it == obj.end())
        return fallback;
    if (it->is_boolean())
        return it->get<bool>();
    const QString s = toQString(*it).toLower();
    if (s == QLatin1String("true") || s == QLatin1String("1") || s == QLatin1String("yes"))
        return true;
    if (s == QLatin1String("false") || s == QLatin1String("0") || s == QLatin1String("no"))
        return false;
    return fallback;
}

QStringList list(const nlohmann::json &obj, const char *key)
{
    QStringList out;
    if (!obj.is_object())
        return out;
    const auto it = obj.find(key);
    if (it == obj.end())
        return out;
    auto addText = [&out](const QString &text) {
        for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString t = part.trimmed();
            if (!isPlaceholder(t) && !out.contains(t))
                out << t;
        }
    };
    if (it->is_array()) {
        for (const auto &e : *it)
            addText(toQString(e));
    } else {
        addText(toQString(*it));
    }
    return out;
}

qint64 findExcessiveNesting(const char *data, qint64 size, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (qint64 i = 0; i < size; ++i) {
        const char c = data[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"': inString = true; break;
        case '[':
        case '{':
            if (++depth > maxDepth)
                return i;
            break;
        case ']':
        case '}': --depth; break;
        default: break;
        }
    }
    return -1;
}

Result<nlohmann::json> parseDocument(const QByteArray &bytes, const QString &fileName, int maxDepth)
{
    if (bytes.trimmed().isEmpty())
        return makeError(errc::kEmpty, QStringLiteral("the file is empty"), fileName);
    const qint64 deep = findExcessiveNesting(bytes.constData(), bytes.size(), maxDepth);
    if (deep >= 0)
        return makeError(errc::kTooDeep,
                         QStringLiteral("JSON nesting deeper than %1 levels").arg(maxDepth),
                         QStringLiteral("%1: byte %2").arg(fileName).arg(deep));
    try {
        return nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size());
    } catch (const nlohmann::json::parse_error &e) {
        // e.byte is 1-based position of the error.
        QString what = QString::fromUtf8(e.what());
        const qsizetype colon = what.indexOf(QLatin1String(": syntax error"));
        if (colon >= 0)
            what = what.mid(colon + 2);
        return makeError(errc::kBadJson, what,
                         QStringLiteral("%1: byte %2").arg(fileName).arg(qint64(e.byte)));
    } catch (const nlohmann::json::exception &e) {
        // Numbers beyond double and the like: a clear error, never an escaped exception.
        return makeError(errc::kBadJson, QString::fromUtf8(e.what()), fileName);
    }
}

} // namespace causa::js
