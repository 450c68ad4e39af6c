#pragma once

#include "core/result.h"

#include <QObject>

#include <functional>
#include <memory>

namespace causa {

class ActionConnector;
class CaseStore;
class MainWindow;
class PlaybookPanel;
class WorkbenchService;

// The composition root of one workbench window on one store: service, main window, the
// playbook page and the settings that feed them. The app and the end-to-end tests build the
// window the same way through this class.
class Workbench final : public QObject
{
    Q_OBJECT

public:
    explicit Workbench(std::shared_ptr<CaseStore> store, QObject *parent = nullptr);
    ~Workbench() override;

    // Opens (or creates) the store at spec (file path or postgresql:// URL) and records it in
    // the recent stores.
    static Result<std::unique_ptr<Workbench>> open(const QString &spec);

    MainWindow *window() const { return m_window.get(); }
    WorkbenchService *service() const { return m_service.get(); }
    PlaybookPanel *playbook() const { return m_playbook; }
    // Where approved actions go. The default follows the settings: the export connector
    // (signed plan + script) or Cortex XDR.
    void setConnectorFactory(std::function<std::shared_ptr<ActionConnector>()> factory);

Q_SIGNALS:
    void openStoreRequested(const QString &location);

private:
    void applySettings();

    std::unique_ptr<WorkbenchService> m_service;
    std::unique_ptr<MainWindow> m_window;
    PlaybookPanel *m_playbook;
    std::function<std::shared_ptr<ActionConnector>()> m_connectors;
};

} // namespace causa
