#pragma once

#include <QString>

#include <functional>
#include <memory>

class QWidget;

namespace causa {

class CaseStore;

// Entry points for the main window's "Pull from XDR…" and "XDR tenants…" actions: each dialog
// owns its XdrService (worker thread) for its lifetime.
void openXdrPullDialog(QWidget *parent, std::shared_ptr<CaseStore> store,
                       std::function<void(qint64 caseId, const QString &summary)> onPulled);
void openXdrTenantsDialog(QWidget *parent, std::shared_ptr<CaseStore> store);

} // namespace causa
