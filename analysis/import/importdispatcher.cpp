#include "importdispatcher.h"

#include "cmdline/cmdlineindicators.h"
#include "core/logging.h"
#include "events/eventimporter.h"
#include "store/importsession.h"
#include "intel/iocsvimporter.h"
#include "intel/mispimporter.h"
#include "intel/stiximporter.h"
#include "xdr/xdrimporter.h"

#include <QFile>
#include <QFileInfo>

namespace causa {

QString ImportDispatcher::detectFormat(const QString &path, const QByteArray &head)
{
    if (StixImporter::looksLike(head))
        return QStringLiteral("stix");
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

Result<ImportCounts> ImportDispatcher::importFile(const QString &path, const ImportOptions &options)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("io"), QStringLiteral("cannot open: %1").arg(f.errorString()), path);
    if (f.size() == 0)
        return makeError(QStringLiteral("empty"), QStringLiteral("the file is empty"), path);
    const QByteArray head = f.read(64 * 1024);
    f.close();
    if (head.trimmed().isEmpty() && f.size() <= head.size())
        return makeError(QStringLiteral("empty"), QStringLiteral("the file holds only whitespace"), path);
    const QString format = detectFormat(path, head);
    if (format.isEmpty())
        return makeError(QStringLiteral("unknown-format"),
                         QStringLiteral("not a format Causa imports (Cortex XDR JSON, Windows event "
                                        "JSON lines or .evtx, IOC CSV, MISP JSON, STIX 2.1)"),
                         path + QStringLiteral(": byte 0"));
    ImportSession session(m_store, options.actor);
    if (auto r = session.begin(); !r)
        return r.error();
    // Alerts and endpoint events bring command lines whose indicators become case indicators.
    const bool commandLines = format == QLatin1String("xdr") || format == QLatin1String("events");
    cmdlineq::ImportMark mark;
    if (commandLines) {
        auto m = CommandLineIndicators::mark(session);
        if (!m)
            return m.error();
        mark = m.value();
    }
    Result<void> r;
    if (format == QLatin1String("xdr"))
        r = XdrImporter().importFile(session, path, options);
    else if (format == QLatin1String("events"))
        r = EventImporter().importFile(session, path, options);
    else if (format == QLatin1String("stix"))
        r = StixImporter().importFile(session, path, options);
    else if (format == QLatin1String("misp"))
        r = MispImporter().importFile(session, path, options);
    else if (format == QLatin1String("intel-csv"))
        r = IocCsvImporter().importFile(session, path, options);
    if (r && commandLines) {
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

} // namespace causa
