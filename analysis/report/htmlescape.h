#pragma once

#include <QString>

namespace causa::report {

// The one escaping function for untrusted text in HTML (element content and quoted attribute
// values): & < > " ' become entities; NUL and other C0 controls except tab/newline become U+FFFD
// so that data can never inject markup or break the document.
QString escapeHtml(QStringView text);

} // namespace causa::report
