#include "tenantpins.h"

#include "core/errorcodes.h"
#include "secrets/privatefile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

#include <functional>

namespace causa::tenantpins {

namespace {

QString caFingerprint(const QString &caFile)
{
    if (caFile.isEmpty())
        return {};
    QFile f(caFile);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("unreadable");
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return QString::fromLatin1(h.result().toHex());
}

nlohmann::json pinOf(const TenantProfile &p)
{
    return {{"api_url", p.apiUrl.toStdString()},
            {"ca_file", p.caFile.toStdString()},
            {"ca_sha256", caFingerprint(p.caFile).toStdString()},
            {"allow_self_signed", p.allowSelfSigned}};
}

std::string keyOf(const QString &storeId, const QString &tenant)
{
    return QString(storeId + QStringLiteral(" | ") + tenant).toStdString();
}

Result<nlohmann::json> load()
{
    QFile f(pinsFilePath());
    if (!f.exists())
        return nlohmann::json::object();
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kTenantPins,
                         QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
    auto j = nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError(
            errc::kTenantPins,
            QStringLiteral("%1 is not a JSON object; remove it and confirm your tenants again")
                .arg(f.fileName()));
    return j;
}

Result<void> save(const nlohmann::json &pins)
{
    return secrets::writePrivateFile(pinsFilePath(), QByteArray::fromStdString(pins.dump(2)));
}

QString text(const nlohmann::json &pin)
{
    const QString ca = QString::fromStdString(pin.value("ca_file", std::string()));
    const QString sha = QString::fromStdString(pin.value("ca_sha256", std::string()));
    QString out = QString::fromStdString(pin.value("api_url", std::string()));
    out += ca.isEmpty() ? QStringLiteral(" · system CAs")
                        : QStringLiteral(" · CA %1 (sha256 %2)").arg(ca, sha.left(16));
    out += pin.value("allow_self_signed", false) ? QStringLiteral(" · certificate NOT verified")
                                                 : QStringLiteral(" · certificate verified");
    return out;
}

} // namespace

QString pinsFilePath()
{
    const QString env = qEnvironmentVariable("CAUSA_TENANT_PINS_FILE");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/causa/tenant-pins.json");
}

QString describe(const TenantProfile &profile)
{
    return text(pinOf(profile));
}

Result<void> check(const QString &storeId, const TenantProfile &profile)
{
    auto pins = load();
    if (!pins)
        return pins.error();
    const nlohmann::json now = pinOf(profile);
    const auto it = pins->find(keyOf(storeId, profile.name));
    const QString how =
        QStringLiteral(
            "check it with your team, then confirm it with 'causa-cli tenant confirm %1' or "
            "Tools > XDR tenants; until then your API key is not sent")
            .arg(profile.name);
    if (it == pins->end())
        return makeError(errc::kXdrTenantUnconfirmed,
                         QStringLiteral("you have not confirmed tenant '%1' of this store (%2); %3")
                             .arg(profile.name, text(now), how));
    if (*it != now)
        return makeError(
            errc::kXdrTenantUnconfirmed,
            QStringLiteral(
                "tenant '%1' changed since you confirmed it: it was %2, it is now %3; %4")
                .arg(profile.name, text(*it), text(now), how));
    return {};
}

namespace {

// The workbench and the CLI may confirm at the same moment: read-modify-write under a lock
// file. `change` edits the pins and says whether there is anything to save.
Result<void> updatePins(const std::function<bool(nlohmann::json &)> &change)
{
    const QString path = pinsFilePath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    QLockFile lock(path + QStringLiteral(".lock"));
    if (!lock.tryLock(10000))
        return makeError(errc::kTenantPins,
                         QStringLiteral("%1 is locked by another Causa process").arg(path));
    auto pins = load();
    if (!pins)
        return pins.error();
    return change(*pins) ? save(*pins) : Result<void>();
}

} // namespace

Result<void> confirm(const QString &storeId, const TenantProfile &profile)
{
    return updatePins([&](nlohmann::json &pins) {
        pins[keyOf(storeId, profile.name)] = pinOf(profile);
        return true;
    });
}

Result<void> forget(const QString &storeId, const QString &tenant)
{
    return updatePins([&](nlohmann::json &pins) { return pins.erase(keyOf(storeId, tenant)) > 0; });
}

} // namespace causa::tenantpins
