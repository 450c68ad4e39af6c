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
namespace notestore {

Result<std::vector<Note>> notes(const CaseStore &store, qint64 caseId);
Result<Note> add(CaseStore &store, qint64 caseId, const QString &author, const QString &body);
// Fails with code "conflict" when someone else changed the note since expectedVersion.
Result<Note> update(CaseStore &store, qint64 noteId, int expectedVersion, const QString &author,
                    const QString &body);

} // namespace notestore
} // namespace causa
