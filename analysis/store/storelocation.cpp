#include "storelocation.h"

#include <QDir>
#include <QStandardPaths>
#include <QUrl>

namespace causa {

Result<StoreLocation> StoreLocation::parse(const QString &text)
{
    StoreLocation loc;
    if (text.startsWith(QLatin1String("postgresql://")) || text.startsWith(QLatin1String("postgres://"))) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty())
            return makeError(QStringLiteral("bad-store-url"),
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
        return loc;
    }
    if (text.isEmpty())
        return makeError(QStringLiteral("bad-store-path"), QStringLiteral("empty store path"));
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
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
}

} // namespace causa
