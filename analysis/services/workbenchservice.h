#pragma once

#include "casedetail.h"
#include "cmdline/analysisresult.h"
#include "core/records.h"
#include "core/result.h"
#include "enrichment/enrichmenttypes.h"
#include "forest/forestbuilder.h"
#include "playbook/workbenchsettings.h"
#include "store/casestore.h"
#include "store/notestore.h"
#include "store/patternstore.h"

#include <QFuture>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace causa {

class CommandLineAnalyzer;

// The GUI's single door to the store: loads and imports run on worker threads and come back as
// immutable values through queued signals. Each request carries a generation; stale results are
// dropped. The writer pool has one thread, so imports never race each other.
class WorkbenchService final : public QObject
{
    Q_OBJECT

public:
    explicit WorkbenchService(std::shared_ptr<CaseStore> store, QObject *parent = nullptr);
    ~WorkbenchService() override;

    std::shared_ptr<CaseStore> store() const { return m_store; }
    QString storeName() const;

    // The case queue, paged: count + first page (run side by side), then pages on demand. Results carry the generation
    // of the request; a newer reloadQueue makes older pages stale.
    quint64 reloadQueue(const CaseFilter &filter, int pageSize = 200);
    void loadQueuePage(quint64 generation, const CaseFilter &filter, qint64 offset,
                       int pageSize = 200);
    void loadCase(qint64 caseId);
    // Something outside this service changed a case (a playbook run raised its severity, closed
    // it): its summary is read again and announced through caseUpdated, so the queue row and the
    // overview follow without reloading every page of the case.
    void noteCaseChanged(qint64 caseId);
    // Imports files one after another on the writer thread; progress and results come as signals.
    void importFiles(const QStringList &paths);
    void cancelImport();
    void loadNotes(qint64 caseId);
    // Enrichment: the cached report plus what an enrichment would send; enrich() looks up on a
    // network thread of its own so imports and reads never wait for a slow provider.
    void loadEnrichment(qint64 caseId);
    void loadForest(qint64 caseId);
    void enrich(qint64 caseId, bool offline);
    void setManualVerdict(qint64 caseId, qint64 indicatorId, int score, const QString &reason,
                          const QString &analyst);
    void addNote(qint64 caseId, const QString &author, const QString &body);
    // Assigns (empty assignee = unassigns) on the writer thread. expectedVersion is the case's
    // row_version as the caller saw it: if another analyst changed the case meanwhile, the answer
    // is assignmentFailed with a conflict message instead of overwriting their change.
    void assignCase(qint64 caseId, const QString &assignee, const QString &actor,
                    int expectedVersion, bool force = false);
    bool importRunning() const { return m_importsRunning.load() > 0; }
    // TLP/PAP of the case or of one of its indicators (by id), on the writer thread; audited.
    // The case is announced again (caseUpdated) and its enrichment reloaded.
    void markCase(qint64 caseId, const QString &tlp, const QString &pap, const QString &actor);
    void markIndicator(qint64 caseId, qint64 indicatorId, const QString &tlp, const QString &pap,
                       const QString &actor);
    // Custom command-line patterns and allowlist entries: every version (patternsLoaded); saving
    // a rule under an existing name adds a version; retiring keeps the history. Each change is
    // answered with patternsLoaded (and errorOccurred when refused).
    void loadPatterns();
    void savePattern(const CustomRule &rule, const QString &actor);
    void retirePattern(const QString &kind, const QString &name);
    // Team settings from the store (settingsLoaded), saved on the writer thread (settingsSaved).
    void loadSettings();
    void saveSettings(const WorkbenchSettings &settings);
    // The command-line analyser with the store's custom patterns and allowlist; reads the store
    // on the calling thread (call it from a worker), the built-in analyser when that fails.
    std::shared_ptr<const CommandLineAnalyzer> commandLineAnalyzer() const;
    // Analyses one line with that analyser on a reader thread (drained before the store goes:
    // a line still in analysis when the window closes never reads a destroyed store).
    QFuture<AnalysisResult> analyzeCommandLine(const QString &commandLine);
    // The bundled sample case (resources/samples): XDR incident, events and IOC feed.
    static QStringList sampleFiles();
    // Runs a job on a reader thread / the single writer thread (sibling services of the case pages).
    void postRead(std::function<void()> job) { m_readers.start(std::move(job)); }
    void postWrite(std::function<void()> job) { m_writer.start(std::move(job)); }

Q_SIGNALS:
    void queueLoaded(quint64 generation, qint64 total,
                     const std::vector<causa::CaseSummary> &firstPage);
    void queuePageLoaded(quint64 generation, qint64 offset,
                         const std::vector<causa::CaseSummary> &rows);
    void caseLoaded(const causa::CaseDetail &detail);
    void caseUpdated(const causa::CaseSummary &summary);
    void importProgress(const QString &file, qint64 done, qint64 total);
    void importFinished(const QString &file, const causa::ImportCounts &counts);
    void importFailed(const QString &file, const QString &message);
    void importWarning(const QString &message);
    void allImportsFinished();
    void errorOccurred(const QString &message);
    void notesLoaded(qint64 caseId, const std::vector<causa::Note> &notes);
    void enrichmentLoaded(qint64 caseId, const causa::EnrichmentReport &report,
                          const std::vector<causa::OutboundRequest> &preview);
    void enrichmentRunning(qint64 caseId, bool running);
    void forestLoaded(qint64 caseId, std::shared_ptr<const causa::ScopedForest> forest);
    void caseAssigned(const causa::CaseSummary &summary);
    void assignmentFailed(qint64 caseId, const QString &code, const QString &message);
    void settingsLoaded(const causa::WorkbenchSettings &settings);
    void patternsLoaded(const QList<causa::StoredPattern> &patterns);
    // error is empty when the settings were saved.
    void settingsSaved(const causa::WorkbenchSettings &settings, const QString &error);

private:
    std::shared_ptr<CaseStore> m_store;
    QThreadPool m_readers;
    QThreadPool m_writer;
    QThreadPool m_network;
    std::atomic<quint64> m_caseGeneration{0};
    std::atomic<quint64> m_queueGeneration{0};
    std::atomic<int> m_importsRunning{0};
    std::atomic_bool m_cancelImport{false};
};

} // namespace causa

Q_DECLARE_METATYPE(causa::CaseDetail)
Q_DECLARE_METATYPE(QList<causa::StoredPattern>)
Q_DECLARE_METATYPE(causa::ImportCounts)
Q_DECLARE_METATYPE(std::vector<causa::Note>)
Q_DECLARE_METATYPE(causa::EnrichmentReport)
Q_DECLARE_METATYPE(std::shared_ptr<const causa::ScopedForest>)
Q_DECLARE_METATYPE(std::vector<causa::OutboundRequest>)
