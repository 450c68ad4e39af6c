#pragma once

#include "core/intelentry.h"
#include "core/result.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <memory>
#include <vector>

namespace causa {

class ImportSession;

// Writes intel entries inside an import's transaction. Re-importing the same feed adds nothing;
// a feed that changes an entry's score, TLP or validity updates it in place.
class IntelWriter final
{
public:
    explicit IntelWriter(ImportSession &session);
    // Counts the entry as intel (new or changed) or skipped (already stored as is).
    Result<void> add(const IntelEntry &entry);

private:
    ImportSession &m_session;
    std::unique_ptr<QSqlQuery> m_insert;
};

// Read side of the intel store.
namespace intelstore {

// Every entry for (type, value) from every feed, allowlists first.
Result<std::vector<IntelEntry>> lookup(const QSqlDatabase &db, const QString &type,
                                       const QString &value);
Result<qint64> count(const QSqlDatabase &db);

} // namespace intelstore
} // namespace causa
