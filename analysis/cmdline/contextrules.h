#pragma once

#include "analysisresult.h"

#include <QStringList>
#include <QStringView>

#include <utility>
#include <vector>

namespace causa::detail {

// Credentials written in plain text on the line: a password switch next to a user switch
// (-u x -p y, /user:x /password:y, /u x /p y), /pass:value, "net use ... /user:x secret",
// user:password@host. Adds one credential_access finding per layer.
void detectPlainTextCredentials(QStringView text, int layer, QList<Finding> *findings,
                                const std::vector<std::pair<qsizetype, qsizetype>> *opaque);

// Re-weighs findings by what the line's context says, before scoring (each change is noted
// on the finding, so the analyst sees why it counts less or more):
// - what a decoded payload does: a base64 layer whose text leads to no finding of intent is
//   data or an inert script (a folder listing), not obfuscation; one that hides intent counts;
// - who passes it: base64 given to a program installed under Program Files that is no
//   script host or LOLBin is that program's data (an updater's /ping XML);
// - where a download comes from: when every network destination is a software vendor's own
//   distribution domain, the download is an installer, not a cradle.
void applyContext(AnalysisResult *r, const QStringList &vendorDomains,
                  const QStringList &lolbinNames);

} // namespace causa::detail
