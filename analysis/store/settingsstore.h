#pragma once

#include "casestore.h"

#include <QString>

#include <map>

namespace causa {

// Store-wide settings (the `settings` key/value table): policy a team shares through one store,
// such as playbook input defaults, enrichment policy, report markings and the response connector.
// Never secrets: API keys live outside the store (SPEC §8, §13).
namespace settingsstore {

// Every key under prefix ("" = all), as key → value.
Result<std::map<QString, QString>> values(const CaseStore &store, const QString &prefix = {});
// Writes all pairs in one transaction (insert or replace each key).
Result<void> setValues(CaseStore &store, const std::map<QString, QString> &values);
Result<void> remove(CaseStore &store, const QString &key);

} // namespace settingsstore
} // namespace causa
