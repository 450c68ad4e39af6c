#include "workbench.h"

#include "casepages.h"
#include "connectors/exportconnector.h"
#include "connectors/xdrconnector.h"
#include "mainwindow.h"
#include "panels/playbookpanel.h"
#include "savedviews.h"
#include "services/workbenchservice.h"
#include "store/casestore.h"
#include "workbenchactions.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QPointer>
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
    // Timeline, Evidence and Audit pages with evidence tagging and pivots (owned by the window).
    auto *pages = new CasePages(m_window.get(), m_service.get());
    connect(m_playbook, &PlaybookPanel::viewUpdated, pages, &CasePages::refresh);
    // Stage 5 raises the severity, stage 7 closes the case: the queue row and the overview follow.
    connect(m_playbook, &PlaybookPanel::caseChanged, m_service.get(), &WorkbenchService::noteCaseChanged);
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

Result<std::unique_ptr<Workbench>> Workbench::open(const QString &spec, const PasswordPrompt &askPassword)
{
    StoreLocation location = StoreLocation::defaultLocation();
    if (!spec.isEmpty()) {
        auto parsed = StoreLocation::parse(spec);
        if (!parsed)
            return parsed.error();
        location = parsed.value();
    }
    auto opened = CaseStore::open(location);
    // A refused login asks again until the server accepts or the analyst cancels.
    while (!opened && opened.error().code == QLatin1String("store-auth") && askPassword) {
        const std::optional<QString> password = askPassword(location, opened.error().message);
        if (!password)
            return opened.error();
        location.password = *password;
        opened = CaseStore::open(location);
    }
    if (!opened)
        return opened.error();
    recentstores::add(location.display());
    return std::make_unique<Workbench>(opened.value());
}

Workbench::PasswordPrompt Workbench::passwordDialog(QWidget *parent)
{
    QPointer<QWidget> owner(parent);
    return [owner](const StoreLocation &location, const QString &problem) -> std::optional<QString> {
        bool ok = false;
        const QString password = QInputDialog::getText(
            owner, tr("Team store password"),
            tr("%1 refused the login:\n%2\n\nPassword for %3:")
                .arg(location.display(), problem.simplified(), location.user.isEmpty() ? tr("the default user") : location.user),
            QLineEdit::Password, QString(), &ok);
        if (!ok)
            return std::nullopt;
        return password;
    };
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
