#include "privatefile.h"

#include "core/errorcodes.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace causa::secrets {

namespace {

Error ioError(const QString &what, const QString &path, int err)
{
    return makeError(errc::kSecretsIo,
                     QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(std::strerror(err))),
                     path);
}

// The folder exists; when we create it, only its owner may enter it. An existing folder keeps
// its mode: it may be shared on purpose (CAUSA_SECRETS_FILE=/tmp/x), and the file is 0600 anyway.
Result<void> privateFolder(const QString &dir)
{
    if (QFileInfo(dir).isDir())
        return {};
    if (!QDir().mkpath(QFileInfo(dir).absolutePath()))
        return ioError(QStringLiteral("cannot create the folder"), dir, errno);
    if (::mkdir(QFile::encodeName(dir).constData(), 0700) != 0 && errno != EEXIST)
        return ioError(QStringLiteral("cannot create the folder"), dir, errno);
    if (::chmod(QFile::encodeName(dir).constData(), 0700) != 0)
        return ioError(QStringLiteral("cannot restrict the folder to its owner"), dir, errno);
    return {};
}

void syncFolder(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Writes bytes to a new temporary beside path, created 0600 (never wider, whatever the umask
// allows), and flushed to disk. Returns the temporary's name.
Result<QString> writeTemporary(const QString &path, const QByteArray &bytes)
{
    const QString tmp =
        QStringLiteral("%1.tmp-%2").arg(path).arg(QRandomGenerator::system()->generate64(), 0, 16);
    const int fd = ::open(QFile::encodeName(tmp).constData(),
                          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return ioError(QStringLiteral("cannot create"), tmp, errno);
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(QFile::encodeName(tmp).constData());
            return ioError(QStringLiteral("cannot write"), tmp, err);
        }
        done += n;
    }
    if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(QFile::encodeName(tmp).constData());
        return ioError(QStringLiteral("cannot flush"), tmp, err);
    }
    ::close(fd);
    return tmp;
}

} // namespace

Result<void> writePrivateFile(const QString &path, const QByteArray &bytes)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (auto d = privateFolder(dir); !d)
        return d.error();
    auto tmp = writeTemporary(path, bytes);
    if (!tmp)
        return tmp.error();
    if (::rename(QFile::encodeName(tmp.value()).constData(), QFile::encodeName(path).constData()) !=
        0) {
        const int err = errno;
        ::unlink(QFile::encodeName(tmp.value()).constData());
        return ioError(QStringLiteral("cannot replace"), path, err);
    }
    syncFolder(dir);
    return {};
}

Result<bool> createPrivateFile(const QString &path, const QByteArray &bytes)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (auto d = privateFolder(dir); !d)
        return d.error();
    auto tmp = writeTemporary(path, bytes);
    if (!tmp)
        return tmp.error();
    // link() fails when path exists: of two processes creating the key, exactly one wins.
    const int rc =
        ::link(QFile::encodeName(tmp.value()).constData(), QFile::encodeName(path).constData());
    const int err = errno;
    ::unlink(QFile::encodeName(tmp.value()).constData());
    if (rc != 0 && err == EEXIST)
        return false;
    if (rc != 0)
        return ioError(QStringLiteral("cannot create"), path, err);
    syncFolder(dir);
    return true;
}

} // namespace causa::secrets
