#include "storelocation.h"

#include "core/errorcodes.h"

#include <QDir>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

namespace causa {

namespace {

// The libpq parameters a store URL may carry (https://www.postgresql.org/docs/current/libpq-connect.html).
// Host, port, user, password and database come from the URL itself.
const QStringList &allowedOptions()
{
    static const QStringList keys{QStringLiteral("sslmode"),
                                  QStringLiteral("sslrootcert"),
                                  QStringLiteral("sslcert"),
                                  QStringLiteral("sslkey"),
                                  QStringLiteral("sslcrl"),
                                  QStringLiteral("sslcrldir"),
                                  QStringLiteral("sslsni"),
                                  QStringLiteral("ssl_min_protocol_version"),
                                  QStringLiteral("ssl_max_protocol_version"),
                                  QStringLiteral("channel_binding"),
                                  QStringLiteral("gssencmode"),
                                  QStringLiteral("requirepeer"),
                                  QStringLiteral("krbsrvname"),
                                  QStringLiteral("application_name"),
                                  QStringLiteral("target_session_attrs"),
                                  QStringLiteral("connect_timeout"),
                                  QStringLiteral("keepalives"),
                                  QStringLiteral("keepalives_idle"),
                                  QStringLiteral("keepalives_interval"),
                                  QStringLiteral("keepalives_count"),
                                  QStringLiteral("tcp_user_timeout")};
    return keys;
}

Result<QList<QPair<QString, QString>>> parseOptions(const QUrl &url, const QString &text)
{
    QList<QPair<QString, QString>> out;
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!allowedOptions().contains(key))
            return makeError(errc::kBadStoreUrl,
                             QStringLiteral("unknown PostgreSQL URL parameter \"%1\" (known: %2)")
                                 .arg(key, allowedOptions().join(QStringLiteral(", "))),
                             text);
        // Qt joins connect options with ";": a value holding one cannot be passed through.
        if (value.contains(QLatin1Char(';')) || value.contains(QChar(0)))
            return makeError(errc::kBadStoreUrl,
                             QStringLiteral("the URL parameter %1 may not contain ';'").arg(key),
                             text);
        static const QStringList modes{QStringLiteral("disable"),   QStringLiteral("allow"),
                                       QStringLiteral("prefer"),    QStringLiteral("require"),
                                       QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
        if (key == QLatin1String("sslmode") && !modes.contains(value))
            return makeError(errc::kBadStoreUrl,
                             QStringLiteral("sslmode must be one of %1, not \"%2\"")
                                 .arg(modes.join(QStringLiteral(", ")), value),
                             text);
        out.append({key, value});
    }
    return out;
}

// A conninfo value in single quotes, with \ and ' escaped (libpq's quoting).
QString quoted(QString value)
{
    value.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    value.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + value + QLatin1Char('\'');
}

} // namespace

Result<StoreLocation> StoreLocation::parse(const QString &text)
{
    StoreLocation loc;
    if (text.startsWith(QLatin1String("postgresql://")) ||
        text.startsWith(QLatin1String("postgres://"))) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty())
            return makeError(
                errc::kBadStoreUrl,
                QStringLiteral("not a valid PostgreSQL URL (postgresql://user@host:port/db)"),
                text);
        loc.kind = Kind::Postgres;
        loc.host = url.host();
        loc.port = url.port(5432);
        loc.user = url.userName();
        loc.password = url.password();
        if (loc.password.isEmpty())
            loc.password = qEnvironmentVariable("PGPASSWORD");
        loc.database = url.path().mid(1);
        if (loc.database.isEmpty())
            loc.database = QStringLiteral("causa");
        auto options = parseOptions(url, url.toString(QUrl::RemovePassword));
        if (!options)
            return options.error();
        loc.options = std::move(options.value());
        return loc;
    }
    if (text.isEmpty())
        return makeError(errc::kBadStorePath, QStringLiteral("empty store path"));
    if (text.startsWith(QLatin1String("sqlite://")))
        loc.path = text.mid(9);
    else
        loc.path = text;
    return loc;
}

StoreLocation StoreLocation::defaultLocation()
{
    StoreLocation loc;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/causa");
    loc.path = dir + QStringLiteral("/cases.sqlite");
    return loc;
}

QString StoreLocation::display() const
{
    if (kind == Kind::Sqlite)
        return path;
    QString out =
        QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
    QUrlQuery query;
    for (const auto &[key, value] : options)
        query.addQueryItem(key, value);
    if (!options.isEmpty())
        out += QLatin1Char('?') + query.toString(QUrl::FullyEncoded);
    return out;
}

QString StoreLocation::connectOptions() const
{
    QStringList parts;
    bool timeoutGiven = false;
    for (const auto &[key, value] : options) {
        parts << key + QLatin1Char('=') + quoted(value);
        timeoutGiven |= key == QLatin1String("connect_timeout");
    }
    if (!timeoutGiven)
        parts.prepend(QStringLiteral("connect_timeout=10"));
    return parts.join(QLatin1Char(';'));
}

QString StoreLocation::sslMode() const
{
    for (const auto &[key, value] : options)
        if (key == QLatin1String("sslmode"))
            return value;
    return {};
}

} // namespace causa
