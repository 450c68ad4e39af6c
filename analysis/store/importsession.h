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
#include <vector>

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
    // Writes the case-indicator and alert-process links still waiting for their multi-row
    // INSERT. commit() and database() flush too; importers call it to report a failure where
    // it happened.
    Result<void> flush();
    // Refreshes the touched cases' aggregates, writes their audit entries, commits. After this
    // many new cases the queue's search index is merged too (sql::optimizeCaseSearch).
    static constexpr qsizetype kOptimizeSearchAfterCases = 1000;
    // Link rows per multi-row INSERT (4 columns: 512 placeholders, far below either store's limit).
    static constexpr int kRowsPerInsert = 128;
    Result<void> commit(const QString &sourceName);
    void rollback();

    const ImportCounts &counts() const { return m_counts; }
    ImportCounts &counts() { return m_counts; }
    // The import's connection, with every row added so far written (a flush failure is kept
    // and returned by commit()).
    QSqlDatabase &database();

private:
    Result<PreparedStatement *> statement(const char *name, const QString &sql);
    Result<qint64> insertOrFind(const char *insertName, const QString &insertSql,
                                const char *findName, const QString &findSql,
                                std::initializer_list<SqlValue> values,
                                std::initializer_list<SqlValue> key, bool *created);
    // Bounded caches: a huge import keeps memory flat by forgetting old ids (the store still
    // answers correctly, just a little slower).
    // Rows of one link table waiting for a multi-row INSERT (values row after row).
    struct PendingRows
    {
        const char *table;  // statement name prefix
        const char *insert; // "INSERT INTO t (a, b) VALUES "
        int columns;
        std::vector<SqlValue> values;
        int rows() const { return int(values.size()) / columns; }
    };
    Result<void> queueRow(PendingRows &pending, std::initializer_list<SqlValue> row);
    Result<void> flushRows(PendingRows &pending, int minRows);
    // A case-indicator link: (case, indicator, context) is the table's key.
    struct LinkKey
    {
        qint64 caseId; // 0 only in an empty LinkSet slot: store ids start at 1
        qint64 indicatorId;
        int context;
        bool operator==(const LinkKey &) const = default;
    };
    // The links this import already queued, in one open-addressing table (no allocation per
    // link, one cache line per lookup). Bounded: past kMaxLinks it starts again empty (the store
    // still ignores links it already has).
    class LinkSet
    {
    public:
        static constexpr size_t kMaxLinks = 200000;
        // False when k was already in the set.
        bool insert(const LinkKey &k);
        void clear();

    private:
        size_t slotOf(const LinkKey &k) const;
        void grow();
        std::vector<LinkKey> m_slots; // a power of two, at most half full
        size_t m_size = 0;
    };
    int contextId(const QString &context);
    // A touched case's aggregates, written back at commit.
    struct CaseAggregate
    {
        qint64 caseId = 0;
        qint64 alerts = 0;
        qint64 maxSeverity = 0;
        QString hosts, users; // "\n"-joined
    };
    Result<CaseAggregate> caseAggregate(qint64 caseId);
    Result<void> updateCases(std::vector<CaseAggregate> &cases);

    template<typename Hash>
    static void bound(Hash &h)
    {
        if (h.size() > 200000)
            h.clear();
    }

    void writeWithoutSecureDelete();
    void restoreSecureDelete();

    CaseStore &m_store;
    QString m_actor;
    QSqlDatabase m_db;
    bool m_open = false;
    int m_secureDelete = -1; // the connection's secure_delete before the import; -1: untouched
    // std::less<> finds by const char * without building a std::string per lookup.
    std::map<std::string, std::unique_ptr<PreparedStatement>, std::less<>> m_statements;
    QHash<QString, qint64> m_caseIds;
    LinkSet m_caseIndicatorLinks;
    QHash<QString, int> m_contextIds;
    QString m_indicatorKey; // scratch "type|value"
    PendingRows m_pendingLinks;
    PendingRows m_pendingAlertProcesses;
    Error m_flushError;
    QHash<QString, qint64> m_endpointIds;
    QSet<qint64> m_endpointsWritten;
    QHash<QString, qint64> m_processIds;
    QHash<QString, qint64> m_indicatorIds;
    QHash<qint64, qint64> m_newAlertsPerCase;
    QSet<qint64> m_newCases;
    ImportCounts m_counts;
};

} // namespace causa
