#pragma once

#include "chainevidence.h"
#include "lateralchain.h"

#include <QSet>

namespace causa::chain {

// A service install (7045 and/or 4697 of one service) or, without those logs, the first
// remote-execution pipe: where a chain is stitched from.
struct Anchor
{
    QString service;
    QString image;
    QString binary;       // lowercase file name of the service binary ("psexesvc.exe")
    qint64 tSecurity = 0; // time on the Security/System clock (0 when only Sysmon saw it)
    qint64 tSysmon = 0;   // time on the Sysmon clock (pipe anchors)
    std::vector<ChainEventRow> installs;
};

// Remote-execution service installs on one endpoint, oldest first.
Result<std::vector<Anchor>> findAnchors(const CaseStore &store, qint64 endpointId);

// Stitches one chain around an anchor from the victim's events and, when the store has them,
// the source host's. Hops are matched by host, source address/name, logon id, user and time.
class ChainBuilder final
{
public:
    ChainBuilder(const CaseStore &store, const std::vector<ChainEndpoint> &endpoints,
                 const QStringList &hintIps);
    Result<LateralChain> build(qint64 victimId, const QString &victimHost, const Anchor &anchor);

private:
    Result<void> loadVictim();
    void serviceInstallHop();
    void shareHop();
    void logonHop();
    void binaryHop();
    void pipesHop();
    void childrenHop();
    void resolveSource();
    Result<void> sourceProcessHop();
    void finish();
    const Evidence *pickSourceProcess(const std::vector<Evidence> &rows) const;
    void noteClientFromPipe(const QString &pipe);
    ChainHop &hop(ChainHopKind kind);

    const CaseStore &m_store;
    const std::vector<ChainEndpoint> &m_endpoints;
    QStringList m_hintIps;
    Anchor m_anchor;
    LateralChain m_chain;
    qint64 m_tSec = 0;
    qint64 m_tSys = 0;
    std::vector<ChainEventRow> m_secRows, m_sysRows, m_startRows, m_srcRows;
    std::vector<Evidence> m_sec, m_sys, m_start, m_src;
    const Evidence *m_serviceSysmon = nullptr;
    const Evidence *m_serviceSecurity = nullptr;
    QSet<qint64> m_logonIds;
    QString m_workstation;
    QString m_pipeClientHost;
    qint64 m_pipeClientPid = -1;
};

} // namespace causa::chain
