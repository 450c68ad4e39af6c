#pragma once

#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace causa::sigma::detail {

// Where a rule's events are found in the store: one channel (lower case), the event ids within
// it (empty: every id), and how the rule's field names read in these events.
struct LogTarget
{
    QString name;        // "sysmon 1", "security 4688"...: for skip reasons and explanations
    std::string channel; // lower case, e.g. "microsoft-windows-sysmon/operational"
    std::vector<int> eventIds;
    std::vector<std::pair<std::string, std::string>> fieldMap; // Sigma name -> event field
};

// The targets of a Windows logsource (product/category/service as the rule writes them);
// empty with `reason` set when the engine has no source for it.
std::vector<LogTarget> targetsFor(const QString &product, const QString &category,
                                  const QString &service, QString *reason);

} // namespace causa::sigma::detail
