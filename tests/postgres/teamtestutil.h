#pragma once

#include "store/casestore.h"
#include "testutils.h"

#include <QProcess>

#include <memory>
#include <vector>

namespace causa::test {

// Helpers for the team-store tests: several causa-cli processes on one store, and a lock held by
// the test so that those processes reach the database at the same moment.

// Starts causa-cli with args (does not wait); extraEnv adds NAME=VALUE pairs to its environment.
std::unique_ptr<QProcess> startCli(const QStringList &args, const QStringList &extraEnv = {});
// Waits for a started causa-cli; returns its exit code and output.
CliResult finishCli(QProcess &p, int timeoutMs = 120000);

// Imports the bundled sample incident through causa-cli; returns the case id (0 on failure).
qint64 importSampleWithCli(TempStore &ts);

// Inserts n actions awaiting approval on the case (the state an analyst answers in).
std::vector<qint64> proposeActions(CaseStore &store, qint64 caseId, int n, const QString &prefix);

// Holds the database's write gate so that writers queue up behind it. On PostgreSQL: a
// transaction holding a row lock (FOR UPDATE on one row of `table`); writers touching that row
// wait. On SQLite: BEGIN IMMEDIATE; every writer waits (busy timeout). release() lets them go.
class WriteGate
{
public:
    WriteGate(const StoreLocation &location, const QString &table, qint64 rowId);
    ~WriteGate();
    bool holding() const { return m_holding; }
    // PostgreSQL: how many sessions of this database wait for a lock (0 on SQLite: not observable).
    int waiters(CaseStore &observer) const;
    void release();

private:
    std::shared_ptr<CaseStore> m_store;
    bool m_holding = false;
};

} // namespace causa::test
