#pragma once

#include "playbook/playbookdefinition.h"
#include "store/playbooktypes.h"

#include <QString>

namespace causa {

// One playbook stage as an analyst reads it: the state, who and why, then the stage's outputs as
// tables and badges (indicators with scores, command lines with verdicts and findings, related
// alerts, hunt hits with why they count, the proposed resolution). Every value from the case is
// escaped. Links use the causa: scheme (causa:cmdline/<n>, causa:host/<name>,
// causa:indicator/<value>, causa:raw) for the page to follow.
namespace stagepresenter {

QString html(const StageDefinition &definition, const StageStateRecord &stage);
// The stage's inputs and outputs as indented JSON (escaped), the "raw" view.
QString rawHtml(const StageDefinition &definition, const StageStateRecord &stage);
// "true_positive" → "true positive".
QString resolutionText(const QString &resolution);

} // namespace stagepresenter
} // namespace causa
