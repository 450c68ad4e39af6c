// Tenant profiles in the store's settings and their keys in the secret store: round trip,
// validation, the key never in the store (file bytes, settings rows, audit), 0600 secrets file.
#include "enrichment/enrichmentsettings.h"
#include "secrets/secretstore.h"
#include "store/auditlog.h"
#include "store/tenantstore.h"
#include "testutils.h"
#include "xdr/tenantpins.h"
#include "xdr/xdrtenants.h"
#include "xdrtestutil.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace causa;

namespace {
const QString kKey = QStringLiteral("SECRET-xdr-key-7c1e0f9a2b");
}

class TestTenants : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_secrets.isValid());
        test::useFileSecrets(m_secrets.path());
    }

    void roundTrip()
    {
        test::TempStore ts;
        QVERIFY(tenantstore::list(ts.store()).value().empty());
        QCOMPARE(tenantstore::activeTenant(ts.store()).value(), QString());
        TenantProfile p;
        p.name = QStringLiteral("lab_eu-1");
        p.apiUrl = QStringLiteral("https://api-lab.xdr.eu.paloaltonetworks.com");
        p.keyId = QStringLiteral("12");
        p.advancedKey = true;
        p.caFile = QStringLiteral("/etc/ssl/lab-ca.pem");
        p.allowSelfSigned = true;
        p.timeoutMs = 45000;
        QVERIFY(xdrtenants::save(ts.store(), p).ok());
        QVERIFY(secrets::write(p.secretName(), kKey).ok());
        TenantProfile other = p;
        other.name = QStringLiteral("prod");
        other.advancedKey = false;
        other.allowSelfSigned = false;
        QVERIFY(xdrtenants::save(ts.store(), other).ok());

        auto got = tenantstore::get(ts.store(), QStringLiteral("lab_eu-1"));
        QVERIFY(got.ok());
        QCOMPARE(got->apiUrl, p.apiUrl);
        QCOMPARE(got->keyId, p.keyId);
        QCOMPARE(got->advancedKey, true);
        QCOMPARE(got->caFile, p.caFile);
        QCOMPARE(got->allowSelfSigned, true);
        QCOMPARE(got->timeoutMs, 45000);
        auto endpoint = xdrtenants::endpoint(ts.store(), got.value());
        QVERIFY(endpoint.ok());
        QCOMPARE(endpoint->apiKey, kKey);
        QCOMPARE(endpoint->tls.allowSelfSigned, true);
        QCOMPARE(tenantstore::list(ts.store()).value().size(), size_t(2));
        // Two tenants and no default: none is active; a default makes one active.
        QCOMPARE(tenantstore::activeTenant(ts.store()).value(), QString());
        QVERIFY(tenantstore::setDefaultTenant(ts.store(), QStringLiteral("prod")).ok());
        QCOMPARE(tenantstore::activeTenant(ts.store()).value(), QStringLiteral("prod"));
        QVERIFY(!tenantstore::setDefaultTenant(ts.store(), QStringLiteral("nope")).ok());

        // "prod" has no key: a clear error naming the tenant.
        auto noKey = xdrtenants::endpoint(ts.store(), other);
        QVERIFY(!noKey.ok());
        QCOMPARE(noKey.error().code, QStringLiteral("xdr-no-key"));
        QVERIFY(noKey.error().message.contains(QLatin1String("'prod'")));

        QCOMPARE(xdrtenants::remove(ts.store(), QStringLiteral("prod")).value(), true);
        QCOMPARE(xdrtenants::remove(ts.store(), QStringLiteral("prod")).value(), false);
        // default cleared with its tenant
        QCOMPARE(tenantstore::defaultTenant(ts.store()).value(), QString());
        // the only one
        QCOMPARE(tenantstore::activeTenant(ts.store()).value(), QStringLiteral("lab_eu-1"));
        auto missing = tenantstore::get(ts.store(), QStringLiteral("prod"));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(QLatin1String("lab_eu-1")));

        // The key is nowhere in the store: not in settings, not in any row.
        auto db = ts.store().connection().value();
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT key, value FROM settings")));
        while (q.next())
            QVERIFY2(!q.value(1).toString().contains(kKey), qPrintable(q.value(0).toString()));
        if (!ts.isPostgres()) {
            ts.store().connection().value().close();
            for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
                QFile f(ts.path() + suffix);
                if (f.open(QIODevice::ReadOnly))
                    QVERIFY(!f.readAll().contains(kKey.toUtf8()));
            }
        }
    }

    // Issue 18: a shared tenant profile is where an analyst's key goes, so a change of its URL,
    // CA or self-signed setting made by anyone (here: straight into the settings table, as
    // someone with write access to the store could) stops the key until this analyst confirms
    // it again; saves and confirmations are in the store-wide audit chain.
    void changedTenantNeedsLocalConfirmation()
    {
        QTemporaryDir dir;
        const QByteArray ownPins = qgetenv("CAUSA_TENANT_PINS_FILE");
        test::TempStore ts;
        const QString ca = dir.filePath(QStringLiteral("tenant-ca.pem"));
        auto writeCa = [&](const QByteArray &bytes) {
            QFile f(ca);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
                    f.write(bytes) == bytes.size());
        };
        writeCa("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        TenantProfile p;
        p.name = QStringLiteral("shared");
        p.apiUrl = QStringLiteral("https://api-shared.xdr.eu.paloaltonetworks.com");
        p.keyId = QStringLiteral("3");
        p.caFile = ca;
        QVERIFY(xdrtenants::save(ts.store(), p).ok()); // whoever saves it confirms it
        QVERIFY(secrets::write(p.secretName(), kKey).ok());
        QVERIFY(
            xdrtenants::endpoint(ts.store(), tenantstore::get(ts.store(), p.name).value()).ok());

        // Another analyst (their own local settings) has not confirmed it: no key leaves.
        qputenv("CAUSA_TENANT_PINS_FILE",
                dir.filePath(QStringLiteral("colleague-pins.json")).toUtf8());
        auto colleague =
            xdrtenants::endpoint(ts.store(), tenantstore::get(ts.store(), p.name).value());
        QVERIFY(!colleague.ok());
        QCOMPARE(colleague.error().code, QStringLiteral("xdr-tenant-unconfirmed"));
        QVERIFY2(colleague.error().message.contains(p.apiUrl),
                 qPrintable(colleague.error().message));
        QVERIFY(xdrtenants::confirm(ts.store(), p.name).ok());
        QVERIFY(
            xdrtenants::endpoint(ts.store(), tenantstore::get(ts.store(), p.name).value()).ok());
        qputenv("CAUSA_TENANT_PINS_FILE", ownPins);

        // The URL changed in the store behind everyone's back.
        auto db = ts.store().connection().value();
        auto rewrite = [&](const QString &from, const QString &to) {
            QSqlQuery q(db);
            q.prepare(
                QStringLiteral("UPDATE settings SET value = replace(value, ?, ?) WHERE key = ?"));
            q.addBindValue(from);
            q.addBindValue(to);
            q.addBindValue(QStringLiteral("xdr.tenant.shared"));
            QVERIFY2(q.exec() && q.numRowsAffected() == 1, qPrintable(q.lastError().text()));
        };
        rewrite(QStringLiteral("api-shared.xdr.eu"), QStringLiteral("api-shared.xdr.evil"));
        auto moved = xdrtenants::endpoint(ts.store(), tenantstore::get(ts.store(), p.name).value());
        QVERIFY(!moved.ok());
        QCOMPARE(moved.error().code, QStringLiteral("xdr-tenant-unconfirmed"));
        QVERIFY2(moved.error().message.contains(QStringLiteral("changed since you confirmed")) &&
                     moved.error().message.contains(QStringLiteral("api-shared.xdr.evil")),
                 qPrintable(moved.error().message));
        rewrite(QStringLiteral("api-shared.xdr.evil"), QStringLiteral("api-shared.xdr.eu"));
        // back to what was confirmed
        QVERIFY(
            xdrtenants::endpoint(ts.store(), tenantstore::get(ts.store(), p.name).value()).ok());

        // The CA file's content changed (same path): not the certificate that was confirmed.
        writeCa("-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n");
        auto otherCa =
            xdrtenants::endpoint(ts.store(), tenantstore::get(ts.store(), p.name).value());
        QVERIFY(!otherCa.ok());
        QVERIFY2(otherCa.error().message.contains(QStringLiteral("CA ")),
                 qPrintable(otherCa.error().message));
        QVERIFY(xdrtenants::confirm(ts.store(), p.name).ok());
        QVERIFY(
            xdrtenants::endpoint(ts.store(), tenantstore::get(ts.store(), p.name).value()).ok());

        // Certificate checks switched off: confirm again.
        rewrite(QStringLiteral("\"allow_self_signed\":false"),
                QStringLiteral("\"allow_self_signed\":true"));
        auto selfSigned =
            xdrtenants::endpoint(ts.store(), tenantstore::get(ts.store(), p.name).value());
        QVERIFY(!selfSigned.ok());
        QVERIFY2(selfSigned.error().message.contains(QStringLiteral("NOT verified")),
                 qPrintable(selfSigned.error().message));

        // The save and each confirmation are in the store-wide chain, with who did it.
        auto chain = audit::entries(db, 0);
        QVERIFY(chain.ok());
        QStringList kinds;
        for (const AuditEntry &e : chain.value()) {
            kinds << e.kind;
            QVERIFY2(e.actor.startsWith(QStringLiteral("os:")) ||
                         e.actor.startsWith(QStringLiteral("db:")),
                     qPrintable(e.actor));
        }
        QCOMPARE(kinds,
                 (QStringList{QStringLiteral("tenant.saved"), QStringLiteral("tenant.confirmed"),
                              QStringLiteral("tenant.confirmed")}));
        QVERIFY(chain->front().payload.contains(p.apiUrl));
        auto v = audit::verify(db, 0);
        QVERIFY(v.ok() && v->intact);
        // Editing through Causa records the previous value beside the new one.
        TenantProfile edited = tenantstore::get(ts.store(), p.name).value();
        edited.allowSelfSigned = false;
        edited.apiUrl = QStringLiteral("https://api-shared2.xdr.eu.paloaltonetworks.com");
        QVERIFY(xdrtenants::save(ts.store(), edited).ok());
        const AuditEntry last = audit::entries(db, 0).value().back();
        QCOMPARE(last.kind, QStringLiteral("tenant.saved"));
        QVERIFY(last.payload.contains(QStringLiteral("\"before\"")) &&
                last.payload.contains(QStringLiteral("api-shared2")));
        // the analyst who saved it confirmed it
        QVERIFY(xdrtenants::endpoint(ts.store(), edited).ok());
    }

    void validation_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("keyId");
        QTest::newRow("name with a space") << "my tenant"
                                           << "https://a.example"
                                           << "1";
        QTest::newRow("empty name") << ""
                                    << "https://a.example"
                                    << "1";
        QTest::newRow("markup in name") << "<b>x</b>"
                                        << "https://a.example"
                                        << "1";
        QTest::newRow("not a URL") << "t"
                                   << "api-lab"
                                   << "1";
        QTest::newRow("ftp URL") << "t"
                                 << "ftp://a.example"
                                 << "1";
        QTest::newRow("no key id") << "t"
                                   << "https://a.example"
                                   << " ";
    }
    void validation()
    {
        QFETCH(QString, name);
        QFETCH(QString, url);
        QFETCH(QString, keyId);
        test::TempStore ts;
        TenantProfile p;
        p.name = name;
        p.apiUrl = url;
        p.keyId = keyId;
        auto r = xdrtenants::save(ts.store(), p);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("bad-tenant"));
        QVERIFY(tenantstore::list(ts.store()).value().empty());
    }

    void secretsFileIsOwnerOnly()
    {
        QCOMPARE(qEnvironmentVariable("CAUSA_SECRET_STORE"), QStringLiteral("file"));
        QVERIFY(secrets::write(QStringLiteral("virustotal"), QStringLiteral("vt-key-1")).ok());
        const QString path = m_secrets.filePath(QStringLiteral("secrets.json"));
        QVERIFY(QFileInfo::exists(path));
        QCOMPARE(QFile::permissions(path) &
                     (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther |
                      QFileDevice::WriteOther | QFileDevice::ReadUser),
                 QFileDevice::ReadUser);
        QVERIFY(secrets::backendDescription().contains(path));
        QCOMPARE(secrets::read(QStringLiteral("virustotal")).value(), QStringLiteral("vt-key-1"));
        QVERIFY(secrets::remove(QStringLiteral("virustotal")).ok());
        QCOMPARE(secrets::read(QStringLiteral("virustotal")).value(), QString());
        QVERIFY(secrets::remove(QStringLiteral("virustotal")).ok()); // absent is fine

        // A corrupt file is an error naming the file, never silently replaced.
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{not json");
        f.close();
        auto bad = secrets::read(QStringLiteral("virustotal"));
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().location.contains(path));
        QVERIFY(!secrets::write(QStringLiteral("virustotal"), QStringLiteral("x")).ok());
        QFile::remove(path);
    }

    // Issue 5: provider keys come from the secret store, the environment stays a fallback.
    void providerKeysFromSecretStore()
    {
        qputenv("CAUSA_VT_API_KEY", "from-env-vt");
        qunsetenv("CAUSA_ABUSEIPDB_API_KEY");
        QCOMPARE(EnrichmentSettings::fromEnvironment().virusTotal.apiKey,
                 QStringLiteral("from-env-vt"));
        QCOMPARE(EnrichmentSettings::fromEnvironment().abuseIpDb.apiKey, QString());
        QVERIFY(secrets::write(QStringLiteral("virustotal"), QStringLiteral("from-store-vt")).ok());
        QVERIFY(
            secrets::write(QStringLiteral("abuseipdb"), QStringLiteral("from-store-abuse")).ok());
        const EnrichmentSettings s = EnrichmentSettings::fromEnvironment();
        QCOMPARE(s.virusTotal.apiKey, QStringLiteral("from-store-vt"));
        QCOMPARE(s.abuseIpDb.apiKey, QStringLiteral("from-store-abuse"));
        QVERIFY(secrets::remove(QStringLiteral("virustotal")).ok());
        QVERIFY(secrets::remove(QStringLiteral("abuseipdb")).ok());
        QCOMPARE(EnrichmentSettings::fromEnvironment().virusTotal.apiKey,
                 QStringLiteral("from-env-vt"));
        qunsetenv("CAUSA_VT_API_KEY");
    }

private:
    QTemporaryDir m_secrets;
};

QTEST_GUILESS_MAIN(TestTenants)
#include "tst_tenants.moc"
