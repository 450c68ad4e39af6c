#include "importdispatcher.h"

#include "cmdline/cmdlineindicators.h"
#include "core/errorcodes.h"
#include "core/logging.h"
#include "events/eventimporter.h"
#include "intel/iocsvimporter.h"
#include "intel/mispimporter.h"
#include "intel/stiximporter.h"
#include "store/importsession.h"
#include "xdr/xdrimporter.h"
#include "ziparchive.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

namespace causa {

QString ImportDispatcher::detectFormat(const QString &path, const QByteArray &head)
{
    if (StixImporter::looksLike(head))
        return QStringLiteral("stix");
    // Before MISP: evtx-dump events are {"Event": {"System": ...}} too.
    if (EventImporter::looksLikeNestedEvent(head))
        return QStringLiteral("events");
    if (MispImporter::looksLike(head))
        return QStringLiteral("misp");
    if (XdrImporter::looksLike(head))
        return QStringLiteral("xdr");
    if (EventImporter::looksLike(head))
        return QStringLiteral("events");
    if (IocCsvImporter::looksLike(path, head))
        return QStringLiteral("intel-csv");
    return {};
}

namespace {

Error unknownFormat(const QString &where)
{
    return makeError(
        errc::kUnknownFormat,
        QStringLiteral("not a format Causa imports (Cortex XDR JSON, Windows event "
                       "JSON lines or .evtx, IOC CSV, MISP JSON, STIX 2.1, or a ZIP of those)"),
        where + QStringLiteral(": byte 0"));
}

bool bringsCommandLines(const QString &format)
{
    return format == QLatin1String("xdr") || format == QLatin1String("events");
}

// Runs one importer inside the session.
Result<void> runImporter(ImportSession &session, const QString &format, const QString &path,
                         const ImportOptions &options)
{
    if (format == QLatin1String("xdr"))
        return XdrImporter().importFile(session, path, options);
    if (format == QLatin1String("events"))
        return EventImporter().importFile(session, path, options);
    if (format == QLatin1String("stix"))
        return StixImporter().importFile(session, path, options);
    if (format == QLatin1String("misp"))
        return MispImporter().importFile(session, path, options);
    if (format == QLatin1String("intel-csv"))
        return IocCsvImporter().importFile(session, path, options);
    return unknownFormat(path);
}

QByteArray readHead(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(64 * 1024) : QByteArray();
}

// An archive worth unpacking: it holds a file, and within the size Causa accepts.
Result<void> checkArchiveSize(const ZipArchive &archive, const QString &path)
{
    qint64 total = 0;
    int files = 0;
    for (const ZipArchive::Member &m : archive.members()) {
        total += m.size;
        files += m.isDirectory() ? 0 : 1;
    }
    if (files == 0)
        return makeError(errc::kEmpty, QStringLiteral("the archive holds no file"), path);
    if (total > ZipArchive::kMaxTotalSize)
        return makeError(
            errc::kZip,
            QStringLiteral("the archive would inflate to %1 bytes, more than Causa accepts")
                .arg(total),
            path);
    return {};
}

// Unpacks member m into folder and imports it into the session; where names it in messages
// ("archive.zip!member"). Returns its format, or an empty one for a member in no format Causa
// imports (skipped with a warning).
Result<QString> importMember(ImportSession &session, const ZipArchive &archive,
                             const ZipArchive::Member &m, const QString &folder,
                             const QString &where, const ImportOptions &options)
{
    // Unpacked under its own name, so that events keep the member's name as their source.
    QString base = QFileInfo(m.name).fileName().remove(QChar(0));
    if (base.isEmpty() || base == QLatin1String("..") || base == QLatin1String("."))
        base = QStringLiteral("member");
    QDir().mkpath(folder);
    const QString target = folder + QLatin1Char('/') + base;
    Result<void> r = archive.extract(m, target, options.cancel);
    QString format;
    if (r) {
        const QByteArray head = readHead(target);
        format =
            ZipArchive::looksLike(head) ? QString() : ImportDispatcher::detectFormat(m.name, head);
    }
    if (r && format.isEmpty()) {
        // A README or licence beside the data is common in shared datasets: say so, go on.
        if (options.warn)
            options.warn(QStringLiteral("%1: skipped, not a format Causa imports").arg(where));
        QFile::remove(target);
        return QString();
    }
    if (r) {
        // Problems inside the member name the member, not the scratch file.
        ImportOptions inner = options;
        if (options.warn)
            inner.warn = [&](const QString &problem) {
                QString p = problem;
                if (p.startsWith(base + QLatin1Char(':')))
                    p.replace(0, base.size(), where);
                options.warn(p.replace(target, where));
            };
        r = runImporter(session, format, target, inner);
        if (!r) {
            Error e = r.error();
            e.location.replace(target, where);
            e.message.replace(target, where);
            r = e;
        }
    }
    QFile::remove(target);
    if (!r)
        return r.error();
    return format;
}

} // namespace

Result<ImportCounts> ImportDispatcher::importFile(const QString &path, const ImportOptions &options)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kIo, QStringLiteral("cannot open: %1").arg(f.errorString()), path);
    if (f.size() == 0)
        return makeError(errc::kEmpty, QStringLiteral("the file is empty"), path);
    const QByteArray head = f.read(64 * 1024);
    f.close();
    if (head.trimmed().isEmpty() && f.size() <= head.size())
        return makeError(errc::kEmpty, QStringLiteral("the file holds only whitespace"), path);
    if (ZipArchive::looksLike(head))
        return importArchive(path, options);
    const QString format = detectFormat(path, head);
    if (format.isEmpty())
        return unknownFormat(path);
    ImportSession session(m_store, options.actor);
    if (auto r = session.begin(); !r)
        return r.error();
    // Alerts and endpoint events bring command lines whose indicators become case indicators.
    cmdlineq::ImportMark mark;
    if (bringsCommandLines(format)) {
        auto m = CommandLineIndicators::mark(session);
        if (!m)
            return m.error();
        mark = m.value();
    }
    Result<void> r = runImporter(session, format, path, options);
    if (r && bringsCommandLines(format)) {
        if (auto n = CommandLineIndicators::apply(session, mark); !n)
            r = n.error();
    }
    if (!r) {
        session.rollback();
        return r.error();
    }
    if (auto c = session.commit(QFileInfo(path).fileName()); !c)
        return c.error();
    qCInfo(lcImport) << "imported" << path << "as" << format;
    return session.counts();
}

Result<ImportCounts> ImportDispatcher::importArchive(const QString &path,
                                                     const ImportOptions &options)
{
    auto archive = ZipArchive::open(path);
    if (!archive)
        return archive.error();
    if (auto r = checkArchiveSize(archive.value(), path); !r)
        return r.error();
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return makeError(
            errc::kIo,
            QStringLiteral("no temporary folder to unpack into: %1").arg(scratch.errorString()),
            path);

    // The whole archive is one import: one transaction, all members or none.
    ImportSession session(m_store, options.actor);
    if (auto r = session.begin(); !r)
        return r.error();
    auto mark = CommandLineIndicators::mark(session);
    if (!mark) {
        session.rollback();
        return mark.error();
    }
    bool commandLines = false;
    int imported = 0;
    int n = 0;
    for (const ZipArchive::Member &m : archive.value().members()) {
        if (m.isDirectory())
            continue;
        const QString where = QStringLiteral("%1!%2").arg(path, m.name);
        const QString folder = scratch.filePath(QString::number(++n));
        auto format = importMember(session, archive.value(), m, folder, where, options);
        if (!format) {
            session.rollback();
            return format.error();
        }
        if (format.value().isEmpty())
            continue;
        commandLines = commandLines || bringsCommandLines(format.value());
        ++imported;
    }
    if (imported == 0) {
        session.rollback();
        return makeError(errc::kUnknownFormat,
                         QStringLiteral("the archive holds no file in a format Causa imports"),
                         path);
    }
    if (commandLines) {
        if (auto c = CommandLineIndicators::apply(session, mark.value()); !c) {
            session.rollback();
            return c.error();
        }
    }
    if (auto c = session.commit(QFileInfo(path).fileName()); !c)
        return c.error();
    qCInfo(lcImport) << "imported" << imported << "files from" << path;
    return session.counts();
}

} // namespace causa
