#pragma once

#include "core/result.h"

#include <QSqlDatabase>
#include <QString>

#include <QSet>

#include <functional>

// Read-side SQL for turning a case's command lines into case indicators at import time
// (SPEC §6). Runs on the import's own connection, inside its transaction.
namespace causa::cmdlineq {

// The highest alert and event ids before an import; rows above them are the import's own.
struct ImportMark
{
    qint64 alertId = 0;
    qint64 eventId = 0;
};
Result<ImportMark> importMark(QSqlDatabase &db);

// A command line from endpoint events that belongs to a case.
struct CaseLine
{
    qint64 caseId = 0;
    QString commandLine;
};

// Visits the endpoint-event command lines the import (everything above `mark`) brought to cases,
// row by row (memory stays flat on a large import; a line may come more than once). The lines of
// the alerts' own processes are not visited: the importer reads those with each alert
// (AlertLineIndicators).
//  - processes created in the events it added, on an endpoint where a case has an alert
//    detected within `windowMs` of the process start (`written`: every endpoint the import
//    wrote to; when none of them has an alert, the new events are not read at all);
//  - for the alerts it added, processes from endpoint events stored earlier on the same endpoint
//    within `windowMs` (an event file imported before its incident).
using CaseLineVisitor = std::function<Result<void>(const CaseLine &)>;
Result<void> forEachCommandLineSince(QSqlDatabase &db, const ImportMark &mark,
                                     const QSet<qint64> &written, qint64 windowMs,
                                     const CaseLineVisitor &visit);

} // namespace causa::cmdlineq
