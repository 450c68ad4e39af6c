#pragma once

#include "core/result.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace causa {

class ActionConnector;
class CasePages;
class CaseStore;
class MainWindow;
class PlaybookPanel;
class PlaybookService;
class WorkbenchService;
struct StoreLocation;

// The composition root of one workbench window on one store: service, main window, the
// playbook page and the settings that feed them. The app and the end-to-end tests build the
// window the same way through this class.
class Workbench final : public QObject
{
    Q_OBJECT

public:
    explicit Workbench(std::shared_ptr<CaseStore> store, QObject *parent = nullptr);
    ~Workbench() override;

    // Asked for a team store's password when the server refused the one it had (or none):
    // the password, or nothing when the analyst cancelled. problem is the server's answer.
    using PasswordPrompt = std::function<std::optional<QString>(const StoreLocation &location,
                                                                const QString &problem)>;
    // Opens (or creates) the store at spec (file path or postgresql:// URL) and records it in
    // the recent stores. When a PostgreSQL server refuses the login, askPassword (if given) is
    // asked and the open retried. The password lives only in the open store's memory: neither
    // the recent stores nor the settings ever hold it.
    static Result<std::unique_ptr<Workbench>> open(const QString &spec,
                                                   const PasswordPrompt &askPassword = {});
    // The prompt of the application: a password dialog over parent.
    static PasswordPrompt passwordDialog(QWidget *parent);

    MainWindow *window() const { return m_window.get(); }
    WorkbenchService *service() const { return m_service.get(); }
    PlaybookPanel *playbook() const { return m_playbook; }
    PlaybookService *playbookService() const { return m_playbookService.get(); }
    CasePages *casePages() const { return m_pages; }
    // Where approved actions go. The default follows the settings: the export connector
    // (signed plan + script) or Cortex XDR.
    void setConnectorFactory(std::function<std::shared_ptr<ActionConnector>()> factory);

Q_SIGNALS:
    void openStoreRequested(const QString &location);

private:
    void applySettings();
    // Opens the page that shows a thing in full: "cmdline", "host", "indicator" (the Playbook
    // page's links), "event" (ref: event id, on the Timeline) and "process" (ref: "HOST/KEY",
    // HuntPanel::processRef, in the Process tree).
    void navigate(const QString &page, const QString &ref);
    void proposeAction(const QString &kind, const QString &target);

    std::unique_ptr<WorkbenchService> m_service;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<PlaybookService> m_playbookService;
    PlaybookPanel *m_playbook;
    CasePages *m_pages;
    std::function<std::shared_ptr<ActionConnector>()> m_connectors;
};

} // namespace causa
