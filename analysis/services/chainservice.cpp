#include "chainservice.h"

#include "forest/forestbuilder.h"
#include "workbenchservice.h"

#include <QPointer>

namespace causa {

ChainService::ChainService(WorkbenchService *workbench, QObject *parent)
    : QObject(parent), m_workbench(workbench), m_store(workbench->store())
{
    qRegisterMetaType<ChainReport>();
}

void ChainService::loadChains(qint64 caseId)
{
    QPointer<ChainService> self(this);
    auto store = m_store;
    const quint64 generation = ++m_generation;
    m_workbench->postRead([self, store, caseId, generation] {
        auto report = buildChainsForCase(*store, caseId);
        QMetaObject::invokeMethod(self, [self, caseId, generation, report = std::move(report)] {
            if (!self || generation != self->m_generation) // a newer case was asked for
                return;
            if (!report)
                Q_EMIT self->errorOccurred(report.error().toString());
            else
                Q_EMIT self->chainsLoaded(caseId, report.value());
        });
    });
}

void ChainService::loadHostForest(const QString &host, const QString &processKey)
{
    QPointer<ChainService> self(this);
    auto store = m_store;
    m_workbench->postRead([self, store, host, processKey] {
        auto forest = forestForHost(*store, host);
        std::shared_ptr<const ScopedForest> shared;
        if (forest)
            shared = std::make_shared<const ScopedForest>(std::move(forest.value()));
        QMetaObject::invokeMethod(self, [self, host, processKey, shared,
                                         error = forest ? QString() : forest.error().toString()] {
            if (!self)
                return;
            if (!shared)
                Q_EMIT self->errorOccurred(error);
            else
                Q_EMIT self->hostForestLoaded(host, processKey, shared);
        });
    });
}

} // namespace causa
