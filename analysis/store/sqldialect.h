#pragma once

#include <QString>

namespace causa {

// Every difference between SQLite and PostgreSQL SQL lives here.
class SqlDialect
{
public:
    enum class Kind
    {
        Sqlite,
        Postgres
    };
    explicit SqlDialect(Kind kind) : m_kind(kind) {}

    Kind kind() const { return m_kind; }
    QString driverName() const;
    // Fills {{ID}} and {{BLOB}} in portable schema text.
    QString fill(const QString &sql) const;
    // Case-insensitive LIKE operator.
    QString ilike() const;

private:
    Kind m_kind;
};

} // namespace causa
