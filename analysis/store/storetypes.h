#pragma once

#include "core/records.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace causa {

// One row of the case queue.
struct CaseSummary
{
    qint64 id = 0;
    QString source;
    QString sourceRef;
    QString title;
    Severity severity = Severity::Unknown;
    QString status;
    QString verdict;
    QString assignee;
    QString tlp;
    QString pap;
    QString resolutionNote;
    QStringList hosts;
    QStringList users;
    qint64 alertCount = 0;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    int rowVersion = 0;
};

// An alert as stored, with its store ids.
struct StoredAlert
{
    qint64 id = 0;
    qint64 caseId = 0;
    AlertRecord alert;
};

// A process as stored, with the roles it plays in the case's alerts.
struct StoredProcess
{
    qint64 id = 0;
    ProcessRecord process;
    QStringList roles; // "action@<alert id>" ...
};

struct CaseIndicator
{
    qint64 indicatorId = 0;
    QString type;
    QString value;
    QString asWritten;
    QStringList contexts;
    bool internal = false;
    int manualScore = -1;
    QString tlp;
    QString pap;
};

struct StoreStats
{
    qint64 cases = 0;
    qint64 alerts = 0;
    qint64 endpoints = 0;
    qint64 processes = 0;
    qint64 events = 0;
    qint64 indicators = 0;
    qint64 actions = 0;
};

struct CaseFilter
{
    // words matched (as prefixes) in title, hosts, users, source ref, status, verdict
    QString text;
    // id, severity, title, status, verdict, hosts, users, alert_count, created_at
    QString sortKey = QStringLiteral("severity");
    bool descending = true;
    int limit = -1;
    int offset = 0;
    // When known (from countCases), lets the store pick the faster plan for very common words
    // without estimating the number of matches first.
    qint64 knownCount = -1;
};

} // namespace causa
