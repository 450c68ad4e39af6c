#pragma once

#include "casestore.h"
#include "core/records.h"
#include "preparedstatement.h"

#include <QHash>
#include <QSet>
#include <QSqlQuery>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace causa {

// One import = one transaction: records go in through prepared statements and either all of
// them land (commit) or none (rollback, also on destruction). Re-importing adds nothing.
class ImportSession final
{
public:
    explicit ImportSession(CaseStore &store, QString actor = QStringLiteral("import"));
    ~ImportSession();
    ImportSession(const ImportSession &) = delete;
    ImportSession &operator=(const ImportSession &) = delete;

    Result<void> begin();
    // Returns the case's id, creating it when new.
    Result<qint64> upsertCase(const CaseRecord &c);
    Result<qint64> upsertEndpoint(const EndpointRecord &e);
    // Every endpoint this import wrote (or found) a row for.
    const QSet<qint64> &endpointsWritten() const { return m_endpointsWritten; }
    Result<qint64> upsertProcess(const ProcessRecord &p);
    // Adds an alert with its processes and indicators; an alert already stored is skipped.
    Result<void> addAlert(qint64 caseId, const AlertRecord &a);
    Result<void> addCaseIndicator(qint64 caseId, const IndicatorRecord &i);
    Result<void> addEvent(const EventRecord &e);
    // Refreshes the touched cases' aggregates, writes their audit entries, commits. After this
    // many new cases the queue's search index is merged too (sql::optimizeCaseSearch).
    static constexpr qsizetype kOptimizeSearchAfterCases = 1000;
    Result<void> commit(const QString &sourceName);
    void rollback();

    const ImportCounts &counts() const { return m_counts; }
    ImportCounts &counts() { return m_counts; }
    QSqlDatabase &database() { return m_db; }

private:
    Result<PreparedStatement *> statement(const char *name, const QString &sql);
    Result<qint64> insertOrFind(const char *insertName, const QString &insertSql,
                                const char *findName, const QString &findSql,
                                std::initializer_list<SqlValue> values,
                                std::initializer_list<SqlValue> key, bool *created);
    // Bounded caches: a huge import keeps memory flat by forgetting old ids (the store still
    // answers correctly, just a little slower).
    template<typename Hash>
    static void bound(Hash &h)
    {
        if (h.size() > 200000)
            h.clear();
    }

    CaseStore &m_store;
    QString m_actor;
    QSqlDatabase m_db;
    bool m_open = false;
    // std::less<> finds by const char * without building a std::string per lookup.
    std::map<std::string, std::unique_ptr<PreparedStatement>, std::less<>> m_statements;
    QHash<QString, qint64> m_caseIds;
    QSet<QString> m_caseIndicatorLinks;
    QHash<QString, qint64> m_endpointIds;
    QSet<qint64> m_endpointsWritten;
    QHash<QString, qint64> m_processIds;
    QHash<QString, qint64> m_indicatorIds;
    QHash<qint64, qint64> m_newAlertsPerCase;
    QSet<qint64> m_newCases;
    ImportCounts m_counts;
};

} // namespace causa
