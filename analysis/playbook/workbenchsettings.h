#pragma once

#include "core/result.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <map>

namespace causa {

class CaseStore;
struct EnrichmentSettings;

// Team policy kept in the case store's settings table, so every analyst on a shared
// (PostgreSQL) store and the CLI start from the same defaults. Per-user preferences (analyst
// name, theme, recent stores, saved views, page size) stay in QSettings instead.
struct WorkbenchSettings
{
    // Playbook input defaults, NAME → value as the engine's applyInputs() reads them
    // ("true", "2", "2h", "xsoar-flags"). Missing names keep the definition's default.
    std::map<QString, QString> playbookInputs;
    // Enrichment policy: offline mode and each online provider on/off with its cache TTL.
    bool offline = false;
    bool virusTotalEnabled = true;
    int virusTotalTtlHours = 24;
    bool abuseIpDbEnabled = true;
    int abuseIpDbTtlHours = 12;
    // Markings a new report is exported with when the case has none.
    QString reportTlp = QStringLiteral("AMBER");
    QString reportPap = QStringLiteral("AMBER");
    // Where approved actions go: "export" (signed plan + script) or "xdr" (Cortex XDR REST).
    QString connector = QStringLiteral("export");
    // The team's own Sigma rule folders (hunt.sigma_paths), run after the project's pack by
    // stage 4c and the Hunt page.
    QStringList sigmaPaths;

    // The playbook inputs as NAME=VALUE assignments for PlaybookEngine::start().
    QStringList playbookAssignments() const;
    // Applies the enrichment policy; offline from the environment (CAUSA_OFFLINE) still wins.
    void applyTo(EnrichmentSettings &enrichment) const;
    // What every enrichment uses (playbook stage 3, the CLI, the workbench): keys and endpoints
    // from the environment and secret store, under the store's team policy. When the policy
    // cannot be read the answer is an error, never a default that might go online.
    static Result<EnrichmentSettings> enrichmentSettings(const CaseStore &store);
    bool operator==(const WorkbenchSettings &) const = default;

    static Result<WorkbenchSettings> load(const CaseStore &store);
    Result<void> save(CaseStore &store) const;
    // Checks values before they are saved (input names and types against the playbook).
    Result<void> validate() const;
};

inline const QStringList kTlpLevels = {QStringLiteral("CLEAR"), QStringLiteral("GREEN"),
                                       QStringLiteral("AMBER"), QStringLiteral("AMBER+STRICT"),
                                       QStringLiteral("RED")};
inline const QStringList kPapLevels = {QStringLiteral("CLEAR"), QStringLiteral("GREEN"),
                                       QStringLiteral("AMBER"), QStringLiteral("RED")};

} // namespace causa

Q_DECLARE_METATYPE(causa::WorkbenchSettings)
