#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

namespace causa {

// One run of a playbook on a case, as persisted in playbook_runs.
struct PlaybookRunRecord
{
    qint64 id = 0;
    qint64 caseId = 0;
    QString playbookId;
    QString playbookVersion;
    nlohmann::json inputs = nlohmann::json::object();
    QString state; // running, awaiting_approval, completed
    QString startedBy;
    qint64 startedAt = 0;
    qint64 updatedAt = 0;
    int rowVersion = 0;
};

// One stage's persisted state (stage_states).
struct StageStateRecord
{
    QString stageId;
    QString state = QStringLiteral("pending"); // pending, running, completed, skipped,
                                               // awaiting_approval, unavailable, failed
    nlohmann::json inputs = nlohmann::json::object();
    nlohmann::json outputs = nlohmann::json::object();
    QString actor;
    QString reason;
    qint64 startedAt = 0;
    qint64 finishedAt = 0;
};

struct ApprovalRecord
{
    QString approver;
    QString decision; // approve, reject
    QString note;
    qint64 decidedAt = 0;
    // Who the store vouches for beside the typed name: the PostgreSQL session user on a team
    // store, the operating-system user on a local SQLite store.
    QString login;
};

// A response action (SPEC §9) with its approvals.
struct ActionRecord
{
    qint64 id = 0;
    qint64 caseId = 0;
    qint64 runId = 0;
    QString stageId;
    QString kind;   // terminate_causality, terminate_process, block_hash, block_ip, block_url,
                    // block_domain, disable_user, isolate_endpoint
    QString target;
    nlohmann::json payload = nlohmann::json::object();
    QString rationale;
    QString state = QStringLiteral("proposed");
    QString connector;
    nlohmann::json result; // null until executed
    QString idempotencyKey;
    int requiredApprovals = 1;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 executedAt = 0;
    int rowVersion = 1;
    std::vector<ApprovalRecord> approvals;

    bool decided() const;
};

nlohmann::json toJson(const ActionRecord &a);
nlohmann::json toJson(const StageStateRecord &s);
nlohmann::json toJson(const PlaybookRunRecord &r);

} // namespace causa
