#pragma once

#include "store/casestore.h"

#include <QAbstractItemModel>
#include <QSqlDatabase>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace causa::test {

// ../shared/data next to the checkout, or empty when it is absent (tests then QSKIP).
QString sharedDataDir();
// The project's own resources/ and tests/fixtures/ folders.
QString sourceDir();
QString fixturesDir();

// A fresh, empty store that lives as long as the object: an SQLite file in a temporary folder,
// or — when the test runs with CAUSA_TEST_STORE_URL_FILE (the PostgreSQL fixture) — a new
// database on that server, dropped afterwards.
class TempStore
{
public:
    TempStore();
    ~TempStore();
    CaseStore &store() { return *m_store; }
    std::shared_ptr<CaseStore> shared() { return m_store; }
    QString path() const { return m_path; }
    bool isPostgres() const { return !m_pgDatabase.isEmpty(); }
    // "--db PATH" or "--store URL" for causa-cli.
    QStringList cliArgs() const;

private:
    QTemporaryDir m_dir;
    QString m_path;
    QString m_url;
    QString m_pgDatabase;
    std::shared_ptr<CaseStore> m_store;
};

// Drops the triggers that keep the audit log append-only (migration 016), as an attacker with
// write access to the database file or the owner login could: tamper tests need it first.
bool dropAuditGuards(const QSqlDatabase &db);

// The PostgreSQL server URL of the current test run, or empty (SQLite run).
QString postgresServerUrl();

// Indented dump of a model (rows and children, given roles' display text) for golden tests.
QString printModel(const QAbstractItemModel *model, const QModelIndex &parent = {}, int depth = 0,
                   int maxColumns = -1);

// Runs causa-cli from the build tree with args; returns exit code, stdout and stderr.
struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
CliResult runCli(const QStringList &args, const QByteArray &stdinData = {}, int timeoutMs = 120000);
QString cliPath();

} // namespace causa::test

#define CAUSA_REQUIRE_SHARED_DATA(sub)                                                             \
    do {                                                                                           \
        if (causa::test::sharedDataDir().isEmpty() ||                                              \
            !QFileInfo::exists(causa::test::sharedDataDir() + QStringLiteral("/") + sub))          \
            QSKIP("../shared/data is absent; skipping real-data test");                            \
    } while (false)
