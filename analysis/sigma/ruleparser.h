#pragma once

#include "compiledrule.h"

#include <QByteArray>

namespace causa::sigma::detail {

// Reads one Sigma rule file's text into a draft. Returns false with `reason` set for a rule
// the engine cannot run (correlations, aggregations, unknown modifiers, bad YAML...).
bool parseRule(const QByteArray &yaml, const QString &path, RuleDraft &out, QString *reason);

// A condition expression over the draft's searches: and, or, not, brackets, "1 of x*",
// "all of x*", "1 of them", "all of them". False with `reason` when it cannot be read.
bool parseCondition(const QString &text, const std::vector<Search> &searches, CondNode &out,
                    QString *reason);

} // namespace causa::sigma::detail
