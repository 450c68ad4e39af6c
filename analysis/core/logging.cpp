#include "logging.h"
#include "records.h"

namespace causa {
Q_LOGGING_CATEGORY(lcStore, "causa.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcImport, "causa.import", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAnalysis, "causa.analysis", QtWarningMsg)
Q_LOGGING_CATEGORY(lcPlaybook, "causa.playbook", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNet, "causa.net", QtWarningMsg)

QString processRoleName(ProcessRole role)
{
    switch (role) {
    case ProcessRole::Causality: return QStringLiteral("causality");
    case ProcessRole::Actor: return QStringLiteral("actor");
    case ProcessRole::OsActor: return QStringLiteral("os_actor");
    case ProcessRole::Action: return QStringLiteral("action");
    }
    return {};
}
} // namespace causa
