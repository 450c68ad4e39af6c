#include "tenantsdialog.h"
#include "plainmessage.h"
#include "xdr/tenantpins.h"

#include "messagebar.h"
#include "services/xdrservice.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace causa {

TenantsDialog::TenantsDialog(XdrService *service, QWidget *parent)
    : QDialog(parent), m_service(service)
{
    setWindowTitle(tr("Cortex XDR tenants"));
    // Room for a three-line message above the form: the wrapped "keys are kept in" note would
    // otherwise be squeezed under the buttons.
    setMinimumHeight(440);
    auto *root = new QVBoxLayout(this);
    // Grow with the message bar and wrapped notes instead of clipping them.
    root->setSizeConstraint(QLayout::SetMinimumSize);
    m_messages = new MessageBar(this);
    m_messages->hide();
    root->addWidget(m_messages);

    auto *body = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    m_list = new QListWidget(this);
    m_list->setMinimumWidth(170);
    left->addWidget(m_list, 1);
    auto *listButtons = new QHBoxLayout;
    m_new = new QPushButton(tr("&New"), this);
    m_remove = new QPushButton(tr("&Remove"), this);
    listButtons->addWidget(m_new);
    listButtons->addWidget(m_remove);
    left->addLayout(listButtons);
    body->addLayout(left);

    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("prod, lab-eu …"));
    m_url = new QLineEdit(this);
    m_url->setPlaceholderText(
        QStringLiteral("https://api-<tenant>.xdr.<region>.paloaltonetworks.com"));
    m_url->setMinimumWidth(380);
    m_keyId = new QLineEdit(this);
    m_keyId->setPlaceholderText(tr("the key's ID (x-xdr-auth-id)"));
    m_keyType = new QComboBox(this);
    m_keyType->addItem(tr("Standard"), false);
    m_keyType->addItem(tr("Advanced (nonce + timestamp hash)"), true);
    m_key = new QLineEdit(this);
    m_key->setEchoMode(QLineEdit::Password);
    m_caFile = new QLineEdit(this);
    m_caFile->setPlaceholderText(tr("system CAs"));
    m_browseCa = new QPushButton(tr("Browse…"), this);
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(m_browseCa);
    m_selfSigned = new QCheckBox(tr("Accept self-signed certificates (lab tenants only)"), this);
    m_timeout = new QSpinBox(this);
    m_timeout->setRange(1, 600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(30);
    m_isDefault =
        new QCheckBox(tr("Use for the playbook's endpoint investigation and hunting"), this);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("API URL:"), m_url);
    form->addRow(tr("Key ID:"), m_keyId);
    form->addRow(tr("Key type:"), m_keyType);
    form->addRow(tr("API key:"), m_key);
    form->addRow(tr("CA file:"), caRow);
    form->addRow(QString(), m_selfSigned);
    form->addRow(tr("Timeout:"), m_timeout);
    form->addRow(QString(), m_isDefault);
    m_backend = new QLabel(this);
    m_backend->setWordWrap(true);
    m_backend->setTextFormat(Qt::PlainText);
    m_backend->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(QString(), m_backend);
    body->addLayout(form, 1);
    root->addLayout(body, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_test = buttons->addButton(tr("&Test connection"), QDialogButtonBox::ActionRole);
    m_save = buttons->addButton(tr("&Save"), QDialogButtonBox::ApplyRole);
    m_confirm = buttons->addButton(tr("Con&firm where it points…"), QDialogButtonBox::ActionRole);
    m_confirm->setToolTip(
        tr("Someone changed this shared tenant, or you have not used it yet: your key is "
           "sent only after you confirm its URL and certificate"));
    root->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentRowChanged, this, &TenantsDialog::selectTenant);
    connect(m_new, &QPushButton::clicked, this, &TenantsDialog::newTenant);
    connect(m_remove, &QPushButton::clicked, this, &TenantsDialog::removeCurrent);
    connect(m_save, &QPushButton::clicked, this, &TenantsDialog::save);
    connect(m_test, &QPushButton::clicked, this, &TenantsDialog::test);
    connect(m_confirm, &QPushButton::clicked, this, &TenantsDialog::confirmCurrent);
    connect(m_browseCa, &QPushButton::clicked, this, [this] {
        const QString f =
            QFileDialog::getOpenFileName(this, tr("CA certificate (PEM)"), m_caFile->text(),
                                         tr("Certificates (*.pem *.crt *.cer);;All files (*)"));
        if (!f.isEmpty())
            m_caFile->setText(f);
    });
    for (QLineEdit *e : {m_name, m_url, m_keyId, m_key})
        connect(e, &QLineEdit::textChanged, this, &TenantsDialog::updateWidgets);
    connect(m_selfSigned, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            m_messages->showMessage(
                MessageBar::Kind::Warning,
                tr("Without certificate checks anyone on the network path can read the API key. "
                   "Prefer a CA file for tenants behind a private CA."));
    });

    connect(m_service, &XdrService::tenantsLoaded, this, &TenantsDialog::showTenants);
    connect(m_service, &XdrService::tenantSaved, this, [this](const QString &name) {
        m_busy = false;
        m_key->clear();
        m_messages->showMessage(MessageBar::Kind::Info, tr("Tenant “%1” saved.").arg(name));
        m_service->loadTenants();
    });
    connect(m_service, &XdrService::tenantsUnconfirmed, this, [this](const QStringList &names) {
        m_unconfirmed = names;
        for (int i = 0; i < m_list->count() && i < int(m_tenants.size()); ++i)
            if (names.contains(m_tenants[size_t(i)].name) &&
                !m_list->item(i)->text().contains(tr("not confirmed")))
                m_list->item(i)->setText(m_list->item(i)->text() + tr("  — not confirmed by you"));
        if (const int row = m_list->currentRow();
            row >= 0 && row < int(m_tenants.size()) && names.contains(m_tenants[size_t(row)].name))
            m_messages->showMessage(
                MessageBar::Kind::Warning,
                tr("Tenant “%1” is not confirmed by you (new to you, or changed in the shared store): "
                   "your key is not sent until you confirm where it points.")
                    .arg(m_tenants[size_t(row)].name));
        updateWidgets();
    });
    connect(m_service, &XdrService::tenantConfirmed, this,
            [this](const QString &name, const QString &where) {
                m_busy = false;
                m_messages->showMessage(MessageBar::Kind::Info,
                                        tr("Tenant “%1” confirmed: %2").arg(name, where));
                m_service->loadTenants();
            });
    connect(m_service, &XdrService::tenantRemoved, this, [this](const QString &name) {
        m_busy = false;
        m_messages->showMessage(MessageBar::Kind::Info,
                                tr("Tenant “%1” and its key removed.").arg(name));
        m_service->loadTenants();
    });
    connect(m_service, &XdrService::tenantTested, this,
            [this](const QString &, bool ok, const QString &msg) {
                m_busy = false;
                m_messages->showMessage(ok ? MessageBar::Kind::Info : MessageBar::Kind::Error, msg);
                updateWidgets();
            });
    connect(m_service, &XdrService::failed, this, [this](const QString &msg) {
        m_busy = false;
        m_messages->showMessage(MessageBar::Kind::Error, msg);
        updateWidgets();
    });
    newTenant();
    m_busy = true;
    m_service->loadTenants();
    updateWidgets();
}

void TenantsDialog::showTenants(const std::vector<TenantProfile> &tenants,
                                const QString &defaultTenant, const QStringList &withKey,
                                const QString &backend)
{
    m_busy = false;
    const QString current = m_name->text().trimmed();
    m_tenants = tenants;
    m_withKey = withKey;
    m_default = defaultTenant;
    m_backend->setText(tr("Keys are kept in: %1").arg(backend));
    const QSignalBlocker block(m_list);
    m_list->clear();
    int select = -1;
    for (size_t i = 0; i < tenants.size(); ++i) {
        QString label = tenants[i].name;
        if (tenants[i].name == defaultTenant)
            label += tr("  (default)");
        if (!withKey.contains(tenants[i].name))
            label += tr("  — no key");
        m_list->addItem(label);
        if (tenants[i].name == current)
            select = int(i);
    }
    if (select >= 0) {
        m_list->setCurrentRow(select);
        selectTenant(select);
    }
    updateWidgets();
}

void TenantsDialog::selectTenant(int row)
{
    if (row < 0 || row >= int(m_tenants.size()))
        return;
    const TenantProfile &p = m_tenants[size_t(row)];
    m_isNew = false;
    m_name->setText(p.name);
    m_url->setText(p.apiUrl);
    m_keyId->setText(p.keyId);
    m_keyType->setCurrentIndex(p.advancedKey ? 1 : 0);
    m_key->clear();
    m_key->setPlaceholderText(m_withKey.contains(p.name)
                                  ? tr("stored — type a new key to replace it")
                                  : tr("no key stored yet"));
    m_caFile->setText(p.caFile);
    {
        const QSignalBlocker block(m_selfSigned);
        m_selfSigned->setChecked(p.allowSelfSigned);
    }
    m_timeout->setValue(p.timeoutMs / 1000);
    m_isDefault->setChecked(p.name == m_default);
    updateWidgets();
}

void TenantsDialog::newTenant()
{
    m_isNew = true;
    const QSignalBlocker block(m_list);
    m_list->clearSelection();
    m_list->setCurrentRow(-1);
    for (QLineEdit *e : {m_name, m_url, m_keyId, m_key, m_caFile})
        e->clear();
    m_key->setPlaceholderText(tr("the API key (stored in the secret store, never shown)"));
    m_keyType->setCurrentIndex(1);
    m_selfSigned->setChecked(false);
    m_timeout->setValue(30);
    m_isDefault->setChecked(m_tenants.empty());
    m_name->setFocus();
    updateWidgets();
}

TenantProfile TenantsDialog::formProfile() const
{
    TenantProfile p;
    p.name = m_name->text().trimmed();
    p.apiUrl = m_url->text().trimmed();
    p.keyId = m_keyId->text().trimmed();
    p.advancedKey = m_keyType->currentData().toBool();
    p.caFile = m_caFile->text().trimmed();
    p.allowSelfSigned = m_selfSigned->isChecked();
    p.timeoutMs = m_timeout->value() * 1000;
    return p;
}

void TenantsDialog::save()
{
    const TenantProfile p = formProfile();
    if (const QString why = p.validate(); !why.isEmpty()) {
        m_messages->showMessage(MessageBar::Kind::Error, why);
        return;
    }
    if (m_isNew && m_key->text().isEmpty()) {
        m_messages->showMessage(MessageBar::Kind::Error,
                                tr("Enter the API key of the new tenant."));
        return;
    }
    m_busy = true;
    m_isNew = true; // re-select by name after the reload
    m_service->saveTenant(p, m_key->text(), m_isDefault->isChecked());
    updateWidgets();
}

void TenantsDialog::removeCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= int(m_tenants.size()))
        return;
    const QString name = m_tenants[size_t(row)].name;
    if (plainQuestion(
            this, tr("Remove tenant"),
            tr("Remove the tenant “%1” and delete its API key from the secret store?").arg(name)) !=
        QMessageBox::Yes)
        return;
    m_busy = true;
    m_service->removeTenant(name);
    newTenant();
}

void TenantsDialog::confirmCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= int(m_tenants.size()))
        return;
    const TenantProfile &p = m_tenants[size_t(row)];
    if (plainQuestion(
            this, tr("Confirm tenant"),
            tr("Send your API key for “%1” to:\n\n%2\n\nCheck this with your team first: tenant profiles are "
               "shared through the case store, and this confirmation is recorded in the audit trail.")
                .arg(p.name, tenantpins::describe(p))) != QMessageBox::Yes)
        return;
    m_busy = true;
    m_service->confirmTenant(p.name);
    updateWidgets();
}

void TenantsDialog::test()
{
    m_busy = true;
    m_messages->showMessage(MessageBar::Kind::Info,
                            tr("Testing %1 …").arg(m_url->text().trimmed()));
    m_service->testTenant(formProfile(), m_key->text());
    updateWidgets();
}

void TenantsDialog::updateWidgets()
{
    const bool filled = !m_name->text().trimmed().isEmpty() && !m_url->text().trimmed().isEmpty() &&
                        !m_keyId->text().trimmed().isEmpty();
    const bool hasKey =
        !m_key->text().isEmpty() || (!m_isNew && m_withKey.contains(m_name->text().trimmed()));
    m_save->setEnabled(!m_busy && filled && (hasKey || !m_isNew));
    m_test->setEnabled(!m_busy && filled && hasKey);
    m_remove->setEnabled(!m_busy && m_list->currentRow() >= 0);
    const int row = m_list->currentRow();
    const bool unconfirmed = row >= 0 && row < int(m_tenants.size()) &&
                             m_unconfirmed.contains(m_tenants[size_t(row)].name);
    m_confirm->setVisible(unconfirmed);
    m_confirm->setEnabled(!m_busy && unconfirmed);
    m_name->setReadOnly(!m_isNew && m_list->currentRow() >= 0);
}

} // namespace causa
