#pragma once

#include "core/importoptions.h"
#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace causa::events {

// Reads a binary .evtx file with libevtx and hands each record over as one flat JSON object,
// flattened exactly like the project's python-evtx conversions (System fields, EventData
// Data[@Name], UserData leaves), so the JSON-lines parser handles both.
class EvtxReader final
{
public:
    static bool available();
    // `record` gets the flat JSON bytes and the record's index (1-based); a bad record is
    // reported through `bad` and skipped.
    Result<void> read(const QString &path, const ImportOptions &options,
                      const std::function<Result<void>(const QByteArray &, qint64)> &record,
                      const std::function<void(qint64, const QString &)> &bad);

    // The XML rendering of one record → flat JSON (exposed for tests).
    static Result<QByteArray> flatten(const QByteArray &xml);
};

} // namespace causa::events
