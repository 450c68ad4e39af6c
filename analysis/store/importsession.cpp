#include "importsession.h"

#include "auditlog.h"
#include "core/errorcodes.h"
#include "core/indicatorutil.h"
#include "eventinsert.h"
#include "sqlutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <utility>

namespace causa {

ImportSession::ImportSession(CaseStore &store, QString actor)
    : m_store(store), m_actor(std::move(actor)),
      m_pendingLinks{
          "case_indicator.insert",
          "INSERT INTO case_indicators (case_id, indicator_id, context, as_written) VALUES ",
          4,
          {}},
      m_pendingAlertProcesses{"alert_process.insert",
                              "INSERT INTO alert_processes (alert_id, role, process_id) VALUES ",
                              3,
                              {}}
{}

ImportSession::~ImportSession()
{
    rollback();
}

Result<void> ImportSession::begin()
{
    auto conn = m_store.connection();
    if (!conn)
        return conn.error();
    m_db = conn.value();
    const QString begin = m_store.dialect().kind() == SqlDialect::Kind::Sqlite
                              ? QStringLiteral("BEGIN IMMEDIATE")
                              : QStringLiteral("BEGIN");
    if (auto r = sql::execText(m_db, begin); !r) {
        // The server dropped the connection since its last use: nothing is lost yet, reconnect once.
        if (r.error().code != errc::kStoreConnection)
            return r.error();
        auto again = m_store.reconnect();
        if (!again)
            return again.error();
        m_db = again.value();
        if (auto r2 = sql::execText(m_db, begin); !r2)
            return r2.error();
    }
    m_open = true;
    writeWithoutSecureDelete();
    return {};
}

// SQLite as Debian builds it (SECURE_DELETE) zeroes freed space, and with 64 KiB pages every page
// a B-tree split rebuilds is zeroed whole first: 4 GB of memset for 5,000 XDR alerts, 6% of the
// import's instructions. An import deletes nothing; what it frees is an earlier copy of a row it
// rewrites, never content an analyst removed. So it writes without, and the connection, which
// later serves deletes (evidence, settings), gets its own setting back when the import ends.
void ImportSession::writeWithoutSecureDelete()
{
    if (m_store.dialect().kind() != SqlDialect::Kind::Sqlite)
        return;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA secure_delete")) || !q.next())
        return;
    const int before = q.value(0).toInt();
    if (before != 0 && sql::execText(m_db, QStringLiteral("PRAGMA secure_delete=OFF")))
        m_secureDelete = before;
}

void ImportSession::restoreSecureDelete()
{
    if (m_secureDelete < 0)
        return;
    (void)sql::execText(m_db, QStringLiteral("PRAGMA secure_delete=%1").arg(m_secureDelete));
    m_secureDelete = -1;
}

void ImportSession::rollback()
{
    m_pendingLinks.values.clear();
    m_pendingAlertProcesses.values.clear();
    m_flushError = {};
    if (!m_open)
        return;
    m_statements.clear();
    (void)sql::execText(m_db, QStringLiteral("ROLLBACK"));
    restoreSecureDelete();
    m_open = false;
}

Result<PreparedStatement *> ImportSession::statement(const char *name, const QString &text)
{
    auto it = m_statements.find(std::string_view(name));
    if (it != m_statements.end())
        return it->second.get();
    auto q = PreparedStatement::prepare(m_db, text);
    if (!q)
        return q.error();
    PreparedStatement *raw = q.value().get();
    m_statements.emplace(name, std::move(q.value()));
    return raw;
}

Result<qint64> ImportSession::insertOrFind(const char *insertName, const QString &insertSql,
                                           const char *findName, const QString &findSql,
                                           std::initializer_list<SqlValue> values,
                                           std::initializer_list<SqlValue> key, bool *created)
{
    // SQLite answers the new row's id without RETURNING, which would gather the returned row
    // in a temporary table opened and closed for every INSERT.
    const bool sqlite = m_store.dialect().kind() == SqlDialect::Kind::Sqlite;
    auto ins =
        statement(insertName, sqlite ? insertSql : insertSql + QStringLiteral(" RETURNING id"));
    if (!ins)
        return ins.error();
    auto row = ins.value()->run(values);
    if (!row)
        return row.error();
    if (sqlite && ins.value()->changes() > 0) {
        *created = true;
        return ins.value()->lastInsertId();
    }
    if (row.value()) {
        const qint64 id = ins.value()->columnInt64(0);
        ins.value()->reset();
        *created = true;
        return id;
    }
    auto find = statement(findName, findSql);
    if (!find)
        return find.error();
    auto found = find.value()->run(key);
    if (!found)
        return found.error();
    if (!found.value())
        return makeError(errc::kSql, QStringLiteral("row vanished during import"),
                         QString::fromLatin1(findName));
    const qint64 id = find.value()->columnInt64(0);
    find.value()->reset();
    *created = false;
    return id;
}

Result<qint64> ImportSession::upsertCase(const CaseRecord &c)
{
    const QString cacheKey = c.source + QLatin1Char('|') + c.sourceRef;
    if (auto it = m_caseIds.constFind(cacheKey); it != m_caseIds.cend())
        return *it;
    bool created = false;
    const qint64 now = sql::nowMs();
    auto id = insertOrFind(
        "case.insert",
        QStringLiteral(
            "INSERT INTO cases (source, source_ref, title, description, severity, status, "
            "verdict, assignee, source_url, created_at, updated_at, search_pending) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) "
            "ON CONFLICT (source, source_ref) DO NOTHING"),
        "case.find", QStringLiteral("SELECT id FROM cases WHERE source = ? AND source_ref = ?"),
        {c.source, c.sourceRef, c.title, c.description, qint64(c.severity), c.status, c.verdict,
         c.assignee, c.sourceUrl, c.createdAt > 0 ? c.createdAt : now,
         c.updatedAt > 0 ? c.updatedAt : now},
        {c.source, c.sourceRef}, &created);
    if (!id)
        return id.error();
    if (created) {
        ++m_counts.cases;
        m_newCases.insert(id.value());
        auto h = statement(
            "severity_history.insert",
            QStringLiteral("INSERT INTO severity_history (case_id, severity, reason, changed_by, "
                           "changed_at) VALUES (?, ?, ?, ?, ?)"));
        if (!h)
            return h.error();
        if (auto r = h.value()->run({id.value(), qint64(c.severity), QStringLiteral("imported"),
                                     m_actor, c.createdAt > 0 ? c.createdAt : now});
            !r)
            return r.error();
    }
    bound(m_caseIds);
    m_caseIds.insert(cacheKey, id.value());
    return id;
}

Result<qint64> ImportSession::upsertEndpoint(const EndpointRecord &e)
{
    if (e.key.isEmpty())
        return qint64(0);
    if (auto it = m_endpointIds.constFind(e.key); it != m_endpointIds.cend())
        return *it;
    bool created = false;
    auto id = insertOrFind(
        "endpoint.insert",
        QStringLiteral("INSERT INTO endpoints (endpoint_key, host_name, agent_id, ips, os, domain) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (endpoint_key) DO NOTHING"),
        "endpoint.find", QStringLiteral("SELECT id FROM endpoints WHERE endpoint_key = ?"),
        {e.key, e.hostName, e.agentId, e.ips.join(QLatin1Char('\n')), e.os, e.domain}, {e.key},
        &created);
    if (!id)
        return id.error();
    bound(m_endpointIds);
    m_endpointIds.insert(e.key, id.value());
    m_endpointsWritten.insert(id.value());
    return id;
}

Result<qint64> ImportSession::upsertProcess(const ProcessRecord &p)
{
    if (auto it = m_processIds.constFind(p.key); it != m_processIds.cend())
        return *it;
    qint64 endpointId = 0;
    if (!p.endpointKey.isEmpty()) {
        EndpointRecord e;
        e.key = p.endpointKey;
        auto eid = upsertEndpoint(e);
        if (!eid)
            return eid.error();
        endpointId = eid.value();
    }
    bool created = false;
    auto id = insertOrFind(
        "process.insert",
        QStringLiteral(
            "INSERT INTO processes (process_key, parent_key, endpoint_id, image_name, "
            "image_path, command_line, pid, parent_pid, user_name, started_at, ended_at, md5, "
            "sha1, sha256, signature_status, signature_vendor, causality_id, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (process_key) DO NOTHING"),
        "process.find", QStringLiteral("SELECT id FROM processes WHERE process_key = ?"),
        {p.key, p.parentKey, endpointId > 0 ? SqlValue(endpointId) : SqlValue(), p.imageName,
         p.imagePath, p.commandLine, p.pid, p.parentPid, p.user, p.startedAt, p.endedAt, p.md5,
         p.sha1, p.sha256, p.signatureStatus, p.signatureVendor, p.causalityId, p.source},
        {p.key}, &created);
    if (!id)
        return id.error();
    if (created)
        ++m_counts.processes;
    bound(m_processIds);
    m_processIds.insert(p.key, id.value());
    return id;
}

Result<void> ImportSession::addCaseIndicator(qint64 caseId, const IndicatorRecord &i)
{
    m_indicatorKey.clear();
    m_indicatorKey.append(i.type).append(QLatin1Char('|')).append(i.value);
    qint64 indicatorId = m_indicatorIds.value(m_indicatorKey, 0);
    if (indicatorId == 0) {
        bool created = false;
        auto id = insertOrFind(
            "indicator.insert",
            QStringLiteral(
                "INSERT INTO indicators (type, value, internal, first_seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (type, value) DO NOTHING"),
            "indicator.find",
            QStringLiteral("SELECT id FROM indicators WHERE type = ? AND value = ?"),
            {i.type, i.value, qint64(i.internal ? 1 : 0), sql::nowMs()}, {i.type, i.value},
            &created);
        if (!id)
            return id.error();
        if (created)
            ++m_counts.indicators;
        indicatorId = id.value();
        bound(m_indicatorIds);
        m_indicatorIds.insert(m_indicatorKey, indicatorId);
    }
    const LinkKey link{caseId, indicatorId, contextId(i.context)};
    if (!m_caseIndicatorLinks.insert(link))
        return {};
    return queueRow(m_pendingLinks, {caseId, indicatorId, i.context, i.asWritten});
}

size_t ImportSession::LinkSet::slotOf(const LinkKey &k) const
{
    // splitmix64's finaliser over the three fields: ids come in runs, the slots must not.
    quint64 h = (quint64(k.caseId) * 0x9E3779B97F4A7C15ull) ^
                (quint64(k.indicatorId) + (quint64(quint32(k.context)) << 40));
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 31;
    return size_t(h) & (m_slots.size() - 1);
}

void ImportSession::LinkSet::grow()
{
    const size_t capacity = std::max<size_t>(1024, m_slots.size() * 2);
    std::vector<LinkKey> old = std::exchange(m_slots, std::vector<LinkKey>(capacity));
    for (const LinkKey &k : old) {
        if (k.caseId == 0)
            continue;
        size_t i = slotOf(k);
        while (m_slots[i].caseId != 0)
            i = (i + 1) & (m_slots.size() - 1);
        m_slots[i] = k;
    }
}

bool ImportSession::LinkSet::insert(const LinkKey &k)
{
    if (m_size >= kMaxLinks)
        clear();
    if ((m_size + 1) * 2 > m_slots.size())
        grow();
    size_t i = slotOf(k);
    while (m_slots[i].caseId != 0) {
        if (m_slots[i] == k)
            return false;
        i = (i + 1) & (m_slots.size() - 1);
    }
    m_slots[i] = k;
    ++m_size;
    return true;
}

void ImportSession::LinkSet::clear()
{
    std::fill(m_slots.begin(), m_slots.end(), LinkKey{0, 0, 0});
    m_size = 0;
}

int ImportSession::contextId(const QString &context)
{
    if (auto it = m_contextIds.constFind(context); it != m_contextIds.cend())
        return *it;
    // Contexts are a handful of names; should a hostile import bring many, forget the links
    // made with the old numbers too (the store still ignores links it already has).
    if (m_contextIds.size() > 10000) {
        m_contextIds.clear();
        m_caseIndicatorLinks.clear();
    }
    const int id = int(m_contextIds.size());
    m_contextIds.insert(context, id);
    return id;
}

Result<void> ImportSession::queueRow(PendingRows &pending, std::initializer_list<SqlValue> row)
{
    pending.values.insert(pending.values.end(), row.begin(), row.end());
    if (pending.rows() < kRowsPerInsert)
        return {};
    return flushRows(pending, kRowsPerInsert);
}

// Writes the pending rows in INSERTs of kRowsPerInsert rows; the rest too when minRows is 1.
Result<void> ImportSession::flushRows(PendingRows &pending, int minRows)
{
    const bool sqlite = m_store.dialect().kind() == SqlDialect::Kind::Sqlite;
    size_t done = 0;
    int left = pending.rows();
    while (left >= minRows && left > 0) {
        const int n = std::min(left, kRowsPerInsert);
        const std::string name = std::string(pending.table) + '.' + std::to_string(n);
        // SQLite: OR IGNORE (the values are never NULL) and the tables' deferred foreign keys
        // (migration 017) let the statement run without a statement journal.
        QString text =
            sqlite ? QStringLiteral("INSERT OR IGNORE") + QString::fromLatin1(pending.insert + 6)
                   : QString::fromLatin1(pending.insert);
        QString row = QStringLiteral("(?");
        for (int c = 1; c < pending.columns; ++c)
            row += QStringLiteral(", ?");
        row += QLatin1Char(')');
        for (int r = 0; r < n; ++r)
            text += (r ? QStringLiteral(", ") : QString()) + row;
        if (!sqlite)
            text += QStringLiteral(" ON CONFLICT DO NOTHING");
        auto st = statement(name.c_str(), text);
        if (!st)
            return st.error();
        const size_t count = size_t(n) * size_t(pending.columns);
        if (auto r =
                st.value()->run(std::span<const SqlValue>(pending.values.data() + done, count));
            !r)
            return r.error();
        done += count;
        left -= n;
    }
    pending.values.erase(pending.values.begin(), pending.values.begin() + qsizetype(done));
    return {};
}

Result<void> ImportSession::flush()
{
    if (!m_flushError.code.isEmpty())
        return m_flushError;
    if (auto r = flushRows(m_pendingAlertProcesses, 1); !r)
        return r;
    return flushRows(m_pendingLinks, 1);
}

QSqlDatabase &ImportSession::database()
{
    if (m_open && (!m_pendingLinks.values.empty() || !m_pendingAlertProcesses.values.empty())) {
        if (auto r = flush(); !r)
            m_flushError = r.error();
    }
    return m_db;
}

Result<void> ImportSession::addAlert(qint64 caseId, const AlertRecord &a)
{
    const auto endpointId = upsertEndpoint(a.endpoint);
    if (!endpointId)
        return endpointId.error();
    bool created = false;
    auto id = insertOrFind(
        "alert.insert",
        QStringLiteral(
            "INSERT INTO alerts (case_id, endpoint_id, alert_key, source, source_alert_id, "
            "external_id, name, category, description, severity, action, action_pretty, "
            "blocked, rule_id, detected_at, host_name, host_ip, user_name, mitre_tactics, "
            "mitre_techniques, remote_ip, remote_port, local_ip, external_hostname, raw) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (alert_key) DO NOTHING"),
        "alert.find", QStringLiteral("SELECT id FROM alerts WHERE alert_key = ?"),
        {caseId,
         endpointId.value() > 0 ? SqlValue(endpointId.value()) : SqlValue(),
         a.key,
         a.source,
         a.alertId,
         a.externalId,
         a.name,
         a.category,
         a.description,
         qint64(a.severity),
         a.action,
         a.actionPretty,
         qint64(a.blocked ? 1 : 0),
         a.ruleId,
         a.detectedAt,
         a.hostName,
         a.hostIp,
         a.user,
         a.mitreTactics.join(QLatin1Char('\n')),
         a.mitreTechniques.join(QLatin1Char('\n')),
         a.remoteIp,
         qint64(a.remotePort),
         a.localIp,
         a.externalHostname,
         Utf8Text{a.raw}},
        {a.key}, &created);
    if (!id)
        return id.error();
    if (!created) {
        ++m_counts.skipped;
        return {};
    }
    ++m_counts.alerts;
    ++m_newAlertsPerCase[caseId];
    for (const auto &[role, process] : a.processes) {
        auto pid = upsertProcess(process);
        if (!pid)
            return pid.error();
        if (auto r =
                queueRow(m_pendingAlertProcesses, {id.value(), processRoleName(role), pid.value()});
            !r)
            return r;
    }
    for (const IndicatorRecord &i : a.indicators) {
        if (auto r = addCaseIndicator(caseId, i); !r)
            return r;
    }
    return {};
}

Result<void> ImportSession::addEvent(const EventRecord &e)
{
    qint64 endpointId = 0;
    if (!e.endpointKey.isEmpty()) {
        EndpointRecord ep;
        ep.key = e.endpointKey;
        ep.hostName = e.hostName;
        auto eid = upsertEndpoint(ep);
        if (!eid)
            return eid.error();
        endpointId = eid.value();
    }
    auto ins = statement("event.insert", detail::insertEventSql());
    if (!ins)
        return ins.error();
    auto stored = statement("event.stored", detail::storedEventDataSql());
    if (!stored)
        return stored.error();
    auto added = detail::insertEvent({ins.value(), stored.value()}, e,
                                     endpointId > 0 ? SqlValue(endpointId) : SqlValue());
    if (!added)
        return added.error();
    if (added.value())
        ++m_counts.events;
    else
        ++m_counts.skipped;
    return {};
}

// A touched case's aggregates from its alerts, read in one pass: hosts and users in the order
// the alerts come (the order SELECT DISTINCT gave), then sorted as before.
Result<ImportSession::CaseAggregate> ImportSession::caseAggregate(qint64 caseId)
{
    auto agg = statement(
        "commit.alerts",
        QStringLiteral("SELECT host_name, user_name, severity FROM alerts WHERE case_id = ?"));
    if (!agg)
        return agg.error();
    PreparedStatement &q = *agg.value();
    CaseAggregate a;
    a.caseId = caseId;
    QStringList hosts, users;
    auto row = q.run({caseId});
    while (row && row.value()) {
        const QString h = q.columnText(0), u = q.columnText(1);
        if (!h.isEmpty() && !hosts.contains(h))
            hosts << h;
        if (!u.isEmpty() && !users.contains(u))
            users << u;
        const qint64 severity = q.columnInt64(2);
        a.maxSeverity = a.alerts++ == 0 ? severity : std::max(a.maxSeverity, severity);
        row = q.next();
    }
    if (!row)
        return row.error();
    hosts.sort(Qt::CaseInsensitive);
    users.sort(Qt::CaseInsensitive);
    a.hosts = hosts.join(QLatin1Char('\n'));
    a.users = users.join(QLatin1Char('\n'));
    return a;
}

// Writes the aggregates of up to kRowsPerInsert cases in one UPDATE ... FROM (VALUES ...): SQLite
// keeps a statement journal for an UPDATE that fires the search index's triggers, and with the
// store's 64 KiB pages that journal cost more per case than the update itself. It also indexes
// the import's new cases, inserted with search_pending = 1 (migration 018): every new case is
// among the touched ones, so none leaves the transaction unindexed.
Result<void> ImportSession::updateCases(std::vector<CaseAggregate> &cases)
{
    size_t done = 0;
    while (done < cases.size()) {
        const int n = int(std::min(cases.size() - done, size_t(kRowsPerInsert)));
        const std::string name = "commit.cases." + std::to_string(n);
        QString text = QStringLiteral(
            "UPDATE cases SET alert_count = v.column2, hosts = v.column3, users = v.column4, "
            "severity = CASE WHEN cases.severity = 0 THEN v.column5 ELSE cases.severity END, "
            "search_pending = 0 "
            "FROM (VALUES ");
        for (int r = 0; r < n; ++r)
            text +=
                QLatin1String(r ? ", " : "") +
                QStringLiteral(
                    "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER))");
        text += QStringLiteral(") AS v WHERE cases.id = v.column1");
        auto st = statement(name.c_str(), text);
        if (!st)
            return st.error();
        std::vector<SqlValue> values;
        values.reserve(size_t(n) * 5);
        for (int r = 0; r < n; ++r) {
            const CaseAggregate &a = cases[done + size_t(r)];
            values.insert(values.end(), {a.caseId, a.alerts, a.hosts, a.users, a.maxSeverity});
        }
        if (auto r = st.value()->run(std::span<const SqlValue>(values)); !r)
            return r.error();
        done += size_t(n);
    }
    cases.clear();
    return {};
}

Result<void> ImportSession::commit(const QString &sourceName)
{
    if (!m_open)
        return makeError(errc::kImport, QStringLiteral("no open import"));
    if (auto r = flush(); !r)
        return r;
    QSet<qint64> touched = m_newCases;
    for (auto it = m_newAlertsPerCase.cbegin(); it != m_newAlertsPerCase.cend(); ++it)
        touched.insert(it.key());
    QList<qint64> ordered(touched.cbegin(), touched.cend());
    audit::Appender auditor(m_db, audit::Appender::Heads::Deferred);
    std::sort(ordered.begin(), ordered.end());
    std::vector<CaseAggregate> pending;
    for (const qint64 caseId : ordered) {
        // Cases made from bare alerts take their severity from their worst alert (the UPDATE).
        auto agg = caseAggregate(caseId);
        if (!agg)
            return agg.error();
        pending.push_back(std::move(agg.value()));
        if (pending.size() >= size_t(kRowsPerInsert)) {
            if (auto r = updateCases(pending); !r)
                return r;
        }
        const QJsonObject payload{{QStringLiteral("source"), sourceName},
                                  {QStringLiteral("new_case"), m_newCases.contains(caseId)},
                                  {QStringLiteral("new_alerts"), m_newAlertsPerCase.value(caseId)}};
        auto entry = auditor.append(
            caseId, m_actor, QStringLiteral("import"),
            QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
        if (!entry)
            return entry.error();
    }
    if (auto r = updateCases(pending); !r)
        return r;
    if (auto r = auditor.writeHeads(); !r)
        return r;
    // A bulk import leaves the queue's search index fragmented; merge it in the same transaction.
    if (m_newCases.size() >= kOptimizeSearchAfterCases &&
        m_store.dialect().kind() == SqlDialect::Kind::Sqlite) {
        if (auto r = sql::optimizeCaseSearch(m_db); !r)
            return r;
    }
    m_statements.clear();
    if (auto r = sql::execText(m_db, QStringLiteral("COMMIT")); !r) {
        rollback();
        return r;
    }
    restoreSecureDelete();
    m_open = false;
    return {};
}

} // namespace causa
