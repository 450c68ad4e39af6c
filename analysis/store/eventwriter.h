#pragma once

#include "core/records.h"
#include "core/result.h"

#include "processkeyset.h"

#include <memory>

namespace causa {

class ImportSession;
class PreparedStatement;

// Writes endpoint events and the processes they describe inside an ImportSession's transaction,
// with its own prepared statements (the hot path of event import: one bind + exec per row).
class EventWriter final
{
public:
    explicit EventWriter(ImportSession &session);
    ~EventWriter();

    Result<void> addEvent(const EventRecord &e);
    // A real process record replaces a placeholder ("parent-ref") with the same key, never the
    // other way round, so events arriving out of order still end with the full record.
    Result<void> upsertProcess(const ProcessRecord &p);

private:
    Result<qint64> endpointId(const QString &key, const QString &hostName);
    Result<void> prepare();

    ImportSession &m_session;
    std::unique_ptr<PreparedStatement> m_insertEvent;
    std::unique_ptr<PreparedStatement> m_storedEventData;
    std::unique_ptr<PreparedStatement> m_insertProcess;
    std::unique_ptr<PreparedStatement> m_insertPlaceholder;
    std::unique_ptr<PreparedStatement> m_fillPlaceholder;
    // Process keys this import already wrote, and whether as a real record: writing them again
    // would change nothing, so the statement is skipped.
    ProcessKeySet m_written;
    QString m_lastEndpointKey;
    qint64 m_lastEndpointId = 0;
};

} // namespace causa
