#pragma once

#include "casestore.h"

#include <QString>

#include <map>

namespace causa {

// Store-wide settings (the `settings` key/value table): policy a team shares through one store,
// such as playbook input defaults, enrichment policy, report markings and the response connector.
// Never secrets: API keys live outside the store (SPEC §8, §13).
class SettingsStore final
{
public:
    explicit SettingsStore(CaseStore &store) : m_store(store) {}
    // Every key under prefix ("" = all), as key → value.
    Result<std::map<QString, QString>> values(const QString &prefix = {}) const;
    // Writes all pairs in one transaction (insert or replace each key).
    Result<void> setValues(const std::map<QString, QString> &values);
    Result<void> remove(const QString &key);

private:
    CaseStore &m_store;
};

} // namespace causa
