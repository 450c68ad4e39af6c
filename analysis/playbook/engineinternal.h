#pragma once

// Small helpers shared by the playbook engine's translation units (playbookengine.cpp runs
// stages; playbookdecisions.cpp holds the analyst's decisions). Not part of any interface.
#include "core/jsonutil.h"
#include "store/playbooktypes.h"

#include <nlohmann/json.hpp>

namespace causa::engineinternal {

inline bool isUndecided(const ActionRecord &a)
{
    return !a.decided();
}

inline QString auditText(const nlohmann::json &j)
{
    return QString::fromStdString(j.dump());
}

inline std::string s(const QString &v)
{
    return js::toStd(v);
}

} // namespace causa::engineinternal
