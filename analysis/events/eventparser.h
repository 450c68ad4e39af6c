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

// Where an event comes from, decided from the channel (any case) or the provider name.
enum class LogFamily { Unknown, Sysmon, Security, System, PowerShell };

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
    void parseSecurity(const FlatEvent &obj, ParsedEvent &out);
    void parseSystem(const FlatEvent &obj, ParsedEvent &out);
    void parsePowerShell(const FlatEvent &obj, ParsedEvent &out);
    QString sysmonProcessKey(const FlatEvent &obj) const;

    QString m_endpointKey;
    QString m_hostName;
    Sha1 m_sha1;
    QHash<QByteArray, std::pair<QString, QString>> m_hosts; // host bytes -> name, endpoint key
    std::string m_channelBytes;
    QString m_channel;
    QString m_lastChannel;
    QString m_lastProvider;
    LogFamily m_lastFamily = LogFamily::Unknown;
};

} // namespace causa::events
