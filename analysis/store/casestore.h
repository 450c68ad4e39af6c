#pragma once

#include "core/result.h"
#include "sqldialect.h"
#include "storelocation.h"
#include "storetypes.h"

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
    // The calling thread's connection (opened on first use).
    Result<QSqlDatabase> connection() const;
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

    // Runs fn inside one transaction on the calling thread's connection; rolls back on error.
    Result<void> transaction(const std::function<Result<void>(QSqlDatabase &)> &fn);

private:
    CaseStore(StoreLocation location, SqlDialect dialect);
    Result<void> migrate();
    Result<QSqlDatabase> openConnection(const QString &name) const;

    StoreLocation m_location;
    SqlDialect m_dialect;
    QString m_connectionPrefix;
    int m_schemaVersion = 0;
};

} // namespace causa
