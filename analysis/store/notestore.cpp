#include "notestore.h"

#include "auditlog.h"
#include "core/errorcodes.h"
#include "sqlutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace causa {

namespace {

QString auditPayload(qint64 noteId, const QString &body)
{
    // The audit keeps the full text: the chain proves what the note said at each point.
    return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("note_id"), noteId},
                                                       {QStringLiteral("body"), body}})
                                 .toJson(QJsonDocument::Compact));
}

} // namespace

namespace notestore {

Result<std::vector<Note>> notes(const CaseStore &store, qint64 caseId)
{
    auto conn = store.connection();
    if (!conn)
        return conn.error();
    QSqlQuery q(conn.value());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT id, case_id, author, body, created_at, updated_at, row_version "
                       "FROM notes WHERE case_id = ? ORDER BY created_at, id"));
    if (auto r = sql::exec(q, {caseId}); !r)
        return r.error();
    std::vector<Note> out;
    while (q.next())
        out.push_back({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                       q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toLongLong(),
                       q.value(6).toInt()});
    return out;
}

Result<Note> add(CaseStore &store, qint64 caseId, const QString &author, const QString &body)
{
    if (body.trimmed().isEmpty())
        return makeError(errc::kEmptyNote, QStringLiteral("a note needs some text"));
    Note n{0, caseId, author, body, sql::nowMs(), sql::nowMs(), 1};
    auto r = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("INSERT INTO notes (case_id, author, body, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?) RETURNING id"));
        if (auto e = sql::exec(q, {caseId, author, body, n.createdAt, n.updatedAt}); !e)
            return e;
        if (!q.next())
            return sql::errorOf(q, QStringLiteral("adding a note"));
        n.id = q.value(0).toLongLong();
        q.finish();
        auto a =
            audit::append(db, caseId, author, QStringLiteral("note.add"), auditPayload(n.id, body));
        if (!a)
            return a.error();
        return {};
    });
    if (!r)
        return r.error();
    return n;
}

Result<Note> update(CaseStore &store, qint64 noteId, int expectedVersion, const QString &author,
                    const QString &body)
{
    Note n;
    auto r = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "UPDATE notes SET body = ?, updated_at = ?, row_version = row_version + 1 "
            "WHERE id = ? AND row_version = ? RETURNING case_id, author, created_at, updated_at, row_version"));
        if (auto e = sql::exec(q, {body, sql::nowMs(), noteId, expectedVersion}); !e)
            return e;
        if (!q.next())
            return makeError(
                errc::kConflict,
                QStringLiteral("the note was changed by someone else; reload it and try again"),
                QStringLiteral("note %1").arg(noteId));
        n = {noteId,
             q.value(0).toLongLong(),
             q.value(1).toString(),
             body,
             q.value(2).toLongLong(),
             q.value(3).toLongLong(),
             q.value(4).toInt()};
        q.finish();
        auto a = audit::append(db, n.caseId, author, QStringLiteral("note.edit"),
                               auditPayload(noteId, body));
        if (!a)
            return a.error();
        return {};
    });
    if (!r)
        return r.error();
    return n;
}

} // namespace notestore
} // namespace causa
