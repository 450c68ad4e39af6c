#pragma once

#include "analysisresult.h"

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
    static QList<DecodeLayer> decode(const QString &commandLine, const Limits &limits);
    static QList<DecodeLayer> decode(const QString &commandLine) { return decode(commandLine, Limits()); }
};

} // namespace causa
