#pragma once

#include "store/casestore.h"
#include "xdrtenantserver.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace causa::test {

// Everything the store holds about every case (summary, alerts, processes, indicators) as one
// JSON value, for "same case" comparisons between two stores.
nlohmann::json dumpCases(CaseStore &store);
QByteArray readFixture(const QString &relativePath);
// n alerts in the get_alerts_by_filter_data shape on `host`, one every `stepMs` from `startMs`,
// grouped into a few incidents; alert ids start at firstId.
void addSyntheticAlerts(XdrTenantServer &server, const QString &host, int n, qint64 startMs,
                        qint64 stepMs, int firstId);
// Points the secret store at a file inside `dir` (never the user's keychain) for this process
// and the causa-cli processes it starts.
void useFileSecrets(const QString &dir);

} // namespace causa::test
