#pragma once

#include "core/result.h"

#include <QString>

namespace causa {

// Where a case store lives: an SQLite file, or a PostgreSQL server for a team.
struct StoreLocation
{
    enum class Kind { Sqlite, Postgres };
    Kind kind = Kind::Sqlite;
    QString path;      // SQLite file
    QString host;      // PostgreSQL
    int port = 5432;
    QString user;
    QString password;  // never printed; from the URL or PGPASSWORD
    QString database;

    // "postgresql://user@host:port/db" or a file path.
    static Result<StoreLocation> parse(const QString &text);
    // $XDG_DATA_HOME/causa/cases.sqlite (QStandardPaths::AppDataLocation).
    static StoreLocation defaultLocation();
    // Printable form without password.
    QString display() const;
};

} // namespace causa
