#pragma once

#include "lateralchain.h"
#include "store/chainqueries.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

namespace causa::chain {

// A stored event with its record parsed once; fields are read by their EventData names.
struct Evidence
{
    const ChainEventRow *row = nullptr;
    nlohmann::json record; // an object, or null when the stored record is not JSON

    QString field(const char *key) const;
    qint64 pid(const char *key) const; // decimal or hex
    // The account the event names: Sysmon User, Security Target (logons) or Subject user.
    QString user() const;
};

std::vector<Evidence> parseRows(const std::vector<ChainEventRow> &rows);

// Adds the event to the hop once (a hop keeps its first 200), widening its times.
void addToHop(ChainHop &hop, const Evidence &e);

// "C:\Windows\PSEXESVC.exe", "%SystemRoot%\PSEXESVC.exe" → "psexesvc.exe" (lowercase file name).
QString baseNameLower(const QString &path);
// "DOMAIN\user" (either part may be missing or "-").
QString account(const QString &domain, const QString &user);
// Host names compare by their first label, case-insensitively ("WS5.corp" == "ws5").
bool sameHost(const QString &a, const QString &b);
// Loopback or unspecified addresses: the "remote" end is the host itself.
bool isLocalAddress(const QString &ip);
QString normaliseIp(const QString &ip); // "::ffff:10.0.0.1" → "10.0.0.1", lowercase, no zone

// Service installs worth a chain: known remote-execution services (PSEXESVC, PAExec, RemCom,
// csexec…), a binary dropped in the Windows folder itself, or a shell command as the image
// (impacket smbexec, Empire, Metasploit).
bool isLateralService(const QString &serviceName, const QString &imagePath);
// The tool a service name or image suggests ("PsExec", "PAExec", "RemCom", "command service"…).
QString toolFor(const QString &serviceName, const QString &imagePath);

// Named pipes of remote-execution services: "\PSEXESVC-HOST-1234-stdin" names the client host
// and its process id; "\RemCom_communicaton", "\PAExec…" name only the tool.
struct PipeName
{
    bool lateral = false;
    QString prefix;     // "PSEXESVC"
    QString clientHost; // "HOST", empty when the name does not carry it
    qint64 clientPid = -1;
};
PipeName parsePipe(const QString &pipe, const QString &serviceName);

// A process image that starts remote services from the source side (PsExec.exe, psexec.py…).
bool isLauncherImage(const QString &imagePath, const QString &commandLine);

} // namespace causa::chain
