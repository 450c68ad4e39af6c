#pragma once

#include "analysisresult.h"
#include "decoder.h"
#include "knowledgebase.h"

#include <memory>

namespace causa {

// Static analysis of one command line (SPEC §6): decodes every layer, runs the detectors and
// the LOLBin catalogue over each, extracts indicators and scores the result. Nothing is ever
// executed. analyze() is const and thread-safe; the knowledge base is shared and immutable.
class CommandLineAnalyzer;
// One analyser for the whole process (its knowledge base loads once); safe from any thread.
const CommandLineAnalyzer &sharedCommandLineAnalyzer();

class CommandLineAnalyzer
{
public:
    // Loads the built-in catalogue once per process (shared by every analyzer).
    CommandLineAnalyzer();
    explicit CommandLineAnalyzer(std::shared_ptr<const KnowledgeBase> knowledge);

    AnalysisResult analyze(const QString &commandLine) const;
    // Only the indicators analyze() would list (decoding and extraction, no detectors or
    // score): what import needs for every alert's command lines, at a fraction of the cost.
    QList<ExtractedIndicator> extractIndicators(const QString &commandLine) const;

    // Adds the analyst's stored patterns and allowlist entries on top of the built-in rules.
    void setCustomRules(const QList<CustomRule> &rules);

    // Empty unless the built-in knowledge failed to load (then analyze() returns errors).
    QString loadError() const { return m_loadError; }
    const KnowledgeBase *knowledge() const { return m_knowledge.get(); }
    void setLimits(const Decoder::Limits &limits) { m_limits = limits; }

    static constexpr qsizetype kMaxInputChars = 16 * 1024 * 1024;

private:
    std::shared_ptr<const KnowledgeBase> m_knowledge;
    QString m_loadError;
    Decoder::Limits m_limits;
};

} // namespace causa
