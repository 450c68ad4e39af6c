#pragma once

#include "core/tenantprofile.h"

#include <QDialog>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace causa {

class MessageBar;
class XdrService;

// Tools → XDR tenants: add, edit, remove and test Cortex XDR tenant profiles. The key is typed
// into a password field and goes straight to the secret store; it is never shown again.
class TenantsDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit TenantsDialog(XdrService *service, QWidget *parent = nullptr);

private:
    void showTenants(const std::vector<TenantProfile> &tenants, const QString &defaultTenant,
                     const QStringList &withKey, const QString &backend);
    void selectTenant(int row);
    void newTenant();
    TenantProfile formProfile() const;
    void save();
    void removeCurrent();
    void test();
    void confirmCurrent();
    void updateWidgets();

    XdrService *m_service;
    std::vector<TenantProfile> m_tenants;
    QStringList m_withKey;
    QStringList m_unconfirmed;
    QString m_default;
    bool m_busy = false;
    bool m_isNew = true;

    QListWidget *m_list;
    MessageBar *m_messages;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_keyId;
    QComboBox *m_keyType;
    QLineEdit *m_key;
    QLineEdit *m_caFile;
    QPushButton *m_browseCa;
    QCheckBox *m_selfSigned;
    QSpinBox *m_timeout;
    QCheckBox *m_isDefault;
    QLabel *m_backend;
    QPushButton *m_new;
    QPushButton *m_save;
    QPushButton *m_remove;
    QPushButton *m_test;
    QPushButton *m_confirm;
};

} // namespace causa
