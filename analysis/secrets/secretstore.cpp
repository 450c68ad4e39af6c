#include "secretstore.h"

#include "core/logging.h"
#include "filesecrets.h"

#include <QMutex>

#include <atomic>

namespace causa::secrets {

namespace {

// Set once the OS told us it has no keychain: later calls go straight to the file.
std::atomic_bool g_keychainMissing{false};

bool useKeychain()
{
    const QString choice = qEnvironmentVariable("CAUSA_SECRET_STORE").toLower();
    if (choice == QLatin1String("file"))
        return false;
    return keychainAvailable() && !g_keychainMissing.load();
}

// Serialises file read-modify-write cycles between threads of this process.
QMutex &fileMutex()
{
    static QMutex m;
    return m;
}

void noteMissing(bool unavailable)
{
    if (unavailable && !g_keychainMissing.exchange(true))
        qCWarning(lcNet) << "no OS keychain service; API keys go to" << detail::secretsFilePath()
                         << "(0600)";
}

} // namespace

bool keychainAvailable()
{
    return detail::keychainBuilt();
}

Result<QString> read(const QString &name)
{
    if (useKeychain()) {
        bool unavailable = false;
        auto r = detail::keychainRead(name, &unavailable);
        if ((r && !r->isEmpty()) || (!r && !unavailable))
            return r;
        // Not in the keychain: it may have been written to the file while no keychain answered.
        noteMissing(unavailable);
    }
    QMutexLocker lock(&fileMutex());
    return detail::fileRead(name);
}

Result<void> write(const QString &name, const QString &value)
{
    if (useKeychain()) {
        bool unavailable = false;
        auto r = detail::keychainWrite(name, value, &unavailable);
        if (r || !unavailable)
            return r;
        noteMissing(unavailable);
    }
    QMutexLocker lock(&fileMutex());
    return detail::fileWrite(name, value);
}

Result<void> remove(const QString &name)
{
    if (useKeychain()) {
        bool unavailable = false;
        auto r = detail::keychainRemove(name, &unavailable);
        if (!r && !unavailable)
            return r;
        noteMissing(unavailable);
    }
    // Also from the file: a key may have landed there while no keychain answered.
    QMutexLocker lock(&fileMutex());
    return detail::fileRemove(name);
}

QString backendDescription()
{
    if (useKeychain())
        return QStringLiteral("OS keychain");
    QString why;
    if (!keychainAvailable())
        why = QStringLiteral(", built without qtkeychain");
    else if (g_keychainMissing.load())
        why = QStringLiteral(", no OS keychain service");
    return QStringLiteral("file %1 (owner-only 0600%2)").arg(detail::secretsFilePath(), why);
}

QString readWithEnvFallback(const QString &name, const char *envVar)
{
    auto r = read(name);
    if (r && !r->trimmed().isEmpty())
        return r->trimmed();
    if (!r)
        qCWarning(lcNet) << "cannot read the" << name
                         << "key from the secret store:" << r.error().message;
    return qEnvironmentVariable(envVar).trimmed();
}

} // namespace causa::secrets
