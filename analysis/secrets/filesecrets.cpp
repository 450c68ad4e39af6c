#include "filesecrets.h"

#include "core/errorcodes.h"
#include "privatefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace causa::secrets::detail {

namespace {

Result<QJsonObject> load()
{
    const QString path = secretsFilePath();
    QFile f(path);
    if (!f.exists())
        return QJsonObject();
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kSecretsIo, QStringLiteral("cannot read: %1").arg(f.errorString()),
                         path);
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(
            errc::kSecretsCorrupt,
            QStringLiteral("the secrets file is not a JSON object (byte %1: %2); fix or delete it")
                .arg(err.offset)
                .arg(err.errorString()),
            path);
    return doc.object();
}

Result<void> save(const QJsonObject &o)
{
    return writePrivateFile(secretsFilePath(), QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace

QString secretsFilePath()
{
    const QString env = qEnvironmentVariable("CAUSA_SECRETS_FILE");
    if (!env.isEmpty())
        return env;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    return dir + QStringLiteral("/causa/secrets.json");
}

Result<QString> fileRead(const QString &name)
{
    auto o = load();
    if (!o)
        return o.error();
    return o->value(name).toString();
}

Result<void> fileWrite(const QString &name, const QString &value)
{
    auto o = load();
    if (!o)
        return o.error();
    o->insert(name, value);
    return save(o.value());
}

Result<void> fileRemove(const QString &name)
{
    auto o = load();
    if (!o)
        return o.error();
    if (!o->contains(name))
        return {};
    o->remove(name);
    return save(o.value());
}

} // namespace causa::secrets::detail
