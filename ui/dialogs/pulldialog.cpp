#include "pulldialog.h"

#include "messagebar.h"
#include "services/xdrservice.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

namespace causa {

PullDialog::PullDialog(XdrService *service, QWidget *parent) : QDialog(parent), m_service(service)
{
    setWindowTitle(tr("Pull from Cortex XDR"));
    auto *root = new QVBoxLayout(this);
    // Grow with the message bar and wrapped notes instead of clipping them.
    root->setSizeConstraint(QLayout::SetMinimumSize);
    m_messages = new MessageBar(this);
    m_messages->hide();
    root->addWidget(m_messages);

    auto *form = new QFormLayout;
    m_incident = new QLineEdit(this);
    m_incident->setPlaceholderText(tr("e.g. 4242"));
    m_incident->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[A-Za-z0-9_-]{1,64}")), this));
    m_tenant = new QComboBox(this);
    m_tenant->setMinimumWidth(260);
    m_related = new QCheckBox(tr("Also pull related alerts on the incident's hosts"), this);
    m_related->setChecked(true);
    m_window = new QSpinBox(this);
    m_window->setRange(1, 72);
    m_window->setValue(2);
    m_window->setSuffix(tr(" h around the incident's alerts"));
    form->addRow(tr("Incident ID:"), m_incident);
    form->addRow(tr("Tenant:"), m_tenant);
    form->addRow(QString(), m_related);
    form->addRow(tr("Window:"), m_window);
    root->addLayout(form);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    root->addWidget(m_progress);
    root->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(this);
    m_pull = buttons->addButton(tr("&Pull"), QDialogButtonBox::AcceptRole);
    m_cancel = buttons->addButton(tr("Cancel pull"), QDialogButtonBox::ActionRole);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_pull->setDefault(true);
    root->addWidget(buttons);

    connect(m_pull, &QPushButton::clicked, this, &PullDialog::startPull);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_service->cancelPull();
        m_status->setText(tr("Cancelling…"));
    });
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_incident, &QLineEdit::textChanged, this, &PullDialog::updateWidgets);
    connect(m_related, &QCheckBox::toggled, this, &PullDialog::updateWidgets);
    connect(m_messages, &MessageBar::actionTriggered, this, &PullDialog::manageTenantsRequested);

    connect(m_service, &XdrService::tenantsLoaded, this,
            [this](const std::vector<TenantProfile> &tenants, const QString &def,
                   const QStringList &withKey, const QString &) {
                m_tenant->clear();
                for (const TenantProfile &p : tenants) {
                    const QString label =
                        withKey.contains(p.name) ? p.name : tr("%1 (no key)").arg(p.name);
                    m_tenant->addItem(label, p.name);
                    if (p.name == def)
                        m_tenant->setCurrentIndex(m_tenant->count() - 1);
                }
                m_hasTenants = !tenants.empty();
                if (!m_hasTenants)
                    m_messages->showMessage(MessageBar::Kind::Info,
                                            tr("No Cortex XDR tenant is configured yet."),
                                            tr("Add a tenant…"));
                updateWidgets();
            });
    connect(m_service, &XdrService::pullStatus, this, [this](const QString &s) {
        if (m_running)
            m_status->setText(s);
    });
    connect(m_service, &XdrService::pullFinished, this, &PullDialog::finished);
    connect(m_service, &XdrService::failed, this, [this](const QString &msg) {
        if (!m_running)
            return;
        m_running = false;
        m_status->setText(tr("Nothing was imported."));
        m_messages->showMessage(MessageBar::Kind::Error, msg);
        updateWidgets();
    });
    m_service->loadTenants();
    updateWidgets();
}

void PullDialog::setIncidentId(const QString &id)
{
    m_incident->setText(id);
}

void PullDialog::startPull()
{
    if (m_running || m_incident->text().trimmed().isEmpty() || m_tenant->currentIndex() < 0)
        return;
    m_running = true;
    m_messages->hide();
    m_status->setText(tr("Connecting to %1…").arg(m_tenant->currentData().toString()));
    m_service->pull(m_incident->text().trimmed(), m_tenant->currentData().toString(),
                    m_related->isChecked(), qint64(m_window->value()) * 3600 * 1000);
    updateWidgets();
}

void PullDialog::finished(const XdrPullOutcome &o)
{
    if (!m_running)
        return;
    m_running = false;
    QString summary = tr("Incident %1 from %2: %n new alert(s)", nullptr, int(o.counts.alerts))
                          .arg(m_incident->text().trimmed(), o.tenant);
    if (o.counts.skipped > 0)
        summary += tr(", %n already stored", nullptr, int(o.counts.skipped));
    if (m_related->isChecked())
        summary += tr("; %1 related alert(s) on %2")
                       .arg(o.alertsFetched)
                       .arg(o.hosts.join(QStringLiteral(", ")));
    if (o.truncated)
        summary += tr(" (stopped at the alert limit)");
    m_status->setText(summary);
    m_messages->showMessage(MessageBar::Kind::Info, summary);
    updateWidgets();
    Q_EMIT pulled(o.caseId, summary);
}

void PullDialog::updateWidgets()
{
    m_progress->setVisible(m_running);
    m_cancel->setVisible(m_running);
    m_pull->setEnabled(!m_running && m_hasTenants && !m_incident->text().trimmed().isEmpty());
    m_incident->setEnabled(!m_running);
    m_tenant->setEnabled(!m_running && m_hasTenants);
    m_related->setEnabled(!m_running);
    m_window->setEnabled(!m_running && m_related->isChecked());
}

} // namespace causa
