#include "xdrdialogs.h"

#include "pulldialog.h"
#include "services/xdrservice.h"
#include "tenantsdialog.h"

namespace causa {

void openXdrTenantsDialog(QWidget *parent, std::shared_ptr<CaseStore> store)
{
    auto *service = new XdrService(std::move(store));
    TenantsDialog dialog(service, parent);
    service->setParent(&dialog);
    dialog.exec();
}

void openXdrPullDialog(QWidget *parent, std::shared_ptr<CaseStore> store,
                       std::function<void(qint64, const QString &)> onPulled)
{
    auto *service = new XdrService(store);
    PullDialog dialog(service, parent);
    service->setParent(&dialog);
    QObject::connect(&dialog, &PullDialog::pulled, &dialog,
                     [onPulled](qint64 caseId, const QString &summary) {
                         if (onPulled)
                             onPulled(caseId, summary);
                     });
    QObject::connect(&dialog, &PullDialog::manageTenantsRequested, &dialog,
                     [&dialog, store, service] {
                         openXdrTenantsDialog(&dialog, store);
                         service->loadTenants();
                     });
    dialog.exec();
}

} // namespace causa
