#include "decoder.h"

#include "transforms.h"

namespace causa {

using namespace detail;

QList<DecodeLayer> Decoder::decode(const QString &commandLine, const Limits &limits,
                                   std::vector<detail::LayerScan> *scans)
{
    // Order matters only for readability of the chain: shell escapes first, then encodings,
    // then PowerShell string tricks; after any change the list restarts from the top.
    static const TransformFn transforms[] = {
        caretTransform,
        setVariableTransform,
        envSubstringTransform,
        encodedCommandTransform,
        whitespaceEncodingTransform,
        specialCharTransform,
        backtickTransform,
        charCodesTransform,
        concatTransform,
        formatOperatorTransform,
        replaceTransform,
        reverseTransform,
        base64Transform,
        hexEscapeTransform,
        urlDecodeTransform,
        ipNormaliseTransform,
    };
    QList<DecodeLayer> layers;
    QString current = commandLine;
    qsizetype total = 0;
    qsizetype work = 0;
    if (scans)
        scans->clear();
    while (layers.size() < limits.maxLayers) {
        bool fired = false;
        // One pass per layer; each transform then asks it what the layer holds.
        LayerScan scan = scanLayer(current);
        work += current.size();
        for (TransformFn fn : transforms) {
            work += current.size();
            if (work > limits.workBudget)
                break;
            TransformOutput out;
            if (!fn(current, scan, &out) || out.text == current)
                continue;
            DecodeLayer layer;
            layer.transform = out.transform;
            layer.start = qMax<qsizetype>(0, out.start);
            layer.end = qMax(layer.start, out.end);
            layer.note = out.note;
            layer.edits = out.edits;
            if (out.text.size() > limits.maxLayerChars) {
                out.text.truncate(limits.maxLayerChars);
                layer.note +=
                    (layer.note.isEmpty() ? QString() : QStringLiteral("; ")) +
                    QStringLiteral("layer truncated at %1 characters").arg(limits.maxLayerChars);
            }
            layer.text = std::move(out.text);
            current = layer.text;
            if (scans)
                scans->push_back(std::move(scan));
            total += current.size();
            layers.push_back(std::move(layer));
            fired = true;
            break;
        }
        if (!fired) {
            if (scans)
                scans->push_back(std::move(scan));
            break;
        }
        if (total > limits.maxTotalChars) {
            layers.last().note +=
                (layers.last().note.isEmpty() ? QString() : QStringLiteral("; ")) +
                QStringLiteral("decoding stopped: size limit reached");
            break;
        }
    }
    if (work > limits.workBudget && !layers.isEmpty())
        layers.last().note += (layers.last().note.isEmpty() ? QString() : QStringLiteral("; ")) +
                              QStringLiteral("decoding stopped: work budget exhausted");
    return layers;
}

} // namespace causa
