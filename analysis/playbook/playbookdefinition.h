#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace causa {

// A declared playbook input: name, type (bool, int, duration, enum) and default.
struct PlaybookInputSpec
{
    QString name;
    QString type;
    nlohmann::json defaultValue;
    QStringList values; // enum choices
    int min = INT32_MIN;
    int max = INT32_MAX;
    QString description;
};

// "Run/skip this stage when stage S's output O equals V".
struct StageCondition
{
    QString stage;
    QString output;
    nlohmann::json equals;
    QString reason;
};

// One stage of a playbook as declared in resources/playbooks/*.json.
struct StageDefinition
{
    QString id;
    QString number;
    QString title;
    QString executor;
    QString description;
    std::optional<StageCondition> skipIf;
    std::optional<StageCondition> runIf;
    QStringList proposes;
    QStringList checklist;
    bool blocking = false; // the run waits here until the stage's actions are decided
};

// A playbook as data: the engine interprets it, nothing about the stages is hard-coded in order.
struct PlaybookDefinition
{
    QString id;
    QString version;
    QString title;
    std::vector<PlaybookInputSpec> inputs;
    std::vector<StageDefinition> stages;

    const StageDefinition *stage(const QString &id) const;
    int stageIndex(const QString &id) const;
    // Defaults of every input as one JSON object.
    nlohmann::json defaultInputs() const;
    // Applies "Name=value" strings on top of base, checking names and types.
    Result<nlohmann::json> applyInputs(nlohmann::json base, const QStringList &assignments) const;
    // Checks types of a complete input object (used when resuming a stored run).
    Result<void> validateInputs(const nlohmann::json &inputs) const;

    static Result<PlaybookDefinition> parse(const QByteArray &json, const QString &origin);
    // ":/causa/playbooks/<id>.json"
    static Result<PlaybookDefinition> load(const QString &id);
};

// "2h", "90m", "30s", "1d", "7200000" (ms) -> milliseconds, or -1.
qint64 parseDurationMs(const QString &text);

} // namespace causa
