#include "preparedstatement.h"

#include "core/errorcodes.h"
#include "sqlutil.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QStringEncoder>
#include <QVariant>

#include <sqlite3.h>

namespace causa {

sqlite3 *PreparedStatement::sqliteHandle(const QSqlDatabase &db)
{
    if (!db.driver())
        return nullptr;
    const QVariant v = db.driver()->handle();
    if (v.isValid() && qstrcmp(v.typeName(), "sqlite3*") == 0)
        return *static_cast<sqlite3 *const *>(v.constData());
    return nullptr;
}

Result<std::unique_ptr<PreparedStatement>> PreparedStatement::prepare(QSqlDatabase &db,
                                                                      const QString &sql)
{
    std::unique_ptr<PreparedStatement> s(new PreparedStatement);
    s->m_sql = sql;
    s->m_db = sqliteHandle(db);
    if (s->m_db) {
        const QByteArray text = sql.toUtf8();
        if (sqlite3_prepare_v3(s->m_db, text.constData(), int(text.size()),
                               SQLITE_PREPARE_PERSISTENT, &s->m_stmt, nullptr) != SQLITE_OK)
            return makeError(errc::kSql, QString::fromUtf8(sqlite3_errmsg(s->m_db)),
                             sql.simplified().left(120));
        return s;
    }
    s->m_query = std::make_unique<QSqlQuery>(db);
    if (!s->m_query->prepare(sql))
        return sql::errorOf(*s->m_query, sql.simplified().left(120));
    return s;
}

PreparedStatement::~PreparedStatement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Result<bool> PreparedStatement::run(std::initializer_list<SqlValue> values)
{
    return run(std::span<const SqlValue>(values.begin(), values.size()));
}

Result<bool> PreparedStatement::run(std::span<const SqlValue> values)
{
    if (m_stmt) {
        sqlite3_reset(m_stmt);
        // Every text value is encoded into one buffer reused from run to run and bound without
        // a copy: two allocations per text value were a sixth of the import profile. The buffer
        // stays untouched until the next run(), which resets the statement first.
        size_t need = 0;
        for (const SqlValue &v : values)
            if (const auto *s = std::get_if<QString>(&v))
                need += size_t(s->size()) * 3 + 1;
        if (m_scratch.size() < need)
            m_scratch.resize(need);
        char *out = m_scratch.data();
        // Stateless: a lone surrogate becomes U+FFFD as with toUtf8(), never carried over.
        QStringEncoder utf8(QStringEncoder::Utf8, QStringConverter::Flag::Stateless);
        int i = 1;
        for (const SqlValue &v : values) {
            if (const auto *n = std::get_if<qint64>(&v)) {
                sqlite3_bind_int64(m_stmt, i, *n);
            } else if (const auto *s = std::get_if<QString>(&v)) {
                char *const start = out;
                out = utf8.appendToBuffer(out, *s);
                sqlite3_bind_text(m_stmt, i, start, int(out - start), SQLITE_STATIC);
            } else if (const auto *u = std::get_if<Utf8Text>(&v)) {
                // The caller's bytes outlive this run(); a null view still binds '' (NOT NULL).
                sqlite3_bind_text(m_stmt, i, u->bytes.data() ? u->bytes.data() : "",
                                  int(u->bytes.size()), SQLITE_STATIC);
            } else {
                sqlite3_bind_null(m_stmt, i);
            }
            ++i;
        }
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) {
            m_changes = sqlite3_changes(m_db);
            return true;
        }
        if (rc == SQLITE_DONE) {
            m_changes = sqlite3_changes(m_db);
            sqlite3_reset(m_stmt);
            return false;
        }
        const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
        sqlite3_reset(m_stmt);
        return makeError(errc::kSql, message, m_sql.simplified().left(120));
    }
    int i = 0;
    for (const SqlValue &v : values) {
        if (const auto *n = std::get_if<qint64>(&v))
            m_query->bindValue(i, *n);
        else if (const auto *s = std::get_if<QString>(&v))
            m_query->bindValue(i, s->isNull() ? QString(QLatin1String("")) : *s);
        else if (const auto *u = std::get_if<Utf8Text>(&v))
            m_query->bindValue(i,
                               QString::fromUtf8(u->bytes.data() ? u->bytes : QByteArrayView("")));
        else
            m_query->bindValue(i, QVariant(QMetaType(QMetaType::LongLong)));
        ++i;
    }
    if (!m_query->exec())
        return sql::errorOf(*m_query, m_sql.simplified().left(120));
    m_changes = m_query->numRowsAffected();
    return m_query->next();
}

Result<bool> PreparedStatement::next()
{
    if (m_stmt) {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        sqlite3_reset(m_stmt);
        if (rc == SQLITE_DONE)
            return false;
        return makeError(errc::kSql, QString::fromUtf8(sqlite3_errmsg(m_db)),
                         m_sql.simplified().left(120));
    }
    return m_query->next();
}

QString PreparedStatement::columnText(int column) const
{
    if (m_stmt) {
        const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
        return text ? QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column)) : QString();
    }
    return m_query->value(column).toString();
}

qint64 PreparedStatement::columnInt64(int column) const
{
    if (m_stmt)
        return sqlite3_column_int64(m_stmt, column);
    return m_query->value(column).toLongLong();
}

qint64 PreparedStatement::changes() const
{
    return m_changes;
}

qint64 PreparedStatement::lastInsertId() const
{
    return m_db ? sqlite3_last_insert_rowid(m_db) : 0;
}

void PreparedStatement::reset()
{
    if (m_stmt)
        sqlite3_reset(m_stmt);
    else if (m_query)
        m_query->finish();
}

} // namespace causa
