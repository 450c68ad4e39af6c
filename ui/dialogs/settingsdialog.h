#pragma once

#include "playbook/playbookdefinition.h"
#include "playbook/workbenchsettings.h"

#include <QDialog>

#include "core/result.h"

#include <functional>
#include <map>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace causa {

class SigmaFoldersEditor;

// Tools → Settings: analyst name and theme (per user, QSettings); playbook input defaults,
// enrichment policy, report markings, the response connector and the team's Sigma rule folders
// (team policy, in the store).
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(const WorkbenchSettings &settings, QWidget *parent = nullptr);

    // The team settings as edited (saved to the store by the caller, off the GUI thread).
    WorkbenchSettings storeSettings() const;
    // Writes the per-user settings (analyst name, theme, page size) and applies the theme.
    void applyUserSettings() const;
    // Writes the API keys set or cleared in the Enrichment tab to the secret store (OS keychain or
    // the owner-only file: never the case store, the settings or the logs).
    Result<void> applyApiKeys() const;
    // The "XDR tenants…" button opens this (tenant profiles and keys live in their own dialog).
    void setTenantsHandler(std::function<void(QWidget *)> handler);

    QTabWidget *tabs() const { return m_tabs; }
    QLineEdit *analystEdit() const { return m_analyst; }
    QComboBox *themeCombo() const { return m_theme; }
    QWidget *inputEditor(const QString &name) const;
    QCheckBox *offlineCheck() const { return m_offline; }
    QComboBox *connectorCombo() const { return m_connector; }
    QComboBox *tlpCombo() const { return m_tlp; }
    SigmaFoldersEditor *sigmaFolders() const { return m_sigma; }
    QPushButton *okButton() const;
    // One online provider's API key row: "set"/"not set", Set…/Replace… and Clear.
    struct KeyRow
    {
        QString secretName; // "virustotal", "abuseipdb"
        QString label;      // "VirusTotal"
        const char *envVar = nullptr;
        QLabel *status = nullptr;
        QPushButton *replace = nullptr;
        QPushButton *clear = nullptr;
        bool known = false;          // the secret store has answered
        bool storedKey = false;      // in the secret store when the dialog opened
        bool envKey = false;         // only the environment variable has one
        std::optional<QString> edit; // pending: a new key, or empty = clear; written on OK
    };
    const KeyRow &keyRow(const QString &secretName) const;

private:
    QWidget *buildGeneral();
    QWidget *buildPlaybook(const WorkbenchSettings &s);
    QWidget *buildEnrichment(const WorkbenchSettings &s);
    QWidget *buildReports(const WorkbenchSettings &s);
    QWidget *buildResponse(const WorkbenchSettings &s);
    QWidget *buildHunting(const WorkbenchSettings &s);
    void updateWidgets();
    QWidget *buildKeyRow(KeyRow &row, QWidget *parent);
    void updateKeyRow(KeyRow &row);
    void readKeyStatus();

    PlaybookDefinition m_def;
    WorkbenchSettings m_original;
    std::function<void(QWidget *)> m_tenants;
    QTabWidget *m_tabs;
    QLineEdit *m_analyst;
    QComboBox *m_theme;
    std::map<QString, QWidget *> m_inputs;
    QLabel *m_inputError;
    QCheckBox *m_offline;
    QCheckBox *m_vt;
    QSpinBox *m_vtTtl;
    QCheckBox *m_abuse;
    QSpinBox *m_abuseTtl;
    KeyRow m_vtKey;
    KeyRow m_abuseKey;
    QLabel *m_keyBackend = nullptr;
    QComboBox *m_tlp;
    QComboBox *m_pap;
    QComboBox *m_pageSize;
    QComboBox *m_connector;
    QLabel *m_connectorNote;
    QPushButton *m_tenantsButton;
    SigmaFoldersEditor *m_sigma;
    QDialogButtonBox *m_buttons;
};

} // namespace causa
