#include "workbench.h"

#include "connectors/exportconnector.h"
#include "connectors/xdrconnector.h"
#include "mainwindow.h"
#include "panels/playbookpanel.h"
#include "savedviews.h"
#include "services/workbenchservice.h"
#include "store/casestore.h"
#include "workbenchactions.h"

#include <QStandardPaths>

namespace causa {

Workbench::Workbench(std::shared_ptr<CaseStore> store, QObject *parent) : QObject(parent)
{
    m_service = std::make_unique<WorkbenchService>(store);
    m_window = std::make_unique<MainWindow>(m_service.get());
    m_playbook = new PlaybookPanel(store, m_window.get());
    m_window->addCasePage(m_playbook, tr("Playbook"));
    connect(m_window.get(), &MainWindow::caseDetailLoaded, m_playbook,
            [this](const CaseDetail &d) { m_playbook->setCase(d.summary.id); });
    WorkbenchActions *actions = m_window->workbenchActions();
    connect(actions, &WorkbenchActions::settingsChanged, this, &Workbench::applySettings);
    connect(actions, &WorkbenchActions::openStoreRequested, this, &Workbench::openStoreRequested);
    // Approved actions go where the team's settings say; read when an action is decided.
    setConnectorFactory([actions]() -> std::shared_ptr<ActionConnector> {
        if (actions->settings().connector == QLatin1String("xdr"))
            return std::make_shared<XdrConnector>(XdrConnectorSettings::fromEnvironment());
        auto key = ExportConnector::localKey();
        if (!key)
            return nullptr;
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/exports");
        return std::make_shared<ExportConnector>(dir, key.value());
    });
    applySettings();
}

Workbench::~Workbench()
{
    // The window's panels hold the service: they go first.
    m_window.reset();
    m_service.reset();
}

Result<std::unique_ptr<Workbench>> Workbench::open(const QString &spec)
{
    StoreLocation location = StoreLocation::defaultLocation();
    if (!spec.isEmpty()) {
        auto parsed = StoreLocation::parse(spec);
        if (!parsed)
            return parsed.error();
        location = parsed.value();
    }
    auto opened = CaseStore::open(location);
    if (!opened)
        return opened.error();
    recentstores::add(location.display());
    return std::make_unique<Workbench>(opened.value());
}

void Workbench::setConnectorFactory(std::function<std::shared_ptr<ActionConnector>()> factory)
{
    m_connectors = std::move(factory);
    m_playbook->setConnectorFactory(m_connectors);
}

void Workbench::applySettings()
{
    m_playbook->setAnalyst(m_window->analystName());
    m_playbook->setInputDefaults(m_window->workbenchActions()->settings().playbookAssignments());
}

} // namespace causa
