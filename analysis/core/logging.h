#pragma once

#include <QLoggingCategory>

namespace causa {
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcImport)
Q_DECLARE_LOGGING_CATEGORY(lcAnalysis)
Q_DECLARE_LOGGING_CATEGORY(lcPlaybook)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
} // namespace causa
