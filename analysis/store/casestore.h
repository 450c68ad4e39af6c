#pragma once

#include "core/result.h"
#include "sqldialect.h"
#include "storelocation.h"
#include "storetypes.h"

#include <QHash>
#include <QMutex>
#include <QSqlDatabase>

#include <functional>
#include <memory>
#include <vector>

namespace causa {

// The case store: owns the schema and every SQL statement that reads cases. Each thread gets its
// own connection; writes go through ImportSession or the domain services' transactions.
class CaseStore final
{
public:
    static Result<std::shared_ptr<CaseStore>> open(const StoreLocation &location);
    ~CaseStore();
    CaseStore(const CaseStore &) = delete;
    CaseStore &operator=(const CaseStore &) = delete;

    const StoreLocation &location() const { return m_location; }
    const SqlDialect &dialect() const { return m_dialect; }
    // The calling thread's connection (opened on first use). A PostgreSQL connection idle for a
    // while is checked first and reopened when the server dropped it (restart, admin kill).
    Result<QSqlDatabase> connection() const;
    // Closes and reopens the calling thread's connection, retrying while the server is
    // unreachable for up to reconnectWindowMs(); then a clear "store-connection" error.
    Result<QSqlDatabase> reconnect() const;
    // Runs fn(db) on the calling thread's connection; when the connection to the server was lost,
    // reconnects and runs it once more. Only for reads: fn may run twice.
    template<typename Fn>
    auto read(Fn &&fn) const -> decltype(fn(std::declval<QSqlDatabase &>()));
    int reconnectWindowMs() const { return m_reconnectWindowMs; }
    void setReconnectWindowMs(int ms) { m_reconnectWindowMs = ms; }
    int schemaVersion() const { return m_schemaVersion; }

    Result<std::vector<CaseSummary>> cases(const CaseFilter &filter = {}) const;
    // How many cases match the filter's text (limit/offset ignored).
    Result<qint64> countCases(const CaseFilter &filter = {}) const;
    Result<CaseSummary> caseSummary(qint64 caseId) const;
    // The id of the case imported from (source, source ref), or 0.
    Result<qint64> findCase(const QString &source, const QString &sourceRef) const;
    Result<std::vector<StoredAlert>> alertsOfCase(qint64 caseId) const;
    Result<std::vector<StoredProcess>> processesOfCase(qint64 caseId) const;
    Result<std::vector<CaseIndicator>> indicatorsOfCase(qint64 caseId) const;
    Result<StoreStats> stats() const;
    // Merges the case queue's full-text index into one segment (SQLite; nothing to do on
    // PostgreSQL). Imports that add many cases call optimizeCaseSearch() in their transaction.
    Result<void> optimizeSearchIndex();

    // Runs fn inside one transaction on the calling thread's connection; rolls back on error.
    // When the transaction fails before COMMIT because the connection dropped (it reconnects) or
    // the server broke a deadlock, fn runs again from the start: fn must not keep state from a
    // failed attempt. A connection lost during COMMIT is reported, never retried (the outcome
    // is unknown).
    Result<void> transaction(const std::function<Result<void>(QSqlDatabase &)> &fn);

private:
    CaseStore(StoreLocation location, SqlDialect dialect);
    Result<void> migrate();
    Result<QSqlDatabase> openConnection(const QString &name) const;
    Result<void> prepareSession(QSqlDatabase &db) const;
    QString threadConnectionName() const;
    static bool isConnectionLost(const Error &e);

    StoreLocation m_location;
    SqlDialect m_dialect;
    QString m_connectionPrefix;
    int m_schemaVersion = 0;
    int m_reconnectWindowMs = 15000;
    mutable QMutex m_useMutex;
    mutable QHash<QString, qint64> m_lastUse; // connection name -> monotonic ms of last hand-out
};

template<typename Fn>
auto CaseStore::read(Fn &&fn) const -> decltype(fn(std::declval<QSqlDatabase &>()))
{
    auto conn = connection();
    if (!conn)
        return conn.error();
    auto first = fn(conn.value());
    if (first || !isConnectionLost(first.error()))
        return first;
    auto again = reconnect();
    if (!again)
        return again.error();
    return fn(again.value());
}

} // namespace causa
