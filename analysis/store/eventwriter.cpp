#include "eventwriter.h"

#include "eventinsert.h"
#include "importsession.h"
#include "preparedstatement.h"
#include "sqlutil.h"

namespace causa {

namespace {

SqlValue nullableId(qint64 id)
{
    return id > 0 ? SqlValue(id) : SqlValue(std::monostate());
}

} // namespace

EventWriter::EventWriter(ImportSession &session) : m_session(session) {}

EventWriter::~EventWriter() = default;

Result<void> EventWriter::prepare()
{
    if (m_insertEvent)
        return {};
    QSqlDatabase &db = m_session.database();
    // A big import touches many index pages; with SQLite's default 2 MB cache the transaction
    // spills to the WAL over and over (a tenth of the import time in perf).
    if (db.driverName() == QLatin1String("QSQLITE"))
        (void)sql::execText(db, QStringLiteral("PRAGMA cache_size = -131072"));
    auto ev = PreparedStatement::prepare(db, detail::insertEventSql());
    if (!ev)
        return ev.error();
    auto stored = PreparedStatement::prepare(db, detail::storedEventDataSql());
    if (!stored)
        return stored.error();
    static const QString columns = QStringLiteral(
        "INSERT INTO processes (process_key, parent_key, endpoint_id, image_name, image_path, "
        "command_line, pid, parent_pid, user_name, started_at, ended_at, md5, sha1, sha256, "
        "signature_status, signature_vendor, causality_id, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ");
    // Insert first, and only when the key exists fill a placeholder in with a separate UPDATE:
    // an INSERT carrying ON CONFLICT DO UPDATE runs in a statement journal (processes has
    // foreign keys), which copied every page it touched and made a process cost two events.
    auto pr = PreparedStatement::prepare(
        db, columns + QStringLiteral("ON CONFLICT (process_key) DO NOTHING"));
    if (!pr)
        return pr.error();
    auto fill = PreparedStatement::prepare(
        db,
        QStringLiteral("UPDATE processes SET parent_key = ?, endpoint_id = ?, image_name = ?, "
                       "image_path = ?, command_line = ?, pid = ?, parent_pid = ?, user_name = ?, "
                       "started_at = ?, md5 = ?, sha1 = ?, sha256 = ?, source = ? "
                       "WHERE process_key = ? AND source = 'parent-ref'"));
    if (!fill)
        return fill.error();
    auto ph = PreparedStatement::prepare(
        db, columns + QStringLiteral("ON CONFLICT (process_key) DO NOTHING"));
    if (!ph)
        return ph.error();
    m_insertEvent = std::move(ev.value());
    m_storedEventData = std::move(stored.value());
    m_insertProcess = std::move(pr.value());
    m_insertPlaceholder = std::move(ph.value());
    m_fillPlaceholder = std::move(fill.value());
    return {};
}

Result<qint64> EventWriter::endpointId(const QString &key, const QString &hostName)
{
    if (key.isEmpty())
        return qint64(0);
    if (key == m_lastEndpointKey)
        return m_lastEndpointId;
    EndpointRecord e;
    e.key = key;
    e.hostName = hostName;
    auto id = m_session.upsertEndpoint(e);
    if (!id)
        return id.error();
    m_lastEndpointKey = key;
    m_lastEndpointId = id.value();
    return id;
}

Result<void> EventWriter::addEvent(const EventRecord &e)
{
    if (auto r = prepare(); !r)
        return r;
    auto eid = endpointId(e.endpointKey, e.hostName);
    if (!eid)
        return eid.error();
    auto added = detail::insertEvent({m_insertEvent.get(), m_storedEventData.get()}, e,
                                     nullableId(eid.value()));
    if (!added)
        return added.error();
    if (added.value())
        ++m_session.counts().events;
    else
        ++m_session.counts().skipped;
    return {};
}

Result<void> EventWriter::upsertProcess(const ProcessRecord &p)
{
    if (auto r = prepare(); !r)
        return r;
    const bool placeholder = p.source == QLatin1String("parent-ref");
    const ProcessKeySet::Hash keyHash = ProcessKeySet::hashOf(p.key);
    const ProcessKeySet::State written = m_written.state(keyHash);
    if (written == ProcessKeySet::State::Real ||
        (written == ProcessKeySet::State::Placeholder && placeholder))
        return {};
    // The key is marked only once written: a failed write leaves no claim behind.
    auto eid = endpointId(p.endpointKey, QString());
    if (!eid)
        return eid.error();
    PreparedStatement &q = placeholder ? *m_insertPlaceholder : *m_insertProcess;
    auto r =
        q.run({p.key, p.parentKey, nullableId(eid.value()), p.imageName, p.imagePath, p.commandLine,
               p.pid, p.parentPid, p.user, p.startedAt, p.endedAt, p.md5, p.sha1, p.sha256,
               p.signatureStatus, p.signatureVendor, p.causalityId, p.source});
    if (!r)
        return r.error();
    bool counted = q.changes() > 0;
    if (!counted && !placeholder) {
        // The key exists: a placeholder (a parent seen before its own creation) takes the real
        // record; a real record stays as it is.
        auto u = m_fillPlaceholder->run({p.parentKey, nullableId(eid.value()), p.imageName,
                                         p.imagePath, p.commandLine, p.pid, p.parentPid, p.user,
                                         p.startedAt, p.md5, p.sha1, p.sha256, p.source, p.key});
        if (!u)
            return u.error();
        counted = m_fillPlaceholder->changes() > 0;
    }
    if (counted && !placeholder)
        ++m_session.counts().processes;
    m_written.mark(keyHash,
                   placeholder ? ProcessKeySet::State::Placeholder : ProcessKeySet::State::Real);
    return {};
}

} // namespace causa
