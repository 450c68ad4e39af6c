#include "filesecrets.h"

#include "core/errorcodes.h"

#ifdef CAUSA_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>

#include <QEventLoop>
#endif

namespace causa::secrets::detail {

#ifdef CAUSA_HAVE_QTKEYCHAIN

namespace {

const QString kService = QStringLiteral("causa");

// qtkeychain jobs are asynchronous; a local event loop makes them synchronous so the core's
// callers (CLI, worker threads) keep plain Result values.
template<typename Job>
bool runJob(Job &job, bool *unavailable, Error *error)
{
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    loop.exec();
    if (job.error() == QKeychain::NoError)
        return true;
    // A headless box (no D-Bus session, no Secret Service daemon) answers OtherError rather than
    // NoBackendAvailable; only an explicit refusal by the user or the OS is a real error here.
    *unavailable = job.error() == QKeychain::NoBackendAvailable ||
                   job.error() == QKeychain::NotImplemented || job.error() == QKeychain::OtherError;
    *error = Error{errc::kKeychain, QStringLiteral("OS keychain: %1").arg(job.errorString()), {}};
    return false;
}

} // namespace

bool keychainBuilt()
{
    return true;
}

Result<QString> keychainRead(const QString &name, bool *unavailable)
{
    QKeychain::ReadPasswordJob job(kService);
    job.setKey(name);
    Error e;
    if (runJob(job, unavailable, &e))
        return job.textData();
    if (job.error() == QKeychain::EntryNotFound) {
        *unavailable = false;
        return QString();
    }
    return e;
}

Result<void> keychainWrite(const QString &name, const QString &value, bool *unavailable)
{
    QKeychain::WritePasswordJob job(kService);
    job.setKey(name);
    job.setTextData(value);
    Error e;
    if (runJob(job, unavailable, &e))
        return {};
    return e;
}

Result<void> keychainRemove(const QString &name, bool *unavailable)
{
    QKeychain::DeletePasswordJob job(kService);
    job.setKey(name);
    Error e;
    if (runJob(job, unavailable, &e) || job.error() == QKeychain::EntryNotFound)
        return {};
    return e;
}

#else

namespace {
Error notBuilt()
{
    return Error{errc::kKeychain,
                 QStringLiteral("this build has no OS keychain support (qtkeychain was not found)"),
                 {}};
}
} // namespace

bool keychainBuilt()
{
    return false;
}

Result<QString> keychainRead(const QString &, bool *unavailable)
{
    *unavailable = true;
    return notBuilt();
}

Result<void> keychainWrite(const QString &, const QString &, bool *unavailable)
{
    *unavailable = true;
    return notBuilt();
}

Result<void> keychainRemove(const QString &, bool *unavailable)
{
    *unavailable = true;
    return notBuilt();
}

#endif

} // namespace causa::secrets::detail
