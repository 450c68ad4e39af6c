#pragma once

#include "core/intelentry.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace causa {

// Everything the machine already knows about one case indicator, gathered from the store so the
// providers never run SQL.
struct EnrichmentSubject
{
    struct Process
    {
        QString imageName;
        QString imagePath;
        QString signatureStatus;
        QString signatureVendor;
    };

    qint64 indicatorId = 0;
    QString type;
    QString value;
    bool internal = false;
    QString tlp; // the indicator's own marking
    QString pap;
    QString caseTlp; // the case's marking: RED keeps every indicator of the case home
    QString casePap;
    int manualScore = -1;
    QString manualReason;
    QString manualBy;
    QStringList contexts;
    std::vector<IntelEntry> intel;  // local intel entries for (type, value)
    std::vector<Process> processes; // processes of the case with this hash
    QStringList wildfireVerdicts;   // the alerts' own WildFire verdicts for this hash
};

} // namespace causa
