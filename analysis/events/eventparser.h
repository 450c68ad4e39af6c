#pragma once

#include "core/records.h"
#include "sha1.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <string>
#include <string_view>
#include <utility>

namespace causa::events {

class FlatEvent;
class LocalTimeOffsets;

// Where an event comes from, decided from the channel (any case) or the provider name.
enum class LogFamily
{
    Unknown,
    Sysmon,
    Security,
    System,
    PowerShell
};

// One flat Windows event turned into Causa's records: the event row, and for process creations
// the process (and a placeholder for its parent, so missing parents still show as roots).
struct ParsedEvent
{
    EventRecord event;
    bool hasProcess = false;
    ProcessRecord process;
    bool hasParent = false;
    ProcessRecord parent; // placeholder; source "parent-ref"; a real record later replaces it
};

// Maps one flat event object (OTRF NXLog, OTRF new schema, python-evtx flattening) to records.
// Returns false with `problem` set when the object is not a Windows event.
class EventParser final
{
public:
    bool parse(const FlatEvent &obj, const QByteArray &raw, ParsedEvent &out, QString *problem);

    // Zone-less local times (TimeCreated/EventTime) of events without a UTC time are moved by
    // what `offsets` learned of their host; while learning is on (the default), events that
    // carry both clocks teach it. Not owned; null (the default) leaves local times as written.
    void setLocalTimeOffsets(LocalTimeOffsets *offsets) { m_offsets = offsets; }
    // Off for lines a pre-scan has already taught `offsets`, so they are not counted twice.
    void setLearning(bool learn) { m_learn = learn; }
    // What the importer's pre-scan does with a line: teach `offsets`, parse nothing else.
    static void learnClocks(const FlatEvent &obj, LocalTimeOffsets &offsets);
    // Hostname, else Computer (python-evtx), else MachineName.
    static std::string_view hostBytes(const FlatEvent &obj);

    static LogFamily family(const QString &channel, const QString &provider);
    static QString processKeyForGuid(const QString &endpointKey, const QString &guid);
    // The same key from the GUID's UTF-8 bytes, built in one allocation.
    static QString processKeyForGuid(const QString &endpointKey, std::string_view guid);
    static QString processKeyForPid(const QString &endpointKey, qint64 pid, qint64 startMs);
    // An unresolved "the process with this PID at that time" reference (Security events).
    static QString pidReference(const QString &endpointKey, qint64 pid);
    // The stored event key: the first 8 bytes of the SHA-1 of the record's bytes, trimmed, as
    // a two's-complement integer (what detail::eventKeyId makes of the digest in hex).
    qint64 eventKey(const QByteArray &raw);

private:
    void parseSysmon(const FlatEvent &obj, ParsedEvent &out);
    void parseSysmonProcessCreate(const FlatEvent &obj, ParsedEvent &out); // event 1
    void parseSecurity(const FlatEvent &obj, ParsedEvent &out);
    void parseSystem(const FlatEvent &obj, ParsedEvent &out);
    void parsePowerShell(const FlatEvent &obj, ParsedEvent &out);
    QString sysmonProcessKey(const FlatEvent &obj) const;
    qint64 eventTime(const FlatEvent &obj, const QString &host);

    QString m_endpointKey;
    QString m_hostName;
    Sha1 m_sha1;
    QHash<QByteArray, std::pair<QString, QString>> m_hosts; // host bytes -> name, endpoint key
    std::string m_channelBytes;
    QString m_channel;
    QString m_lastChannel;
    QString m_lastProvider;
    LogFamily m_lastFamily = LogFamily::Unknown;
    LocalTimeOffsets *m_offsets = nullptr;
    bool m_learn = true;
};

} // namespace causa::events
