#include "casestore.h"

#include "casesearch.h"
#include "core/errorcodes.h"
#include "core/logging.h"
#include "sqlutil.h"

#include <QAtomicInteger>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <sqlite3.h>

namespace causa {

namespace {

// SQLite keeps allocation statistics by default, behind one process-wide mutex taken on
// every malloc and free: 2-3% of a large import. Causa never reads them. This only works
// before SQLite's first use in the process; later calls are refused and change nothing.
void configureSqliteOnce()
{
    static const bool done = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)done;
}

QAtomicInteger<quint64> s_storeCounter;
// A PostgreSQL connection unused this long is pinged before it is handed out again.
constexpr qint64 kIdleCheckMs = 2000;
// One try plus retries of a transaction that failed before COMMIT for a transient reason.
constexpr int kTransactionAttempts = 4;

QStringList splitList(const QString &s)
{
    return s.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

// The schema migrations shipped in resources/schema, in order: "001_init.sql", ...
QStringList migrationFiles()
{
    QDir dir(QStringLiteral(":/causa/schema"));
    QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    return files;
}

// Splits a migration into statements: ";" at a line end closes one, except inside a
// CREATE TRIGGER … BEGIN … END; block. Comment lines are dropped.
QStringList splitStatements(const QString &text)
{
    QStringList out;
    QString current;
    bool inTrigger = false;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const QString t = line.trimmed();
        if (t.startsWith(QLatin1String("--")) || (t.isEmpty() && current.isEmpty()))
            continue;
        if (current.isEmpty() && t.startsWith(QLatin1String("CREATE TRIGGER"), Qt::CaseInsensitive))
            inTrigger = true;
        current += line + QLatin1Char('\n');
        const bool ends = inTrigger ? t.compare(QLatin1String("END;"), Qt::CaseInsensitive) == 0
                                    : t.endsWith(QLatin1Char(';'));
        if (ends) {
            QString stmt = current.trimmed();
            if (!inTrigger)
                stmt.chop(1);
            out << stmt;
            current.clear();
            inTrigger = false;
        }
    }
    if (!current.trimmed().isEmpty())
        out << current.trimmed();
    return out;
}

CaseSummary readCaseSummary(const QSqlQuery &q)
{
    CaseSummary c;
    c.id = q.value(0).toLongLong();
    c.source = q.value(1).toString();
    c.sourceRef = q.value(2).toString();
    c.title = q.value(3).toString();
    c.severity = static_cast<Severity>(q.value(4).toInt());
    c.status = q.value(5).toString();
    c.verdict = q.value(6).toString();
    c.assignee = q.value(7).toString();
    c.tlp = q.value(8).toString();
    c.hosts = splitList(q.value(9).toString());
    c.users = splitList(q.value(10).toString());
    c.alertCount = q.value(11).toLongLong();
    c.createdAt = q.value(12).toLongLong();
    c.updatedAt = q.value(13).toLongLong();
    c.rowVersion = q.value(14).toInt();
    c.pap = q.value(15).toString();
    c.resolutionNote = q.value(16).toString();
    return c;
}

const char *kCaseColumns =
    "id, source, source_ref, title, severity, status, verdict, assignee, tlp, "
    "hosts, users, alert_count, created_at, updated_at, row_version, pap, resolution_note";

} // namespace

CaseStore::CaseStore(StoreLocation location, SqlDialect dialect)
    : m_location(std::move(location)), m_dialect(dialect),
      m_connectionPrefix(
          QStringLiteral("causa-store-%1-").arg(s_storeCounter.fetchAndAddOrdered(1)))
{
    // How long a dropped server connection is retried before the error is reported.
    bool ok = false;
    const int window = qEnvironmentVariableIntValue("CAUSA_STORE_RECONNECT_MS", &ok);
    if (ok && window >= 0)
        m_reconnectWindowMs = window;
}

CaseStore::~CaseStore()
{
    // Connections of other threads are closed when those threads end their work; ours goes now.
    const QStringList names = QSqlDatabase::connectionNames();
    for (const QString &name : names) {
        if (name.startsWith(m_connectionPrefix))
            QSqlDatabase::removeDatabase(name); // the driver closes the connection
    }
}

Result<std::shared_ptr<CaseStore>> CaseStore::open(const StoreLocation &location)
{
    const SqlDialect dialect(location.kind == StoreLocation::Kind::Sqlite
                                 ? SqlDialect::Kind::Sqlite
                                 : SqlDialect::Kind::Postgres);
    if (!QSqlDatabase::isDriverAvailable(dialect.driverName()))
        return makeError(errc::kNoDriver,
                         QStringLiteral("the Qt SQL driver %1 is not installed (Debian: %2)")
                             .arg(dialect.driverName(), dialect.kind() == SqlDialect::Kind::Sqlite
                                                            ? QStringLiteral("libqt6sql6-sqlite")
                                                            : QStringLiteral("libqt6sql6-psql")),
                         location.display());
    if (location.kind == StoreLocation::Kind::Sqlite) {
        configureSqliteOnce();
        const QFileInfo fi(location.path);
        if (!QDir().mkpath(fi.absolutePath()))
            return makeError(errc::kStorePath,
                             QStringLiteral("cannot create the folder %1").arg(fi.absolutePath()));
    }
    std::shared_ptr<CaseStore> store(new CaseStore(location, dialect));
    const auto db = store->connection();
    if (!db)
        return db.error();
    if (auto m = store->migrate(); !m)
        return m.error();
    return store;
}

Result<QSqlDatabase> CaseStore::openConnection(const QString &name) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(m_dialect.driverName(), name);
    if (m_location.kind == StoreLocation::Kind::Sqlite) {
        db.setDatabaseName(m_location.path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    } else {
        db.setHostName(m_location.host);
        db.setPort(m_location.port);
        db.setUserName(m_location.user);
        db.setPassword(m_location.password);
        db.setDatabaseName(m_location.database);
        db.setConnectOptions(m_location.connectOptions());
    }
    if (!db.open()) {
        const QString message = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        // A refused login is told apart so that a GUI can ask for the password and try again.
        static const QRegularExpression authFailure(
            QStringLiteral(
                "password authentication failed|no password supplied|authentication failed"),
            QRegularExpression::CaseInsensitiveOption);
        const bool auth = m_location.kind == StoreLocation::Kind::Postgres &&
                          authFailure.match(message).hasMatch();
        if (m_location.kind == StoreLocation::Kind::Postgres &&
            message.contains(QLatin1String("does not support SSL"), Qt::CaseInsensitive))
            return makeError(
                errc::kStoreTls,
                QStringLiteral(
                    "cannot open the case store: the URL requires TLS (sslmode=%1) but the "
                    "server at %2:%3 does not offer it; nothing was sent in the clear (%4)")
                    .arg(m_location.sslMode(), m_location.host)
                    .arg(m_location.port)
                    .arg(message.trimmed()),
                m_location.display());
        return makeError(auth ? errc::kStoreAuth : errc::kStoreOpen,
                         QStringLiteral("cannot open the case store: %1").arg(message),
                         m_location.display());
    }
    if (auto r = prepareSession(db); !r)
        return r.error();
    return db;
}

Result<void> CaseStore::prepareSession(QSqlDatabase &db) const
{
    if (m_location.kind == StoreLocation::Kind::Sqlite) {
        // page_size only takes effect on a new, empty file (before WAL is on). 64 KiB pages cut
        // the WAL frames a bulk import writes (one header + one page write each) and the B-tree
        // depth. Reads go through a memory map (SQLite still writes with write(), so kill -9
        // safety is unchanged): a reader's first lookups then cost no 64 KiB copy per page, which
        // large pages would otherwise make slow for the queue filter.
        for (const char *pragma :
             {"PRAGMA page_size=65536", "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON",
              "PRAGMA synchronous=NORMAL", "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-65536",
              "PRAGMA mmap_size=1073741824"}) {
            if (auto r = sql::execText(db, QString::fromLatin1(pragma)); !r)
                return r.error();
        }
        return {};
    }
    return sql::execText(db, QStringLiteral("SET client_min_messages TO WARNING"));
}

namespace {

// Connection names must never be reused by another thread. Thread ids are: when a pool thread
// ends (a workbench window closed, a pool thread expired), the next thread often gets the same
// id and then found the dead thread's connection under its name ("database does not belong to
// the calling thread"). A per-thread serial number is unique for the life of the process, and the
// thread removes its own connections when it ends.
struct ThreadConnections
{
    quint64 serial = 0;
    QStringList names;
    ~ThreadConnections()
    {
        // A store closed before this thread ended has removed them already (then nothing happens).
        for (const QString &name : std::as_const(names))
            QSqlDatabase::removeDatabase(name);
    }
};

ThreadConnections &threadConnections()
{
    static QAtomicInteger<quint64> s_nextSerial{0};
    thread_local ThreadConnections connections{++s_nextSerial, {}};
    return connections;
}

} // namespace

QString CaseStore::threadConnectionName() const
{
    ThreadConnections &mine = threadConnections();
    QString name = m_connectionPrefix + QString::number(mine.serial);
    if (!mine.names.contains(name))
        mine.names << name;
    return name;
}

bool CaseStore::isConnectionLost(const Error &e)
{
    return e.code == errc::kStoreConnection;
}

Result<QSqlDatabase> CaseStore::connection() const
{
    const QString name = threadConnectionName();
    if (!QSqlDatabase::contains(name))
        return openConnection(name);
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (!db.isOpen())
        return reconnect();
    if (m_dialect.kind() == SqlDialect::Kind::Postgres) {
        // A server restart or an admin's pg_terminate_backend leaves the socket looking open until
        // the next query fails. After a pause, a cheap round trip finds out before real work does.
        static const QElapsedTimer clock = [] {
            QElapsedTimer t;
            t.start();
            return t;
        }();
        const qint64 now = clock.elapsed();
        qint64 last = 0;
        {
            QMutexLocker lock(&m_useMutex);
            last = m_lastUse.value(name, now);
            m_lastUse.insert(name, now);
        }
        if (now - last > kIdleCheckMs) {
            QSqlQuery ping(db);
            if (!ping.exec(QStringLiteral("SELECT 1")) &&
                sql::isConnectionError(ping.lastError())) {
                qCWarning(lcStore) << "case store connection dropped while idle; reconnecting";
                return reconnect();
            }
        }
    }
    return db;
}

Result<QSqlDatabase> CaseStore::reconnect() const
{
    const QString name = threadConnectionName();
    if (!QSqlDatabase::contains(name))
        return openConnection(name);
    QElapsedTimer waited;
    waited.start();
    int delayMs = 50;
    for (int attempt = 1;; ++attempt) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        db.close();
        if (db.open()) {
            if (auto r = prepareSession(db); !r)
                return r.error();
            if (attempt > 1)
                qCInfo(lcStore) << "reconnected to the case store after" << waited.elapsed()
                                << "ms";
            return db;
        }
        const QString problem = db.lastError().text().simplified();
        if (waited.elapsed() >= m_reconnectWindowMs)
            return makeError(
                errc::kStoreConnection,
                QStringLiteral(
                    "the case store server is unreachable (tried %1 times over %2 s): %3")
                    .arg(attempt)
                    .arg(double(waited.elapsed()) / 1000.0, 0, 'f', 1)
                    .arg(problem),
                m_location.display());
        QThread::msleep(ulong(std::min<qint64>(
            delayMs, std::max<qint64>(1, m_reconnectWindowMs - waited.elapsed()))));
        delayMs = std::min(delayMs * 2, 1000);
    }
}

Result<void> CaseStore::migrate()
{
    auto conn = connection();
    if (!conn)
        return conn.error();
    QSqlDatabase db = conn.value();
    if (auto r =
            sql::execText(db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                             "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                             "applied_at BIGINT NOT NULL)"));
        !r)
        return r.error();
    // Applied versions as a set, not a maximum: a store that already has 010 still gets a 004
    // written later (branches land in any order).
    QSet<int> appliedVersions;
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT version FROM schema_migrations")))
            return sql::errorOf(q, QStringLiteral("reading the schema version"));
        while (q.next())
            appliedVersions.insert(q.value(0).toInt());
    }
    int current = 0;
    for (int v : appliedVersions)
        current = std::max(current, v);
    const QString ownSuffix = m_dialect.kind() == SqlDialect::Kind::Sqlite
                                  ? QStringLiteral(".sqlite.sql")
                                  : QStringLiteral(".postgres.sql");
    for (const QString &file : migrationFiles()) {
        const int version = file.left(3).toInt();
        if (appliedVersions.contains(version))
            continue;
        // "NNN_name.sql" is portable; "NNN_name.sqlite.sql" / ".postgres.sql" belong to one dialect.
        const bool dialectSpecific = file.endsWith(QLatin1String(".sqlite.sql")) ||
                                     file.endsWith(QLatin1String(".postgres.sql"));
        if (dialectSpecific && !file.endsWith(ownSuffix))
            continue;
        QFile f(QStringLiteral(":/causa/schema/") + file);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(errc::kMigration, QStringLiteral("cannot read migration"), file);
        const QStringList statements =
            splitStatements(m_dialect.fill(QString::fromUtf8(f.readAll())));
        auto applied = transaction([&](QSqlDatabase &tdb) -> Result<void> {
            for (const QString &stmt : statements) {
                QSqlQuery q(tdb);
                if (!q.exec(stmt))
                    return sql::errorOf(q, QStringLiteral("migration %1").arg(file));
            }
            QSqlQuery q(tdb);
            q.prepare(QStringLiteral(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"));
            return sql::exec(q, {version, file, sql::nowMs()});
        });
        if (!applied)
            return applied.error();
        qCInfo(lcStore) << "applied migration" << file;
        appliedVersions.insert(version);
        current = std::max(current, version);
    }
    m_schemaVersion = current;
    return {};
}

Result<void> CaseStore::transaction(const std::function<Result<void>(QSqlDatabase &)> &fn)
{
    const bool sqlite = m_dialect.kind() == SqlDialect::Kind::Sqlite;
    bool mustReconnect = false;
    for (int attempt = 1;; ++attempt) {
        auto conn = mustReconnect ? reconnect() : connection();
        if (!conn)
            return conn.error();
        QSqlDatabase db = conn.value();
        auto retryable = [&](const Error &e) {
            if (attempt >= kTransactionAttempts)
                return false;
            if (e.code == errc::kStoreConnection) {
                mustReconnect = true;
                return true;
            }
            if (e.code == errc::kStoreBusy) {
                // The server rolled us back to break a deadlock: let the other side finish first.
                QThread::msleep(ulong(10 * attempt + QRandomGenerator::global()->bounded(20)));
                mustReconnect = false;
                return true;
            }
            return false;
        };
        // IMMEDIATE takes the SQLite write lock up front, so two writers wait instead of deadlocking.
        if (sqlite) {
            if (auto r = sql::execText(db, QStringLiteral("BEGIN IMMEDIATE")); !r)
                return r.error();
        } else if (!db.transaction()) {
            const Error e = sql::errorOf(db.lastError(), QStringLiteral("BEGIN"));
            if (retryable(e))
                continue;
            return e;
        }
        Result<void> r = fn(db);
        if (!r) {
            if (sqlite)
                (void)sql::execText(db, QStringLiteral("ROLLBACK"));
            else
                db.rollback();
            if (retryable(r.error())) {
                qCInfo(lcStore) << "retrying a transaction after" << r.error().code
                                << r.error().message;
                continue;
            }
            return r;
        }
        if (sqlite) {
            if (auto c = sql::execText(db, QStringLiteral("COMMIT")); !c) {
                (void)sql::execText(db, QStringLiteral("ROLLBACK"));
                return c.error();
            }
            return {};
        }
        if (!db.commit()) {
            const Error e = sql::errorOf(db.lastError(), QStringLiteral("COMMIT"));
            db.rollback();
            if (e.code == errc::kStoreConnection)
                return makeError(
                    errc::kStoreConnection,
                    QStringLiteral(
                        "the connection to the case store was lost while saving; the change "
                        "may or may not have been stored (reload to check): %1")
                        .arg(e.message),
                    QStringLiteral("COMMIT"));
            // A serialisation failure at COMMIT means the server rolled the whole transaction back.
            if (e.code == errc::kStoreBusy && retryable(e))
                continue;
            return e;
        }
        return {};
    }
}

namespace {

QString caseOrder(const CaseFilter &filter)
{
    static const QStringList allowed{QStringLiteral("id"),         QStringLiteral("severity"),
                                     QStringLiteral("title"),      QStringLiteral("status"),
                                     QStringLiteral("verdict"),    QStringLiteral("hosts"),
                                     QStringLiteral("users"),      QStringLiteral("alert_count"),
                                     QStringLiteral("created_at"), QStringLiteral("assignee")};
    const QString key =
        allowed.contains(filter.sortKey) ? filter.sortKey : QStringLiteral("severity");
    const QString dir = filter.descending ? QStringLiteral("DESC") : QStringLiteral("ASC");
    if (key == QLatin1String("severity"))
        return QStringLiteral(" ORDER BY severity %1, created_at %1, id %1").arg(dir);
    return QStringLiteral(" ORDER BY %1 %2, id %2").arg(key, dir);
}

} // namespace

Result<std::vector<CaseSummary>> CaseStore::cases(const CaseFilter &filter) const
{
    return read([&](QSqlDatabase &db) -> Result<std::vector<CaseSummary>> {
        auto search = planCaseSearch(db, m_dialect, filter.text);
        if (!search)
            return search.error();
        const CaseSearch &s = search.value();
        if (s.matchesNothing)
            return std::vector<CaseSummary>{};
        QString from = QStringLiteral(" FROM cases");
        QString where = s.where;
        const bool sqliteText = m_dialect.kind() == SqlDialect::Kind::Sqlite && !s.match.isEmpty();
        if (sqliteText && filter.sortKey == QLatin1String("severity")) {
            constexpr qint64 kCommonWord = 5000;
            qint64 matches = filter.knownCount >= 0 ? filter.knownCount : s.exactCount;
            const qint64 atLeast = matches >= 0 ? matches : s.atLeast;
            const qint64 wanted =
                qint64(filter.offset) + (filter.limit >= 0 ? filter.limit : 1 << 30);
            qint64 queueSize = 0;
            if (s.exactTerms && atLeast > 0 && wanted <= 2000) {
                QSqlQuery c(db);
                if (!c.exec(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM cases")) || !c.next())
                    return sql::errorOf(c, QStringLiteral("sizing the queue"));
                queueSize = c.value(0).toLongLong();
            }
            if (queueSize > 0 && atLeast * 4 >= queueSize) {
                // At least a quarter of the queue matches: walk it in order and check each row
                // against the exact terms; the first page is found within ~4 rows per row shown,
                // where collecting every match first would cost a pass over all of them.
                from = QStringLiteral(" FROM cases INDEXED BY cases_queue_order");
                where = CaseSearch::rowCheck();
            } else {
                if (matches < 0) {
                    // Not counted yet (the count runs beside this query): a count that stops
                    // early tells a common word from a rare one at a fraction of the cost.
                    QSqlQuery c(db);
                    c.prepare(
                        QStringLiteral(
                            "SELECT COUNT(*) FROM (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ? "
                            "LIMIT %1)")
                            .arg(kCommonWord + 1));
                    c.bindValue(0, s.match);
                    if (!c.exec() || !c.next())
                        return sql::errorOf(c, QStringLiteral("estimating matches"));
                    matches = c.value(0).toLongLong();
                }
                if (matches > kCommonWord) {
                    // A word that matches many cases: walk the queue-order index and stop at the
                    // page end instead of sorting every match.
                    from = QStringLiteral(" FROM cases INDEXED BY cases_queue_order");
                    where.replace(QStringLiteral("WHERE id IN"), QStringLiteral("WHERE +id IN"));
                }
            }
        }
        QString text = QStringLiteral("SELECT %1").arg(QLatin1String(kCaseColumns)) + from + where +
                       caseOrder(filter);
        if (filter.limit >= 0)
            text += QStringLiteral(" LIMIT %1 OFFSET %2").arg(filter.limit).arg(filter.offset);
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(text);
        for (int i = 0; i < s.binds.size(); ++i)
            q.bindValue(i, s.binds.at(i));
        if (!q.exec())
            return sql::errorOf(q, QStringLiteral("listing cases"));
        std::vector<CaseSummary> out;
        while (q.next())
            out.push_back(readCaseSummary(q));
        return out;
    });
}

Result<qint64> CaseStore::countCases(const CaseFilter &filter) const
{
    return read([&](QSqlDatabase &db) -> Result<qint64> {
        auto search = planCaseSearch(db, m_dialect, filter.text);
        if (!search)
            return search.error();
        const CaseSearch &s = search.value();
        if (s.exactCount >= 0)
            return s.exactCount; // from the vocabulary: one word that stands for one term
        QSqlQuery q(db);
        if (m_dialect.kind() == SqlDialect::Kind::Sqlite && !s.match.isEmpty())
            // Count in the FTS index itself: no join back to cases for common words.
            q.prepare(QStringLiteral("SELECT COUNT(*) FROM cases_fts WHERE cases_fts MATCH ?"));
        else
            q.prepare(QStringLiteral("SELECT COUNT(*) FROM cases") + s.where);
        for (int i = 0; i < s.binds.size(); ++i)
            q.bindValue(i, s.binds.at(i));
        if (!q.exec() || !q.next())
            return sql::errorOf(q, QStringLiteral("counting cases"));
        return q.value(0).toLongLong();
    });
}

Result<void> CaseStore::optimizeSearchIndex()
{
    if (m_dialect.kind() != SqlDialect::Kind::Sqlite)
        return {};
    return transaction([](QSqlDatabase &db) { return sql::optimizeCaseSearch(db); });
}

Result<CaseSummary> CaseStore::caseSummary(qint64 caseId) const
{
    return read([&](QSqlDatabase &db) -> Result<CaseSummary> {
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("SELECT %1 FROM cases WHERE id = ?").arg(QLatin1String(kCaseColumns)));
        q.bindValue(0, caseId);
        if (!q.exec())
            return sql::errorOf(q, QStringLiteral("reading case %1").arg(caseId));
        if (!q.next())
            return makeError(errc::kNoCase, QStringLiteral("no case with id %1").arg(caseId));
        return readCaseSummary(q);
    });
}

Result<qint64> CaseStore::findCase(const QString &source, const QString &sourceRef) const
{
    return read([&](QSqlDatabase &db) -> Result<qint64> {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT id FROM cases WHERE source = ? AND source_ref = ?"));
        if (auto r = sql::exec(q, {source, sourceRef}); !r)
            return r.error();
        return q.next() ? q.value(0).toLongLong() : qint64(0);
    });
}

Result<std::vector<StoredAlert>> CaseStore::alertsOfCase(qint64 caseId) const
{
    return read([&](QSqlDatabase &db) -> Result<std::vector<StoredAlert>> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral(
            "SELECT a.id, a.case_id, a.alert_key, a.source, a.source_alert_id, a.external_id, a.name, "
            "a.category, a.description, a.severity, a.action, a.action_pretty, a.blocked, a.rule_id, "
            "a.detected_at, a.host_name, a.host_ip, a.user_name, a.mitre_tactics, a.mitre_techniques, "
            "a.remote_ip, a.remote_port, a.local_ip, a.external_hostname, a.raw, "
            "COALESCE(e.endpoint_key, ''), COALESCE(e.agent_id, '') "
            "FROM alerts a LEFT JOIN endpoints e ON e.id = a.endpoint_id "
            "WHERE a.case_id = ? ORDER BY a.detected_at, a.id"));
        q.bindValue(0, caseId);
        if (!q.exec())
            return sql::errorOf(q, QStringLiteral("reading alerts of case %1").arg(caseId));
        std::vector<StoredAlert> out;
        while (q.next()) {
            StoredAlert s;
            s.id = q.value(0).toLongLong();
            s.caseId = q.value(1).toLongLong();
            AlertRecord &a = s.alert;
            a.key = q.value(2).toString();
            a.source = q.value(3).toString();
            a.alertId = q.value(4).toString();
            a.externalId = q.value(5).toString();
            a.name = q.value(6).toString();
            a.category = q.value(7).toString();
            a.description = q.value(8).toString();
            a.severity = static_cast<Severity>(q.value(9).toInt());
            a.action = q.value(10).toString();
            a.actionPretty = q.value(11).toString();
            a.blocked = q.value(12).toInt() != 0;
            a.ruleId = q.value(13).toString();
            a.detectedAt = q.value(14).toLongLong();
            a.hostName = q.value(15).toString();
            a.hostIp = q.value(16).toString();
            a.user = q.value(17).toString();
            a.mitreTactics = splitList(q.value(18).toString());
            a.mitreTechniques = splitList(q.value(19).toString());
            a.remoteIp = q.value(20).toString();
            a.remotePort = q.value(21).toInt();
            a.localIp = q.value(22).toString();
            a.externalHostname = q.value(23).toString();
            a.raw = q.value(24).toString().toUtf8();
            a.endpoint.key = q.value(25).toString();
            a.endpoint.agentId = q.value(26).toString();
            a.endpoint.hostName = a.hostName;
            out.push_back(std::move(s));
        }
        return out;
    });
}

Result<std::vector<StoredProcess>> CaseStore::processesOfCase(qint64 caseId) const
{
    return read([&](QSqlDatabase &db) -> Result<std::vector<StoredProcess>> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral(
            "SELECT p.id, p.process_key, p.parent_key, COALESCE(e.endpoint_key, ''), p.image_name, "
            "p.image_path, p.command_line, p.pid, p.parent_pid, p.user_name, p.started_at, p.ended_at, "
            "p.md5, p.sha1, p.sha256, p.signature_status, p.signature_vendor, p.causality_id, p.source, "
            "ap.role, a.source_alert_id "
            "FROM alerts a JOIN alert_processes ap ON ap.alert_id = a.id "
            "JOIN processes p ON p.id = ap.process_id LEFT JOIN endpoints e ON e.id = p.endpoint_id "
            "WHERE a.case_id = ? ORDER BY p.started_at, p.id"));
        q.bindValue(0, caseId);
        if (!q.exec())
            return sql::errorOf(q, QStringLiteral("reading processes of case %1").arg(caseId));
        std::vector<StoredProcess> out;
        QHash<qint64, size_t> index;
        while (q.next()) {
            const qint64 id = q.value(0).toLongLong();
            const QString role = q.value(19).toString() + QLatin1Char('@') + q.value(20).toString();
            if (auto it = index.constFind(id); it != index.cend()) {
                out[*it].roles << role;
                continue;
            }
            StoredProcess s;
            s.id = id;
            ProcessRecord &p = s.process;
            p.key = q.value(1).toString();
            p.parentKey = q.value(2).toString();
            p.endpointKey = q.value(3).toString();
            p.imageName = q.value(4).toString();
            p.imagePath = q.value(5).toString();
            p.commandLine = q.value(6).toString();
            p.pid = q.value(7).toLongLong();
            p.parentPid = q.value(8).toLongLong();
            p.user = q.value(9).toString();
            p.startedAt = q.value(10).toLongLong();
            p.endedAt = q.value(11).toLongLong();
            p.md5 = q.value(12).toString();
            p.sha1 = q.value(13).toString();
            p.sha256 = q.value(14).toString();
            p.signatureStatus = q.value(15).toString();
            p.signatureVendor = q.value(16).toString();
            p.causalityId = q.value(17).toString();
            p.source = q.value(18).toString();
            s.roles << role;
            index.insert(id, out.size());
            out.push_back(std::move(s));
        }
        return out;
    });
}

Result<std::vector<CaseIndicator>> CaseStore::indicatorsOfCase(qint64 caseId) const
{
    return read([&](QSqlDatabase &db) -> Result<std::vector<CaseIndicator>> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral(
            "SELECT i.id, i.type, i.value, i.internal, i.manual_score, ci.context, ci.as_written, i.tlp, i.pap "
            "FROM case_indicators ci JOIN indicators i ON i.id = ci.indicator_id "
            "WHERE ci.case_id = ? ORDER BY i.type, i.value, ci.context"));
        q.bindValue(0, caseId);
        if (!q.exec())
            return sql::errorOf(q, QStringLiteral("reading indicators of case %1").arg(caseId));
        std::vector<CaseIndicator> out;
        while (q.next()) {
            const qint64 id = q.value(0).toLongLong();
            if (out.empty() || out.back().indicatorId != id) {
                CaseIndicator c;
                c.indicatorId = id;
                c.type = q.value(1).toString();
                c.value = q.value(2).toString();
                c.internal = q.value(3).toInt() != 0;
                c.manualScore = q.value(4).isNull() ? -1 : q.value(4).toInt();
                c.asWritten = q.value(6).toString();
                c.tlp = q.value(7).toString();
                c.pap = q.value(8).toString();
                out.push_back(std::move(c));
            }
            out.back().contexts << q.value(5).toString();
            // Show the disguise when one source wrote the value differently ("0xB9DC652A").
            const QString written = q.value(6).toString();
            CaseIndicator &c = out.back();
            if ((c.asWritten.isEmpty() || c.asWritten.compare(c.value, Qt::CaseInsensitive) == 0) &&
                !written.isEmpty() && written.compare(c.value, Qt::CaseInsensitive) != 0)
                c.asWritten = written;
        }
        return out;
    });
}

Result<StoreStats> CaseStore::stats() const
{
    return read([&](QSqlDatabase &db) -> Result<StoreStats> {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral(
                "SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM alerts), "
                "(SELECT COUNT(*) FROM endpoints), (SELECT COUNT(*) FROM processes), "
                "(SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM indicators), "
                "(SELECT COUNT(*) FROM actions)")) ||
            !q.next())
            return sql::errorOf(q, QStringLiteral("counting"));
        StoreStats s;
        s.cases = q.value(0).toLongLong();
        s.alerts = q.value(1).toLongLong();
        s.endpoints = q.value(2).toLongLong();
        s.processes = q.value(3).toLongLong();
        s.events = q.value(4).toLongLong();
        s.indicators = q.value(5).toLongLong();
        s.actions = q.value(6).toLongLong();
        return s;
    });
}

} // namespace causa
