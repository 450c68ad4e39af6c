#include "workbenchservice.h"

#include "cmdline/storeanalyzer.h"
#include "core/logging.h"

#include "enrichment/enrichmentservice.h"
#include "forest/offthreadrelease.h"
#include "import/importdispatcher.h"
#include "store/caseassignment.h"
#include "store/markingstore.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QSqlDatabase>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtConcurrentRun>

#include <optional>

namespace causa {

namespace {

// Worker threads in a pool outlive single jobs; their per-thread connections are released when
// the pool expires the thread. Connection names are tied to the store, so nothing leaks across stores.
template<typename Fn>
void post(QThreadPool &pool, Fn fn)
{
    pool.start(std::move(fn));
}

} // namespace

WorkbenchService::WorkbenchService(std::shared_ptr<CaseStore> store, QObject *parent)
    : QObject(parent), m_store(std::move(store))
{
    qRegisterMetaType<QList<causa::StoredPattern>>();
    qRegisterMetaType<causa::CaseDetail>();
    qRegisterMetaType<causa::ImportCounts>();
    qRegisterMetaType<std::vector<causa::CaseSummary>>();
    qRegisterMetaType<causa::CaseSummary>();
    qRegisterMetaType<std::vector<causa::Note>>();
    m_readers.setMaxThreadCount(2);
    m_writer.setMaxThreadCount(1);
    m_network.setMaxThreadCount(1);
    qRegisterMetaType<causa::EnrichmentReport>();
    qRegisterMetaType<std::shared_ptr<const causa::ScopedForest>>();
    qRegisterMetaType<std::vector<causa::OutboundRequest>>();
    qRegisterMetaType<causa::WorkbenchSettings>();
}

WorkbenchService::~WorkbenchService()
{
    m_cancelImport = true;
    m_network.waitForDone();
    m_writer.waitForDone();
    m_readers.waitForDone();
}

QString WorkbenchService::storeName() const
{
    return m_store->location().display();
}

quint64 WorkbenchService::reloadQueue(const CaseFilter &filter, int pageSize)
{
    const quint64 generation = ++m_queueGeneration;
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    // The count and the first page run side by side on the two readers (a word matching every
    // case costs both about as much); the queue is shown when both are in. Only the GUI thread
    // touches the join.
    struct Join
    {
        std::optional<Result<qint64>> total;
        std::optional<Result<std::vector<CaseSummary>>> rows;
    };
    auto join = std::make_shared<Join>();
    auto deliver = [self, generation, join] {
        if (!self || generation != self->m_queueGeneration || !join->total || !join->rows)
            return;
        const Result<qint64> &total = *join->total;
        const Result<std::vector<CaseSummary>> &rows = *join->rows;
        if (!total || !rows)
            Q_EMIT self->errorOccurred(!total ? total.error().toString() : rows.error().toString());
        else
            Q_EMIT self->queueLoaded(generation, total.value(), rows.value());
    };
    post(m_readers, [self, store, filter, join, deliver] {
        auto total = store->countCases(filter);
        QMetaObject::invokeMethod(self, [join, deliver, total = std::move(total)]() mutable {
            join->total = std::move(total);
            deliver();
        });
    });
    post(m_readers, [self, store, filter, pageSize, join, deliver] {
        CaseFilter f = filter;
        f.offset = 0;
        f.limit = pageSize;
        auto rows = store->cases(f);
        QMetaObject::invokeMethod(self, [join, deliver, rows = std::move(rows)]() mutable {
            join->rows = std::move(rows);
            deliver();
        });
    });
    return generation;
}

void WorkbenchService::loadQueuePage(quint64 generation, const CaseFilter &filter, qint64 offset,
                                     int pageSize)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_readers, [self, store, filter, offset, pageSize, generation] {
        CaseFilter f = filter;
        f.offset = int(offset);
        f.limit = pageSize;
        auto rows = store->cases(f);
        QMetaObject::invokeMethod(self, [self, generation, offset, rows = std::move(rows)] {
            if (!self || generation != self->m_queueGeneration)
                return;
            if (!rows)
                Q_EMIT self->errorOccurred(rows.error().toString());
            else
                Q_EMIT self->queuePageLoaded(generation, offset, rows.value());
        });
    });
}

void WorkbenchService::loadCase(qint64 caseId)
{
    const quint64 generation = ++m_caseGeneration;
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_readers, [self, store, caseId, generation] {
        CaseDetail d;
        QString error;
        if (auto s = store->caseSummary(caseId))
            d.summary = s.value();
        else
            error = s.error().toString();
        if (auto a = store->alertsOfCase(caseId))
            d.alerts = std::move(a.value());
        if (auto p = store->processesOfCase(caseId))
            d.processes = std::move(p.value());
        if (auto i = store->indicatorsOfCase(caseId))
            d.indicators = std::move(i.value());
        QMetaObject::invokeMethod(self, [self, generation, d = std::move(d), error] {
            if (!self || generation != self->m_caseGeneration)
                return;
            if (!error.isEmpty())
                Q_EMIT self->errorOccurred(error);
            else
                Q_EMIT self->caseLoaded(d);
        });
    });
}

void WorkbenchService::noteCaseChanged(qint64 caseId)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_readers, [self, store, caseId] {
        auto summary = store->caseSummary(caseId);
        QMetaObject::invokeMethod(self, [self, summary = std::move(summary)] {
            if (!self)
                return;
            if (summary)
                Q_EMIT self->caseUpdated(summary.value());
            else
                Q_EMIT self->errorOccurred(summary.error().toString());
        });
    });
}

void WorkbenchService::importFiles(const QStringList &paths)
{
    m_cancelImport = false;
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    m_importsRunning += int(paths.size());
    for (const QString &path : paths) {
        post(m_writer, [self, store, path, this] {
            ImportOptions options;
            options.cancel = &m_cancelImport;
            options.progress = [self, path](qint64 done, qint64 total) {
                QMetaObject::invokeMethod(self, [self, path, done, total] {
                    if (self)
                        Q_EMIT self->importProgress(path, done, total);
                });
            };
            options.warn = [self](const QString &problem) {
                QMetaObject::invokeMethod(self, [self, problem] {
                    if (self)
                        Q_EMIT self->importWarning(problem);
                });
            };
            auto counts = ImportDispatcher(*store).importFile(path, options);
            QMetaObject::invokeMethod(self, [self, path, counts = std::move(counts)] {
                if (!self)
                    return;
                if (counts)
                    Q_EMIT self->importFinished(path, counts.value());
                else
                    Q_EMIT self->importFailed(path, counts.error().toString());
                if (--self->m_importsRunning == 0)
                    Q_EMIT self->allImportsFinished();
            });
        });
    }
}

void WorkbenchService::loadNotes(qint64 caseId)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_readers, [self, store, caseId] {
        auto notes = notestore::notes(*store, caseId);
        QMetaObject::invokeMethod(self, [self, caseId, notes = std::move(notes)] {
            if (!self)
                return;
            if (notes)
                Q_EMIT self->notesLoaded(caseId, notes.value());
            else
                Q_EMIT self->errorOccurred(notes.error().toString());
        });
    });
}

void WorkbenchService::addNote(qint64 caseId, const QString &author, const QString &body)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_writer, [self, store, caseId, author, body] {
        auto added = notestore::add(*store, caseId, author, body);
        QMetaObject::invokeMethod(self, [self, caseId, added = std::move(added)] {
            if (!self)
                return;
            if (!added)
                Q_EMIT self->errorOccurred(added.error().toString());
            self->loadNotes(caseId);
        });
    });
}

void WorkbenchService::assignCase(qint64 caseId, const QString &assignee, const QString &actor,
                                  int expectedVersion, bool force)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_writer, [self, store, caseId, assignee, actor, expectedVersion, force] {
        caseassignment::Request req;
        req.caseId = caseId;
        req.assignee = assignee;
        req.actor = actor;
        if (expectedVersion > 0)
            req.expectedVersion = expectedVersion;
        req.force = force;
        auto r = caseassignment::assign(*store, req);
        QMetaObject::invokeMethod(self, [self, caseId, r = std::move(r)] {
            if (!self)
                return;
            if (r)
                Q_EMIT self->caseAssigned(r->summary);
            else {
                Q_EMIT self->assignmentFailed(caseId, r.error().code, r.error().message);
                Q_EMIT self->errorOccurred(r.error().message);
            }
        });
    });
}

std::shared_ptr<const CommandLineAnalyzer> WorkbenchService::commandLineAnalyzer() const
{
    auto analyzer = analyzerForStore(*m_store);
    if (analyzer)
        return analyzer.value();
    qCWarning(lcStore) << "custom patterns unavailable:" << analyzer.error().message;
    return nullptr;
}

QFuture<AnalysisResult> WorkbenchService::analyzeCommandLine(const QString &commandLine)
{
    return QtConcurrent::run(&m_readers, [this, commandLine] {
        const auto analyzer = commandLineAnalyzer();
        return analyzer ? analyzer->analyze(commandLine)
                        : sharedCommandLineAnalyzer().analyze(commandLine);
    });
}

void WorkbenchService::loadPatterns()
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_readers, [self, store] {
        auto list = patternstore::list(*store, false);
        QMetaObject::invokeMethod(self, [self, list = std::move(list)] {
            if (!self)
                return;
            if (list)
                Q_EMIT self->patternsLoaded(list.value());
            else
                Q_EMIT self->errorOccurred(list.error().toString());
        });
    });
}

void WorkbenchService::savePattern(const CustomRule &rule, const QString &actor)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_writer, [self, store, rule, actor] {
        auto r = patternstore::save(*store, rule, actor);
        QMetaObject::invokeMethod(self, [self, error = r ? QString() : r.error().message] {
            if (!self)
                return;
            if (!error.isEmpty())
                Q_EMIT self->errorOccurred(error);
            self->loadPatterns();
        });
    });
}

void WorkbenchService::retirePattern(const QString &kind, const QString &name)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_writer, [self, store, kind, name] {
        auto r = patternstore::retire(*store, kind, name);
        QMetaObject::invokeMethod(self, [self, error = r ? QString() : r.error().message] {
            if (!self)
                return;
            if (!error.isEmpty())
                Q_EMIT self->errorOccurred(error);
            self->loadPatterns();
        });
    });
}

void WorkbenchService::markCase(qint64 caseId, const QString &tlp, const QString &pap,
                                const QString &actor)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_writer, [self, store, caseId, tlp, pap, actor] {
        auto r = markings::markCase(*store, caseId, tlp, pap, actor);
        QMetaObject::invokeMethod(
            self, [self, caseId, error = r ? QString() : r.error().toString()] {
                if (!self)
                    return;
                if (!error.isEmpty())
                    Q_EMIT self->errorOccurred(error);
                self->noteCaseChanged(caseId);
                self->loadEnrichment(caseId); // what may be sent depends on the marking
            });
    });
}

void WorkbenchService::markIndicator(qint64 caseId, qint64 indicatorId, const QString &tlp,
                                     const QString &pap, const QString &actor)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_writer, [self, store, caseId, indicatorId, tlp, pap, actor] {
        auto r =
            markings::markIndicator(*store, caseId, QString::number(indicatorId), tlp, pap, actor);
        QMetaObject::invokeMethod(self,
                                  [self, caseId, error = r ? QString() : r.error().toString()] {
                                      if (!self)
                                          return;
                                      if (!error.isEmpty())
                                          Q_EMIT self->errorOccurred(error);
                                      self->loadEnrichment(caseId);
                                  });
    });
}

void WorkbenchService::loadEnrichment(qint64 caseId)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_readers, [self, store, caseId] {
        // The preview follows the team policy: in offline mode it rightly shows nothing to send.
        auto settings = WorkbenchSettings::enrichmentSettings(*store);
        Result<EnrichmentReport> report =
            settings ? Result<EnrichmentReport>(EnrichmentReport()) : settings.error();
        std::vector<OutboundRequest> preview;
        if (settings) {
            EnrichmentService enrichment(*store, settings.value());
            report = enrichment.cachedReport(caseId);
            preview = enrichment.preview(caseId);
        }
        QMetaObject::invokeMethod(
            self, [self, caseId, report = std::move(report), preview = std::move(preview)] {
                if (!self)
                    return;
                if (!report)
                    Q_EMIT self->errorOccurred(report.error().toString());
                else
                    Q_EMIT self->enrichmentLoaded(caseId, report.value(), preview);
            });
    });
}

void WorkbenchService::loadForest(qint64 caseId)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_readers, [self, store, caseId] {
        auto forest = forestForCase(*store, caseId);
        std::shared_ptr<const ScopedForest> shared;
        QString error;
        if (forest)
            // never freed on the GUI thread
            shared = shareReleasedOffThread(std::move(forest.value()));
        else
            error = forest.error().toString();
        QMetaObject::invokeMethod(self, [self, caseId, shared, error] {
            if (!self)
                return;
            if (!error.isEmpty())
                Q_EMIT self->errorOccurred(error);
            else
                Q_EMIT self->forestLoaded(caseId, shared);
        });
    });
}

void WorkbenchService::enrich(qint64 caseId, bool offline)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    Q_EMIT enrichmentRunning(caseId, true);
    post(m_network, [self, store, caseId, offline] {
        // The team's policy (offline mode, providers, TTL) from the store applies on top.
        auto settings = WorkbenchSettings::enrichmentSettings(*store);
        Result<EnrichmentReport> report =
            settings ? Result<EnrichmentReport>(EnrichmentReport()) : settings.error();
        if (settings) {
            settings->offline = settings->offline || offline;
            report = EnrichmentService(*store, settings.value()).enrichCase(caseId);
        }
        QMetaObject::invokeMethod(
            self, [self, caseId, error = report ? QString() : report.error().toString()] {
                if (!self)
                    return;
                Q_EMIT self->enrichmentRunning(caseId, false);
                if (!error.isEmpty())
                    Q_EMIT self->errorOccurred(error);
                self->loadEnrichment(caseId);
            });
    });
}

void WorkbenchService::setManualVerdict(qint64 caseId, qint64 indicatorId, int score,
                                        const QString &reason, const QString &analyst)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_writer, [self, store, caseId, indicatorId, score, reason, analyst] {
        auto r = EnrichmentService(*store, EnrichmentSettings::fromEnvironment())
                     .setManualVerdict(indicatorId, static_cast<Score>(score), reason, analyst);
        QMetaObject::invokeMethod(self,
                                  [self, caseId, error = r ? QString() : r.error().toString()] {
                                      if (!self)
                                          return;
                                      if (!error.isEmpty())
                                          Q_EMIT self->errorOccurred(error);
                                      self->loadEnrichment(caseId);
                                  });
    });
}

void WorkbenchService::cancelImport()
{
    m_cancelImport = true;
}

QStringList WorkbenchService::sampleFiles()
{
    // Resource files are copied out once so every importer (and libevtx) can read a real path.
    static QString dir;
    if (dir.isEmpty()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::TempLocation) +
              QStringLiteral("/causa-sample-") +
              QString::number(QCoreApplication::applicationPid());
        QDir().mkpath(dir);
    }
    QStringList out;
    for (const char *name :
         {"fin-ws-042-incident.json", "fin-ws-042-events.jsonl", "fin-ws-042-iocs.csv"}) {
        const QString src = QStringLiteral(":/causa/samples/") + QLatin1String(name);
        const QString dst = dir + QLatin1Char('/') + QLatin1String(name);
        if (!QFileInfo::exists(dst))
            QFile::copy(src, dst);
        if (QFileInfo::exists(dst))
            out << dst;
    }
    return out;
}

void WorkbenchService::loadSettings()
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_readers, [self, store] {
        auto s = WorkbenchSettings::load(*store);
        QMetaObject::invokeMethod(self, [self, s] {
            if (!self)
                return;
            if (s)
                Q_EMIT self->settingsLoaded(s.value());
            else
                Q_EMIT self->errorOccurred(s.error().toString());
        });
    });
}

void WorkbenchService::saveSettings(const WorkbenchSettings &settings)
{
    QPointer<WorkbenchService> self(this);
    auto store = m_store;
    post(m_writer, [self, store, settings] {
        auto r = settings.save(*store);
        QMetaObject::invokeMethod(self,
                                  [self, settings, error = r ? QString() : r.error().toString()] {
                                      if (self)
                                          Q_EMIT self->settingsSaved(settings, error);
                                  });
    });
}

} // namespace causa
