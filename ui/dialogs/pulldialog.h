#pragma once

#include "core/records.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace causa {

class MessageBar;
class XdrService;
struct XdrPullOutcome;

// File → Pull from XDR: one incident (and optionally its related alerts) from a configured
// tenant into the store, with progress and cancel; errors show in the dialog's message bar.
class PullDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit PullDialog(XdrService *service, QWidget *parent = nullptr);
    void setIncidentId(const QString &id);

Q_SIGNALS:
    // The incident is in the store (caseId), with counts of what was new.
    void pulled(qint64 caseId, const QString &summary);
    // Tools → XDR tenants was asked for (no tenant configured yet).
    void manageTenantsRequested();

private:
    void startPull();
    void finished(const XdrPullOutcome &outcome);
    void updateWidgets();

    XdrService *m_service;
    bool m_running = false;
    bool m_hasTenants = false;
    MessageBar *m_messages;
    QLineEdit *m_incident;
    QComboBox *m_tenant;
    QCheckBox *m_related;
    QSpinBox *m_window;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_pull;
    QPushButton *m_cancel;
    QPushButton *m_close;
};

} // namespace causa
