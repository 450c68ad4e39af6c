#pragma once

#include "severity.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace causa {

// Normalised records that importers hand to the store. Times are epoch milliseconds (0 = unknown).

struct CaseRecord
{
    QString source;    // "xdr", "sample", "manual"
    QString sourceRef; // the source's incident id
    QString title;
    QString description;
    Severity severity = Severity::Unknown;
    QString status = QStringLiteral("new"); // new, in_progress, closed
    QString verdict;                        // "", true_positive, false_positive, benign
    QString assignee;
    QString sourceUrl;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
};

struct EndpointRecord
{
    QString key; // lowercased host name, or agent id when no name is known
    QString hostName;
    QString agentId;
    QStringList ips;
    QString os;
    QString domain;
};

enum class ProcessRole
{
    Causality,
    Actor,
    OsActor,
    Action
};
QString processRoleName(ProcessRole role);

struct ProcessRecord
{
    QString key;       // endpoint key | instance id / process GUID / pid+start
    QString parentKey; // same form, may be empty
    QString endpointKey;
    QString imageName;
    QString imagePath;
    QString commandLine;
    qint64 pid = -1;
    qint64 parentPid = -1;
    QString user;
    qint64 startedAt = 0;
    qint64 endedAt = 0;
    QString md5;
    QString sha1;
    QString sha256;
    QString signatureStatus;
    QString signatureVendor;
    QString causalityId;
    QString source; // "xdr", "sysmon", "security"
};

struct IndicatorRecord
{
    QString type;      // sha256, sha1, md5, ipv4, ipv6, domain, url, user, host, path
    QString value;     // normalised value
    QString asWritten; // how the source wrote it
    QString context;   // where it came from: "action_remote_ip", "actor_process_image_sha256"
    bool internal = false;
};

struct AlertRecord
{
    QString key;    // unique: source|alert id|external id
    QString source; // product: "XDR Agent", "XDR Analytics"...
    QString alertId;
    QString externalId;
    QString name;
    QString category;
    QString description;
    Severity severity = Severity::Unknown;
    QString action;
    QString actionPretty;
    bool blocked = false;
    QString ruleId;
    qint64 detectedAt = 0;
    EndpointRecord endpoint;
    QString hostName;
    QString hostIp;
    QString user;
    QStringList mitreTactics;
    QStringList mitreTechniques;
    QString remoteIp;
    int remotePort = 0;
    QString localIp;
    QString externalHostname;
    QString incidentRef; // the XDR incident (case_id) it belongs to, when known
    std::vector<std::pair<ProcessRole, ProcessRecord>> processes;
    std::vector<IndicatorRecord> indicators;
    QByteArray raw; // the alert's JSON as received
};

struct EventRecord
{
    QString key; // stable hash of the record, for idempotency
    // The stored 64-bit event_key when the importer computed it from the record's digest
    // (then `key` may stay empty); otherwise it is derived from `key`.
    std::optional<qint64> keyId;
    QString endpointKey;
    QString hostName;
    QString processKey; // the process it belongs to (may be empty)
    // process_create, network, file, registry, pipe, service_install, logon, share, script
    QString kind;
    int eventCode = 0;
    QString channel;
    qint64 timestamp = 0;
    QString summary;
    QString sourceFile;
    qint64 sourceLine = 0;
    QByteArray data; // the record's JSON
};

struct ImportCounts
{
    qint64 cases = 0;
    qint64 alerts = 0;
    qint64 processes = 0;
    qint64 events = 0;
    qint64 indicators = 0;
    qint64 intel = 0;
    qint64 skipped = 0;  // records already in the store
    qint64 rejected = 0; // bad records (JSON lines) reported and skipped
};

} // namespace causa
