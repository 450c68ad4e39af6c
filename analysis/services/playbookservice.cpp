#include "playbookservice.h"

#include "playbook/stageservices.h"
#include "store/actionstore.h"
#include "store/casestore.h"
#include "workbenchservice.h"

#include <QPointer>

namespace causa {

namespace {

const QString kPlaybookId = QStringLiteral("remote-psexec-lolbin");

} // namespace

PlaybookService::PlaybookService(WorkbenchService *workbench, QObject *parent)
    : QObject(parent), m_workbench(workbench), m_store(workbench->store())
{
    qRegisterMetaType<causa::PlaybookSnapshot>();
    m_commands.setMaxThreadCount(1); // one case's steps never overlap
}

PlaybookService::~PlaybookService()
{
    m_commands.waitForDone();
}

void PlaybookService::setConnectorFactory(std::function<std::shared_ptr<ActionConnector>()> factory)
{
    m_connectors = std::move(factory);
}

quint64 PlaybookService::load(qint64 caseId)
{
    return post(caseId, false, [caseId](PlaybookEngine &engine) -> Result<qint64> {
        auto last = engine.latestRun(caseId);
        if (!last)
            return last.error();
        return last->has_value() ? last->value().id : qint64(0);
    });
}

quint64 PlaybookService::submit(qint64 caseId, Command command, bool startRun,
                                const QStringList &newRunInputs, const QString &analyst)
{
    return post(caseId, true, [=](PlaybookEngine &engine) -> Result<qint64> {
        auto last = engine.latestRun(caseId);
        if (!last)
            return last.error();
        qint64 runId = last->has_value() ? last->value().id : 0;
        if (startRun && (runId == 0 || last->value().state == RunState::Completed)) {
            auto started = engine.start(caseId, newRunInputs, analyst);
            if (!started)
                return started.error();
            runId = started->id;
        }
        if (auto r = command(engine, runId); !r)
            return makeError(r.error().code, r.error().message, QString::number(runId));
        return runId;
    });
}

quint64 PlaybookService::startNewRun(qint64 caseId, const QStringList &inputs,
                                     const QString &analyst)
{
    return post(caseId, true, [=](PlaybookEngine &engine) -> Result<qint64> {
        auto started = engine.start(caseId, inputs, analyst);
        if (!started)
            return started.error();
        return started->id;
    });
}

quint64 PlaybookService::post(qint64 caseId, bool write,
                              std::function<Result<qint64>(PlaybookEngine &)> work)
{
    const quint64 generation = ++m_generation;
    QPointer<PlaybookService> self(this);
    auto store = m_store;
    auto connector = write && m_connectors ? m_connectors() : nullptr;
    const QStringList defaults = m_inputDefaults;
    ++m_running;
    auto job = [self, store, connector, defaults, caseId, generation, write,
                work = std::move(work)] {
        PlaybookSnapshot snap;
        snap.generation = generation;
        snap.caseId = caseId;
        snap.changed = write;
        auto def = PlaybookDefinition::load(kPlaybookId);
        if (def) {
            PlaybookEngine engine(*store, def.value(), composeStageServices(*store));
            engine.setConnectors(connector);
            engine.setInputDefaults(defaults);
            auto runId = work(engine);
            // A failed command still shows the run it acted on (its id rides in the location).
            const qint64 shown = runId ? runId.value() : runId.error().location.toLongLong();
            if (!runId)
                snap.error = runId.error().message;
            if (shown > 0) {
                if (auto v = engine.view(shown))
                    snap.view = std::move(v.value());
                else if (snap.error.isEmpty())
                    snap.error = v.error().message;
            }
        } else {
            snap.error = def.error().message;
        }
        if (auto pending = actionstore::pending(*store))
            snap.pending = std::move(pending.value());
        if (auto cs = store->caseSummary(caseId))
            snap.caseSummary = cs.value();
        QMetaObject::invokeMethod(self, [self, snap = std::move(snap)] {
            if (!self)
                return;
            --self->m_running;
            Q_EMIT self->snapshotReady(snap);
        });
    };
    if (write)
        m_commands.start(std::move(job));
    else
        m_workbench->postRead(std::move(job));
    return generation;
}

} // namespace causa
