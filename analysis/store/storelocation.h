#pragma once

#include "core/result.h"

#include <QList>
#include <QPair>
#include <QString>

namespace causa {

// Where a case store lives: an SQLite file, or a PostgreSQL server for a team.
struct StoreLocation
{
    enum class Kind
    {
        Sqlite,
        Postgres
    };
    Kind kind = Kind::Sqlite;
    QString path; // SQLite file
    QString host; // PostgreSQL
    int port = 5432;
    QString user;
    QString password; // never printed; from the URL or PGPASSWORD
    QString database;
    // libpq connection parameters from the URL's query, in order (sslmode, sslrootcert, ...).
    QList<QPair<QString, QString>> options;

    // "postgresql://user@host:port/db?sslmode=verify-full&sslrootcert=/etc/ca.pem" or a file
    // path. Unknown query parameters are refused rather than silently dropped.
    static Result<StoreLocation> parse(const QString &text);
    // $XDG_DATA_HOME/causa/cases.sqlite (QStandardPaths::AppDataLocation).
    static StoreLocation defaultLocation();
    // Printable form without password.
    QString display() const;
    // The options as Qt's QPSQL connect options ("key='value';..."), after connect_timeout.
    QString connectOptions() const;
    // The sslmode asked for ("" = libpq's default, prefer).
    QString sslMode() const;
};

} // namespace causa
