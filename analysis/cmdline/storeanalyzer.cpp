#include "storeanalyzer.h"

#include "core/errorcodes.h"
#include "store/patternstore.h"

#include <QMutex>

namespace causa {

Result<std::shared_ptr<const CommandLineAnalyzer>> analyzerForStore(const CaseStore &store)
{
    auto active = patternstore::activeRules(store);
    if (!active)
        return active.error();
    if (active->isEmpty()) // no custom rules: the process-wide analyser, not owned here
        return std::shared_ptr<const CommandLineAnalyzer>(std::shared_ptr<void>(),
                                                          &sharedCommandLineAnalyzer());
    // Rules are versioned and never edited in place, so kind/name/version identifies the set.
    QStringList fingerprint;
    for (const CustomRule &r : active.value())
        fingerprint << QStringLiteral("%1\x1f%2\x1f%3").arg(r.kind, r.name).arg(r.version);
    const QString key = fingerprint.join(QChar(0x1e));
    static QMutex mutex;
    static QString cachedKey;
    static std::shared_ptr<const CommandLineAnalyzer> cached;
    QMutexLocker lock(&mutex);
    if (cached && cachedKey == key)
        return cached;
    auto analyzer = std::make_shared<CommandLineAnalyzer>();
    analyzer->setCustomRules(active.value());
    if (!analyzer->loadError().isEmpty())
        return makeError(errc::kPatterns,
                         QStringLiteral("the store's custom patterns could not be compiled: ") +
                             analyzer->loadError());
    cachedKey = key;
    cached = analyzer;
    return cached;
}

} // namespace causa
