#pragma once

#include "analysisresult.h"
#include "textscan.h"

#include <vector>

namespace causa {

// Peels obfuscation layers off a command line (SPEC §6), one transform per layer, each with
// its span in the parent. Bounded: at most maxLayers layers, no layer above maxLayerChars,
// and a total work budget, so hostile input costs linear time and bounded memory.
class Decoder
{
public:
    struct Limits
    {
        int maxLayers = 32;
        qsizetype maxLayerChars = 8 * 1024 * 1024;
        qsizetype maxTotalChars = 24 * 1024 * 1024;
        qsizetype workBudget = 256 * 1024 * 1024; // characters scanned across all transforms
    };
    // scans (optional) receives scanLayer() of the original line and of each layer, in order,
    // as far as the decoder computed them (the analyzer reuses them instead of rescanning).
    static QList<DecodeLayer> decode(const QString &commandLine, const Limits &limits,
                                     std::vector<detail::LayerScan> *scans = nullptr);
    static QList<DecodeLayer> decode(const QString &commandLine)
    {
        return decode(commandLine, Limits());
    }
};

} // namespace causa
