#pragma once

#include "store/casestore.h"

#include <QString>

namespace causa::test {

// Imports the shipped sample case (resources/samples/fin-ws-042-incident.json); returns its id.
qint64 importSampleCase(CaseStore &store);
// Adds what the other stages of an investigation leave behind (notes, evidence, severity change,
// playbook run, actions with approvals and results, enrichment, an intel match, audit entries),
// written with the schema's own tables as those services will.
void addInvestigationRecords(CaseStore &store, qint64 caseId);
// A case with one alert whose action process runs commandLine (and a parent process).
qint64 addCaseWithCommandLine(CaseStore &store, const QString &ref, const QString &commandLine);

// Markup and entities that must come out literally in every format.
inline QString hostileCommandLine()
{
    return QStringLiteral(
        "cmd.exe /c echo <h1>pwned</h1> <img src=x onerror=alert(1)> &lt;b&gt; \"quoted\" 'single'");
}

} // namespace causa::test
