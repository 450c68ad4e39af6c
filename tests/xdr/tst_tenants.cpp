// Tenant profiles in the store's settings and their keys in the secret store: round trip,
// validation, the key never in the store (file bytes, settings rows, audit), 0600 secrets file.
#include "enrichment/enrichmentsettings.h"
#include "secrets/secretstore.h"
#include "store/tenantstore.h"
#include "testutils.h"
#include "xdrtestutil.h"

#include <QFile>
#include <QFileInfo>
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
        TenantStore tenants(ts.store());
        QVERIFY(tenants.list().value().empty());
        QCOMPARE(tenants.activeTenant().value(), QString());
        TenantProfile p;
        p.name = QStringLiteral("lab_eu-1");
        p.apiUrl = QStringLiteral("https://api-lab.xdr.eu.paloaltonetworks.com");
        p.keyId = QStringLiteral("12");
        p.advancedKey = true;
        p.caFile = QStringLiteral("/etc/ssl/lab-ca.pem");
        p.allowSelfSigned = true;
        p.timeoutMs = 45000;
        QVERIFY(tenants.save(p).ok());
        QVERIFY(secrets::write(p.secretName(), kKey).ok());
        TenantProfile other = p;
        other.name = QStringLiteral("prod");
        other.advancedKey = false;
        other.allowSelfSigned = false;
        QVERIFY(tenants.save(other).ok());

        auto got = tenants.get(QStringLiteral("lab_eu-1"));
        QVERIFY(got.ok());
        QCOMPARE(got->apiUrl, p.apiUrl);
        QCOMPARE(got->keyId, p.keyId);
        QCOMPARE(got->advancedKey, true);
        QCOMPARE(got->caFile, p.caFile);
        QCOMPARE(got->allowSelfSigned, true);
        QCOMPARE(got->timeoutMs, 45000);
        auto endpoint = got->endpoint();
        QVERIFY(endpoint.ok());
        QCOMPARE(endpoint->apiKey, kKey);
        QCOMPARE(endpoint->tls.allowSelfSigned, true);
        QCOMPARE(tenants.list().value().size(), size_t(2));
        // Two tenants and no default: none is active; a default makes one active.
        QCOMPARE(tenants.activeTenant().value(), QString());
        QVERIFY(tenants.setDefaultTenant(QStringLiteral("prod")).ok());
        QCOMPARE(tenants.activeTenant().value(), QStringLiteral("prod"));
        QVERIFY(!tenants.setDefaultTenant(QStringLiteral("nope")).ok());

        // "prod" has no key: a clear error naming the tenant.
        auto noKey = other.endpoint();
        QVERIFY(!noKey.ok());
        QCOMPARE(noKey.error().code, QStringLiteral("xdr-no-key"));
        QVERIFY(noKey.error().message.contains(QLatin1String("'prod'")));

        QCOMPARE(tenants.remove(QStringLiteral("prod")).value(), true);
        QCOMPARE(tenants.remove(QStringLiteral("prod")).value(), false);
        QCOMPARE(tenants.defaultTenant().value(), QString()); // default cleared with its tenant
        QCOMPARE(tenants.activeTenant().value(), QStringLiteral("lab_eu-1")); // the only one
        auto missing = tenants.get(QStringLiteral("prod"));
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

    void validation_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("keyId");
        QTest::newRow("name with a space") << "my tenant" << "https://a.example" << "1";
        QTest::newRow("empty name") << "" << "https://a.example" << "1";
        QTest::newRow("markup in name") << "<b>x</b>" << "https://a.example" << "1";
        QTest::newRow("not a URL") << "t" << "api-lab" << "1";
        QTest::newRow("ftp URL") << "t" << "ftp://a.example" << "1";
        QTest::newRow("no key id") << "t" << "https://a.example" << " ";
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
        auto r = TenantStore(ts.store()).save(p);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("bad-tenant"));
        QVERIFY(TenantStore(ts.store()).list().value().empty());
    }

    void secretsFileIsOwnerOnly()
    {
        QCOMPARE(qEnvironmentVariable("CAUSA_SECRET_STORE"), QStringLiteral("file"));
        QVERIFY(secrets::write(QStringLiteral("virustotal"), QStringLiteral("vt-key-1")).ok());
        const QString path = m_secrets.filePath(QStringLiteral("secrets.json"));
        QVERIFY(QFileInfo::exists(path));
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther
                                              | QFileDevice::WriteOther | QFileDevice::ReadUser),
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
        QCOMPARE(EnrichmentSettings::fromEnvironment().virusTotal.apiKey, QStringLiteral("from-env-vt"));
        QCOMPARE(EnrichmentSettings::fromEnvironment().abuseIpDb.apiKey, QString());
        QVERIFY(secrets::write(QStringLiteral("virustotal"), QStringLiteral("from-store-vt")).ok());
        QVERIFY(secrets::write(QStringLiteral("abuseipdb"), QStringLiteral("from-store-abuse")).ok());
        const EnrichmentSettings s = EnrichmentSettings::fromEnvironment();
        QCOMPARE(s.virusTotal.apiKey, QStringLiteral("from-store-vt"));
        QCOMPARE(s.abuseIpDb.apiKey, QStringLiteral("from-store-abuse"));
        QVERIFY(secrets::remove(QStringLiteral("virustotal")).ok());
        QVERIFY(secrets::remove(QStringLiteral("abuseipdb")).ok());
        QCOMPARE(EnrichmentSettings::fromEnvironment().virusTotal.apiKey, QStringLiteral("from-env-vt"));
        qunsetenv("CAUSA_VT_API_KEY");
    }

private:
    QTemporaryDir m_secrets;
};

QTEST_GUILESS_MAIN(TestTenants)
#include "tst_tenants.moc"
