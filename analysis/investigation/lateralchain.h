#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace causa {

class CaseStore;

// The steps of a PsExec-like remote service execution, in the order they happen.
enum class ChainHopKind
{
    SourceProcess,   // the source host's process that started it (PsExec.exe, psexec.py…)
    Logon,           // 4624 logon type 3 on the victim from the source
    ShareAccess,     // 5140/5145 on ADMIN$/IPC$ (the binary, svcctl, the service's pipes)
    ServiceBinary,   // the service binary written under C:\Windows (Sysmon 11 by System)
    ServiceInstall,  // 7045 / 4697, and the service process started by services.exe
    Pipes,           // Sysmon 17/18 \PSEXESVC-*, \RemCom_*…
    ServiceChildren, // what the service ran on the victim
};

// One event of a hop, with what an analyst needs to find it again.
struct ChainEvent
{
    qint64 id = 0; // events.id
    QString host;
    int code = 0;  // event id (4624, 5145, 7045, 1…)
    qint64 ts = 0; // epoch ms as stored
    QString user;
    QString summary;
    QString processKey; // the process-tree node it belongs to, when any
};

// One hop: found with its events, or unknown with the reason.
struct ChainHop
{
    ChainHopKind kind = ChainHopKind::Logon;
    QString host; // where its events are logged
    bool found = false;
    qint64 first = 0;
    qint64 last = 0;
    QString user;
    QString detail;     // what the events show, one line
    QString unknown;    // why nothing is shown (only when !found)
    QString processKey; // the process-tree node this hop opens (service, child, source process)
    std::vector<ChainEvent> events;
};

// One remote service execution stitched from source host to victim.
struct LateralChain
{
    QString victimHost;
    qint64 victimEndpointId = 0;
    QString sourceHost;          // empty when no event names it
    qint64 sourceEndpointId = 0; // 0 when the store holds no events of the source host
    QString sourceIp;
    QString user;
    QString serviceName;
    QString serviceImage;
    QString tool; // "PsExec", "RemCom", "command service (smbexec-like)"…
    qint64 start = 0;
    qint64 end = 0;
    bool sourceLogsPresent = false;
    QString victimProcessKey;   // the service process in the victim's tree
    QString sourceProcessKey;   // the launcher in the source's tree
    QStringList notes;          // clock differences, how the source was identified
    std::vector<ChainHop> hops; // one per ChainHopKind, in enum order

    const ChainHop *hop(ChainHopKind kind) const;
    QStringList unknownHops() const; // ids of hops not found
};

// Every chain found on a case's hosts (or one host), ordered by time.
struct ChainReport
{
    QString scope; // "case 12" / "host WORKSTATION5"
    QStringList victimHosts;
    std::vector<LateralChain> chains;
};

Result<ChainReport> buildChainsForCase(const CaseStore &store, qint64 caseId);
Result<ChainReport> buildChainsForHost(const CaseStore &store, const QString &host);

QString hopKindId(ChainHopKind kind);    // "source_process", "logon", "share_access", …
QString hopKindTitle(ChainHopKind kind); // "Source process", "Network logon", …
QList<ChainHopKind> allHopKinds();

// The JSON contract of `causa-cli chain --json` (documented in the CLI help).
nlohmann::json toJson(const ChainReport &report);
QString toText(const ChainReport &report);

} // namespace causa
