#include "workbench.h"

#include "casepages.h"
#include "connectors/exportconnector.h"
#include "connectors/xdrconnector.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "dialogs/decisiondialog.h"
#include "mainwindow.h"
#include "panels/commandlinepanel.h"
#include "panels/enrichmentpanel.h"
#include "panels/huntpanel.h"
#include "panels/playbookpanel.h"
#include "panels/processtreepanel.h"
#include "savedviews.h"
#include "services/playbookservice.h"
#include "services/workbenchservice.h"
#include "store/casestore.h"
#include "workbenchactions.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QPointer>
#include <QStandardPaths>
#include <QTabWidget>

namespace causa {

Workbench::Workbench(std::shared_ptr<CaseStore> store, QObject *parent) : QObject(parent)
{
    m_service = std::make_unique<WorkbenchService>(store);
    m_window = std::make_unique<MainWindow>(m_service.get());
    m_playbookService = std::make_unique<PlaybookService>(m_service.get());
    m_playbook = new PlaybookPanel(m_playbookService.get(), m_window.get());
    connect(m_playbook, &PlaybookPanel::navigateRequested, this, &Workbench::navigate);
    // Ad-hoc actions from the tree and enrichment pages go through the same approval flow.
    connect(m_window->processTreePanel(), &ProcessTreePanel::proposeActionRequested, this,
            &Workbench::proposeAction);
    connect(m_window->enrichmentPanel(), &EnrichmentPanel::proposeActionRequested, this,
            &Workbench::proposeAction);
    m_window->addCasePage(m_playbook, tr("Playbook"));
    connect(m_window.get(), &MainWindow::caseDetailLoaded, m_playbook,
            [this](const CaseDetail &d) { m_playbook->setCase(d.summary.id); });
    // Timeline, Evidence and Audit pages with evidence tagging and pivots (owned by the window).
    auto *pages = new CasePages(m_window.get(), m_service.get());
    m_pages = pages;
    connect(m_playbook, &PlaybookPanel::viewUpdated, pages, &CasePages::refresh);
    connect(pages->hunt(), &HuntPanel::navigateRequested, this, &Workbench::navigate);
    // Stage 5 raises the severity, stage 7 closes the case: the queue row and the overview follow.
    connect(m_playbook, &PlaybookPanel::caseChanged, m_service.get(),
            &WorkbenchService::noteCaseChanged);
    WorkbenchActions *actions = m_window->workbenchActions();
    connect(actions, &WorkbenchActions::settingsChanged, this, &Workbench::applySettings);
    // New rule folders: the Hunt page hunts again (when shown) with the team's new rule set.
    connect(actions, &WorkbenchActions::settingsChanged, pages->hunt(),
            [pages](const WorkbenchSettings &s) {
                if (s.sigmaPaths != pages->hunt()->result().ruleFolders)
                    pages->hunt()->rulesChanged();
            });
    connect(actions, &WorkbenchActions::openStoreRequested, this, &Workbench::openStoreRequested);
    // Approved actions go where the team's settings say; read when an action is decided.
    setConnectorFactory([actions]() -> std::shared_ptr<ActionConnector> {
        if (actions->settings().connector == QLatin1String("xdr"))
            return std::make_shared<XdrConnector>(XdrConnectorSettings::fromEnvironment());
        auto key = ExportConnector::localKey();
        if (!key)
            return nullptr;
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                            QStringLiteral("/exports");
        return std::make_shared<ExportConnector>(dir, key.value());
    });
    applySettings();
}

Workbench::~Workbench()
{
    // The window's panels hold the services: they go first; the playbook's commands finish
    // before the store's service goes.
    m_window.reset();
    m_playbookService.reset();
    m_service.reset();
}

Result<std::unique_ptr<Workbench>> Workbench::open(const QString &spec,
                                                   const PasswordPrompt &askPassword)
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
    while (!opened && opened.error().code == errc::kStoreAuth && askPassword) {
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
    return
        [owner](const StoreLocation &location, const QString &problem) -> std::optional<QString> {
            bool ok = false;
            const QString password = QInputDialog::getText(
                owner, tr("Team store password"),
                tr("%1 refused the login:\n%2\n\nPassword for %3:")
                    .arg(location.display(), problem.simplified(),
                         location.user.isEmpty() ? tr("the default user") : location.user),
                QLineEdit::Password, QString(), &ok);
            if (!ok)
                return std::nullopt;
            return password;
        };
}

void Workbench::setConnectorFactory(std::function<std::shared_ptr<ActionConnector>()> factory)
{
    m_connectors = std::move(factory);
    m_playbookService->setConnectorFactory(m_connectors);
}

void Workbench::applySettings()
{
    m_playbook->setAnalyst(m_window->analystName());
    m_playbook->setInputDefaults(m_window->workbenchActions()->settings().playbookAssignments());
    m_playbookService->setInputDefaults(
        m_window->workbenchActions()->settings().playbookAssignments());
}

void Workbench::proposeAction(const QString &kind, const QString &target)
{
    DecisionDialog dialog(
        tr("Propose an action"),
        tr("Propose %1 on %2 for case %3. It waits for approval on the Playbook page like the "
           "playbook's own actions.")
            .arg(kind, target)
            .arg(m_window->currentCaseId()),
        m_window.get());
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_playbook->proposeAction(kind, target, dialog.reason());
    m_window->casePages()->setCurrentWidget(m_playbook);
}

void Workbench::navigate(const QString &page, const QString &ref)
{
    if (page == QLatin1String("event")) {
        m_pages->openEvent(ref.toLongLong());
        return;
    }
    if (page == QLatin1String("process")) {
        const auto [host, key] = HuntPanel::splitProcessRef(ref);
        m_pages->openProcess(host, key);
        return;
    }
    // Links in the playbook's stage outputs open the page that shows the thing in full, with the
    // thing selected: stage 4a's n-th analysed line, an indicator by value, a host's tree.
    QTabWidget *tabs = m_window->casePages();
    if (page == QLatin1String("cmdline")) {
        auto *panel = m_window->findChild<CommandLinePanel *>();
        const auto &view = m_playbook->runView();
        if (!panel || !view)
            return;
        tabs->setCurrentWidget(panel);
        for (const StageStateRecord &st : view->stages)
            if (st.stageId == QLatin1String("cmdline")) {
                const nlohmann::json results = st.outputs.value("results", nlohmann::json::array());
                const size_t n = size_t(ref.toLongLong());
                if (results.is_array() && n < results.size())
                    panel->selectCommandLine(js::str(results[n], "command_line"));
            }
    } else if (page == QLatin1String("indicator")) {
        tabs->setCurrentWidget(m_window->enrichmentPanel());
        m_window->enrichmentPanel()->selectIndicatorValue(ref);
    } else if (page == QLatin1String("host")) {
        tabs->setCurrentWidget(m_window->processTreePanel());
    }
}

} // namespace causa
