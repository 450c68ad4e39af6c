#pragma once

#include <QString>

#include <atomic>
#include <functional>

namespace causa {

// How an import reports progress and learns it was cancelled; shared by every importer.
struct ImportOptions
{
    std::function<void(qint64 done, qint64 total)> progress;
    const std::atomic_bool *cancel = nullptr;
    QString actor = QStringLiteral("import");
    // JSON-lines importers report each bad record here (file:line: message) and go on.
    std::function<void(const QString &problem)> warn;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
};

} // namespace causa
