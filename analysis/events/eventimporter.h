#pragma once

#include "core/importoptions.h"
#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace causa {

class ImportSession;

// Imports Windows endpoint logs: flat JSON lines (OTRF/NXLog, OTRF newer schema, python-evtx
// conversions), nested {"Event": {"System", "EventData"}} objects (evtx dumps, one per line or
// pretty-printed one after another) and .evtx files (through libevtx when built with it). Streams; a bad line is
// reported through ImportOptions::warn and counted as rejected while the good ones are kept.
class EventImporter final
{
public:
    static bool looksLike(const QByteArray &head);
    static bool looksLikeEvtx(const QByteArray &head);
    // {"Event": {"System": {... "EventID" ... "Channel" ...}}}: an evtx dump, not a MISP event.
    static bool looksLikeNestedEvent(const QByteArray &head);
    static bool haveEvtxSupport();

    Result<void> importFile(ImportSession &session, const QString &path,
                            const ImportOptions &options = {});

    static constexpr qint64 kMaxLine = 8 * 1024 * 1024;
    static constexpr int kMaxDepth = 64;
    static constexpr int kMaxWarnings = 200;
    static constexpr qint64 kMaxDocument = 256 * 1024 * 1024;
    // How far a JSON-lines import looks ahead, before parsing, for hosts' UTC offsets (see
    // events::LocalTimeOffsets); past it the offsets are still learned while parsing.
    static constexpr qint64 kPrescanLines = 50000;
    static constexpr qint64 kPrescanBytes = 32 * 1024 * 1024;

private:
    static bool isJsonDocument(const QString &path);
    // One or more JSON values spread over lines (nested evtx-dump events, pretty-printed).
    Result<void> importJsonDocument(ImportSession &session, const QString &path,
                                    const ImportOptions &options);
    Result<void> importJsonLines(ImportSession &session, const QString &path,
                                 const ImportOptions &options);
    Result<void> importEvtx(ImportSession &session, const QString &path,
                            const ImportOptions &options);
};

} // namespace causa
