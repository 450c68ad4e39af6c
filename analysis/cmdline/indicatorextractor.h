#pragma once

#include "analysisresult.h"
#include "textscan.h"

namespace causa {

// Pulls IPs (every inet_aton notation), URLs and domains (also defanged hxxp/[.]), hashes,
// UNC paths and user names out of one layer's text, each with how it was written.
class IndicatorExtractor
{
public:
    // skip: opaque runs (detail::opaqueRuns) where no address, domain or hash is looked for.
    static void extract(QStringView text, int layer, QList<ExtractedIndicator> *out,
                        int maxIndicators = 500, const detail::Spans *skip = nullptr);
};

} // namespace causa
