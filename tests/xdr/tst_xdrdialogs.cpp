// Tools → XDR tenants and File → Pull from XDR against the fake tenant: the dialogs list, test,
// save and pull off the GUI thread, show errors in their message bar, and never echo the key.
#include "dialogs/pulldialog.h"
#include "dialogs/tenantsdialog.h"
#include "guitestutils.h"
#include "messagebar.h"
#include "secrets/secretstore.h"
#include "services/xdrservice.h"
#include "store/tenantstore.h"
#include "testutils.h"
#include "xdr/xdrtenants.h"
#include "xdrtestutil.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>

using namespace causa;
using test::XdrTenantServer;

namespace {
const QString kKeyId = QStringLiteral("5");
const QString kKey = QStringLiteral("gui-SECRET-key-99aa88bb");

QPushButton *button(QWidget *w, const QString &text)
{
    for (QPushButton *b : w->findChildren<QPushButton *>())
        if (b->text().remove(QLatin1Char('&')) == text)
            return b;
    return nullptr;
}
} // namespace

class TestXdrDialogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_secrets.isValid());
        test::useFileSecrets(m_secrets.path());
    }

    void tenantsDialog()
    {
        XdrTenantServer server(kKeyId, kKey, false);
        test::TempStore ts;
        XdrService service(ts.shared());
        TenantsDialog dialog(&service);
        dialog.resize(dialog.sizeHint());
        dialog.show();
        auto *list = dialog.findChild<QListWidget *>();
        auto edits = dialog.findChildren<QLineEdit *>();
        QLineEdit *password = nullptr;
        for (QLineEdit *e : edits)
            if (e->echoMode() == QLineEdit::Password)
                password = e;
        QVERIFY(list && password);
        QPushButton *save = button(&dialog, QStringLiteral("Save"));
        QPushButton *testButton = button(&dialog, QStringLiteral("Test connection"));
        QVERIFY(save && testButton);
        QVERIFY(!save->isEnabled());

        // Fill the form: name, URL, key id (the first three line edits), standard key.
        edits[0]->setText(QStringLiteral("lab"));
        edits[1]->setText(server.baseUrl());
        edits[2]->setText(kKeyId);
        dialog.findChild<QComboBox *>()->setCurrentIndex(0);
        password->setText(kKey);
        QTRY_VERIFY(save->isEnabled());
        testButton->click();
        auto *bar = dialog.findChild<MessageBar *>();
        QTRY_VERIFY_WITH_TIMEOUT(bar->text().startsWith(QLatin1String("OK")), 10000);
        save->click();
        QTRY_COMPARE(list->count(), 1);
        QVERIFY(list->item(0)->text().startsWith(QLatin1String("lab")));
        QCOMPARE(password->text(), QString()); // the key is gone from the form once stored
        QCOMPARE(secrets::read(QStringLiteral("xdr-tenant/lab")).value(), kKey);
        QCOMPARE(tenantstore::get(ts.store(), QStringLiteral("lab"))->keyId, kKeyId);
        QCOMPARE(tenantstore::defaultTenant(ts.store()).value(), QStringLiteral("lab"));
        test::saveScreenshot(&dialog, QStringLiteral("xdr-tenants-dialog"));

        // A wrong key: the test says 401, nothing is saved.
        password->setText(QStringLiteral("wrong"));
        testButton->click();
        QTRY_VERIFY_WITH_TIMEOUT(bar->text().contains(QLatin1String("401")), 10000);
        QVERIFY(!bar->text().contains(QLatin1String("wrong")));
        test::saveScreenshot(&dialog, QStringLiteral("xdr-tenants-dialog-401"));
    }

    // Issue 18: a tenant saved by a colleague (their confirmation, not ours) shows as not
    // confirmed, with a button that asks before confirming; the key is not sent until then.
    void tenantConfirmation()
    {
        XdrTenantServer server(kKeyId, kKey, false);
        test::TempStore ts;
        const QByteArray ownPins = qgetenv("CAUSA_TENANT_PINS_FILE");
        qputenv("CAUSA_TENANT_PINS_FILE",
                QString(m_secrets.path() + QStringLiteral("/colleague-pins.json")).toUtf8());
        TenantProfile p;
        p.name = QStringLiteral("shared");
        p.apiUrl = server.baseUrl();
        p.keyId = kKeyId;
        QVERIFY(xdrtenants::save(ts.store(), p).ok());
        QVERIFY(secrets::write(p.secretName(), kKey).ok());
        qputenv("CAUSA_TENANT_PINS_FILE", ownPins);

        XdrService service(ts.shared());
        TenantsDialog dialog(&service);
        dialog.resize(dialog.sizeHint());
        dialog.show();
        auto *list = dialog.findChild<QListWidget *>();
        QTRY_COMPARE(list->count(), 1);
        QTRY_VERIFY(list->item(0)->text().contains(QLatin1String("not confirmed by you")));
        list->setCurrentRow(0);
        QPushButton *confirm = button(&dialog, QStringLiteral("Confirm where it points…"));
        QVERIFY(confirm);
        QTRY_VERIFY(confirm->isVisible() && confirm->isEnabled());
        // Testing with the stored key is refused while unconfirmed: nothing reaches the tenant.
        button(&dialog, QStringLiteral("Test connection"))->click();
        auto *bar = dialog.findChild<MessageBar *>();
        QTRY_VERIFY_WITH_TIMEOUT(bar->text().contains(QLatin1String("not confirmed")), 10000);
        QCOMPARE(server.http().requestCount(), 0);
        test::saveScreenshot(&dialog, QStringLiteral("xdr-tenants-unconfirmed"));

        QString asked;
        QTimer::singleShot(0, this, [&asked] {
            QTRY_VERIFY(QApplication::activeModalWidget() != nullptr);
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            asked = box->text();
            box->button(QMessageBox::Yes)->click();
        });
        confirm->click();
        QVERIFY2(asked.contains(server.baseUrl()), qPrintable(asked));
        QTRY_VERIFY_WITH_TIMEOUT(bar->text().contains(QLatin1String("confirmed:")), 10000);
        QTRY_VERIFY(!list->item(0)->text().contains(QLatin1String("not confirmed")));
        QTRY_VERIFY(!confirm->isVisible());
        button(&dialog, QStringLiteral("Test connection"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(bar->text().startsWith(QLatin1String("OK")), 10000);
        QVERIFY(server.http().requestCount() > 0);
    }

    void pullDialog()
    {
        XdrTenantServer server(kKeyId, kKey, true);
        server.addIncident(QStringLiteral("7001"),
                           test::readFixture(QStringLiteral("xdr/incident-7001.json")));
        test::addSyntheticAlerts(server, QStringLiteral("LAB-WS-7"), 240, 1795100000000 - 3600000,
                                 10000, 100000);
        test::TempStore ts;
        TenantProfile p;
        p.name = QStringLiteral("lab");
        p.apiUrl = server.baseUrl();
        p.keyId = kKeyId;
        p.advancedKey = true;
        QVERIFY(xdrtenants::save(ts.store(), p).ok());
        QVERIFY(secrets::write(p.secretName(), kKey).ok());

        XdrService service(ts.shared());
        PullDialog dialog(&service);
        qint64 pulledCase = 0;
        connect(&dialog, &PullDialog::pulled, this,
                [&pulledCase](qint64 id, const QString &) { pulledCase = id; });
        dialog.show();
        auto *tenant = dialog.findChild<QComboBox *>();
        QTRY_COMPARE(tenant->count(), 1);
        QPushButton *pull = button(&dialog, QStringLiteral("Pull"));
        QVERIFY(!pull->isEnabled());
        dialog.setIncidentId(QStringLiteral("7001"));
        QVERIFY(pull->isEnabled());
        pull->click();
        QVERIFY(!pull->isEnabled()); // running: the GUI thread is free, the pull is not done yet
        QTRY_VERIFY_WITH_TIMEOUT(pulledCase > 0, 20000);
        QCOMPARE(ts.store().stats()->alerts, qint64(242));
        auto *bar = dialog.findChild<MessageBar *>();
        QVERIFY2(bar->text().contains(QLatin1String("242 new alert")), qPrintable(bar->text()));
        test::saveScreenshot(&dialog, QStringLiteral("xdr-pull-dialog"));

        // 500 from the tenant: the error shows in the bar and nothing is imported.
        server.injectFault(
            QStringLiteral("get_incident"), 99,
            XdrTenantServer::reply(
                500, {{"reply", {{"err_code", 500}, {"err_msg", "tenant is down"}}}}));
        dialog.setIncidentId(QStringLiteral("7002"));
        pull->click();
        QTRY_VERIFY_WITH_TIMEOUT(bar->text().contains(QLatin1String("HTTP 500")), 60000);
        QVERIFY(bar->text().contains(QLatin1String("tenant is down")));
        QCOMPARE(ts.store().stats()->alerts, qint64(242));
        test::saveScreenshot(&dialog, QStringLiteral("xdr-pull-dialog-500"));
    }

private:
    QTemporaryDir m_secrets;
};

QTEST_MAIN(TestXdrDialogs)
#include "tst_xdrdialogs.moc"
