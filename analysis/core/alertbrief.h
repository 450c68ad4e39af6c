#pragma once

#include "core/severity.h"

#include <QString>
#include <QStringList>

namespace causa {

// An alert row as the endpoint investigation and the hunt see it.
struct AlertBrief
{
    qint64 id = 0;
    qint64 caseId = 0;
    qint64 endpointId = 0;
    QString name;
    Severity severity = Severity::Unknown;
    qint64 detectedAt = 0;
    QString hostName;
    QStringList tactics;
    QString remoteIp;
    QString ruleId;
    QString relation; // why an investigation lists it ("same case", "same endpoint …")
};

} // namespace causa
