#pragma once

#include "analysisresult.h"

#include <utility>
#include <vector>

namespace causa::detail {

// Detectors that need the argument structure rather than keywords: PowerShell switches
// written in any unambiguous prefix (-w h, -nop, -ep bypass) and mixed-case program names
// (poWerSheLl.eXe). Adds each finding once across layers. Call it only for layers that name
// a shell (powershell, pwsh or cmd); the keyword scan already knows.
// opaque: the layer's opaque runs (payload tokens the tokenizer copies without looking inside).
void detectPowerShellTraits(QStringView text, int layer, QList<Finding> *findings,
                            const std::vector<std::pair<qsizetype, qsizetype>> *opaque = nullptr);

} // namespace causa::detail
