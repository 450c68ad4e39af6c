#pragma once

#include "core/result.h"

#include <QByteArrayView>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <memory>
#include <span>
#include <string>
#include <variant>

struct sqlite3;
struct sqlite3_stmt;

namespace causa {

// Text that is already valid UTF-8 (e.g. a record's bytes that a JSON parser accepted): SQLite
// binds it as is, skipping a UTF-8 -> UTF-16 -> UTF-8 round trip of large payloads.
struct Utf8Text
{
    QByteArrayView bytes;
};

// A value bound to a statement without going through QVariant.
using SqlValue = std::variant<std::monostate, qint64, QString, Utf8Text>;

// One prepared statement for hot import paths. On SQLite it talks to the sqlite3 handle that
// Qt's driver owns (same connection, same transaction) and skips QtSql's per-call overhead;
// on PostgreSQL it is a plain QSqlQuery. The SQL text is the same for both.
class PreparedStatement final
{
public:
    static Result<std::unique_ptr<PreparedStatement>> prepare(QSqlDatabase &db, const QString &sql);
    ~PreparedStatement();

    // Binds values (index 0 = first placeholder) and runs; returns true when a row came back.
    Result<bool> run(std::initializer_list<SqlValue> values);
    // Same for values gathered at run time (a multi-row INSERT's rows, one after another).
    Result<bool> run(std::span<const SqlValue> values);
    // Steps to the next row of a SELECT after run() returned true.
    Result<bool> next();
    qint64 columnInt64(int column) const;
    QString columnText(int column) const;
    // Rows changed by the last run (INSERT … ON CONFLICT DO NOTHING: 0 when it already existed).
    qint64 changes() const;
    // The rowid of the connection's last INSERT (SQLite only; 0 on other stores).
    qint64 lastInsertId() const;
    // Frees the statement's cursor so the connection can commit.
    void reset();

    // The raw sqlite3 handle of a QSQLITE connection, or nullptr.
    static sqlite3 *sqliteHandle(const QSqlDatabase &db);

private:
    PreparedStatement() = default;
    QString m_sql;
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    std::unique_ptr<QSqlQuery> m_query;
    qint64 m_changes = 0;
    std::string m_scratch;
};

} // namespace causa
