#pragma once

#include "casestore.h"

#include <QString>

#include <vector>

namespace causa {

struct Note
{
    qint64 id = 0;
    qint64 caseId = 0;
    QString author;
    QString body; // Markdown, as the analyst wrote it
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    int rowVersion = 1;
};

// Case notes: every change is audited in the same transaction; edits use optimistic locking.
class NoteStore final
{
public:
    explicit NoteStore(CaseStore &store) : m_store(store) {}
    Result<std::vector<Note>> notes(qint64 caseId) const;
    Result<Note> add(qint64 caseId, const QString &author, const QString &body);
    // Fails with code "conflict" when someone else changed the note since expectedVersion.
    Result<Note> update(qint64 noteId, int expectedVersion, const QString &author, const QString &body);

private:
    CaseStore &m_store;
};

} // namespace causa
