#include "eventwriter.h"

#include "importsession.h"
#include "sqlutil.h"

namespace causa {

namespace {

QVariant nullableId(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType(QMetaType::LongLong));
}

QVariant textValue(const QString &s)
{
    return s.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(s);
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
    auto ev = std::make_unique<QSqlQuery>(db);
    if (!ev->prepare(QStringLiteral("INSERT INTO events (event_key, endpoint_id, process_key, kind, "
                                    "event_code, channel, ts, summary, source_file, source_line, data) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                    "ON CONFLICT (event_key) DO NOTHING")))
        return sql::errorOf(*ev, QStringLiteral("event.insert"));
    static const QString columns = QStringLiteral(
        "INSERT INTO processes (process_key, parent_key, endpoint_id, image_name, image_path, "
        "command_line, pid, parent_pid, user_name, started_at, ended_at, md5, sha1, sha256, "
        "signature_status, signature_vendor, causality_id, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ");
    auto pr = std::make_unique<QSqlQuery>(db);
    if (!pr->prepare(columns
                     + QStringLiteral(
                         "ON CONFLICT (process_key) DO UPDATE SET parent_key = excluded.parent_key, "
                         "endpoint_id = excluded.endpoint_id, image_name = excluded.image_name, "
                         "image_path = excluded.image_path, command_line = excluded.command_line, "
                         "pid = excluded.pid, parent_pid = excluded.parent_pid, "
                         "user_name = excluded.user_name, started_at = excluded.started_at, "
                         "md5 = excluded.md5, sha1 = excluded.sha1, sha256 = excluded.sha256, "
                         "source = excluded.source WHERE processes.source = 'parent-ref'")))
        return sql::errorOf(*pr, QStringLiteral("event_process.upsert"));
    auto ph = std::make_unique<QSqlQuery>(db);
    if (!ph->prepare(columns + QStringLiteral("ON CONFLICT (process_key) DO NOTHING")))
        return sql::errorOf(*ph, QStringLiteral("event_process.placeholder"));
    m_insertEvent = std::move(ev);
    m_insertProcess = std::move(pr);
    m_insertPlaceholder = std::move(ph);
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
    QSqlQuery &q = *m_insertEvent;
    q.bindValue(0, e.key);
    q.bindValue(1, nullableId(eid.value()));
    q.bindValue(2, textValue(e.processKey));
    q.bindValue(3, textValue(e.kind));
    q.bindValue(4, e.eventCode);
    q.bindValue(5, textValue(e.channel));
    q.bindValue(6, e.timestamp);
    q.bindValue(7, textValue(e.summary));
    q.bindValue(8, textValue(e.sourceFile));
    q.bindValue(9, e.sourceLine);
    q.bindValue(10, QString::fromUtf8(e.data));
    if (!q.exec())
        return sql::errorOf(q, QStringLiteral("event.insert"));
    if (q.numRowsAffected() > 0)
        ++m_session.counts().events;
    else
        ++m_session.counts().skipped;
    return {};
}

Result<void> EventWriter::upsertProcess(const ProcessRecord &p)
{
    if (auto r = prepare(); !r)
        return r;
    auto eid = endpointId(p.endpointKey, QString());
    if (!eid)
        return eid.error();
    const bool placeholder = p.source == QLatin1String("parent-ref");
    QSqlQuery &q = placeholder ? *m_insertPlaceholder : *m_insertProcess;
    const QVariant values[] = {p.key, textValue(p.parentKey), nullableId(eid.value()),
                               textValue(p.imageName), textValue(p.imagePath),
                               textValue(p.commandLine), p.pid, p.parentPid, textValue(p.user),
                               p.startedAt, p.endedAt, textValue(p.md5), textValue(p.sha1),
                               textValue(p.sha256), textValue(p.signatureStatus),
                               textValue(p.signatureVendor), textValue(p.causalityId),
                               textValue(p.source)};
    for (int i = 0; i < int(std::size(values)); ++i)
        q.bindValue(i, values[i]);
    if (!q.exec())
        return sql::errorOf(q, QStringLiteral("event_process.upsert"));
    if (q.numRowsAffected() > 0 && !placeholder)
        ++m_session.counts().processes;
    return {};
}

} // namespace causa
