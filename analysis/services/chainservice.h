#pragma once

#include "investigation/lateralchain.h"
#include "workbenchservice.h" // declares the forest pointer's metatype, used by a signal here

#include <QObject>

#include <memory>

namespace causa {

class CaseStore;

// The lateral-movement view's door to the store: builds a case's chains, and a host's process
// forest (to open the source host's tree), on the workbench's reader pool; answers with values.
class ChainService final : public QObject
{
    Q_OBJECT

public:
    explicit ChainService(WorkbenchService *workbench, QObject *parent = nullptr);

    void loadChains(qint64 caseId);
    void loadHostForest(const QString &host, const QString &processKey);

Q_SIGNALS:
    void chainsLoaded(qint64 caseId, const causa::ChainReport &report);
    void hostForestLoaded(const QString &host, const QString &processKey,
                          std::shared_ptr<const causa::ScopedForest> forest);
    void errorOccurred(const QString &message);

private:
    WorkbenchService *m_workbench;
    std::shared_ptr<CaseStore> m_store;
    quint64 m_generation = 0;
};

} // namespace causa

Q_DECLARE_METATYPE(causa::ChainReport)
