#include "evtxreader.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"

#include <QFile>
#include <QXmlStreamReader>

#include <nlohmann/json.hpp>

#ifdef CAUSA_HAVE_LIBEVTX
#include <libevtx.h>
#endif

namespace causa::events {

bool EvtxReader::available()
{
#ifdef CAUSA_HAVE_LIBEVTX
    return true;
#else
    return false;
#endif
}

Result<QByteArray> EvtxReader::flatten(const QByteArray &xml)
{
    nlohmann::json out = nlohmann::json::object();
    QXmlStreamReader r(xml);
    QStringList path;
    int unnamed = 0;
    QString dataName;
    while (!r.atEnd()) {
        const auto token = r.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QString name = r.name().toString();
            path << name;
            const auto attrs = r.attributes();
            const bool inSystem = path.size() >= 2 && path.at(1) == QLatin1String("System");
            if (inSystem && name == QLatin1String("Provider"))
                out["Provider_Name"] = js::toStd(attrs.value(QLatin1String("Name")).toString());
            else if (inSystem && name == QLatin1String("TimeCreated"))
                out["TimeCreated"] = js::toStd(attrs.value(QLatin1String("SystemTime")).toString());
            else if (inSystem && name == QLatin1String("Execution")) {
                out["ExecutionProcessID"] =
                    js::toStd(attrs.value(QLatin1String("ProcessID")).toString());
                out["ExecutionThreadID"] =
                    js::toStd(attrs.value(QLatin1String("ThreadID")).toString());
            } else if (inSystem && name == QLatin1String("Security") &&
                       attrs.hasAttribute(QLatin1String("UserID")))
                out["UserID"] = js::toStd(attrs.value(QLatin1String("UserID")).toString());
            else if (name == QLatin1String("Data"))
                dataName = attrs.hasAttribute(QLatin1String("Name"))
                               ? attrs.value(QLatin1String("Name")).toString()
                               : QStringLiteral("Data%1").arg(unnamed++);
        } else if (token == QXmlStreamReader::Characters && !r.isWhitespace() && !path.isEmpty()) {
            const QString value = r.text().toString();
            const QString &leaf = path.last();
            const bool inSystem = path.size() >= 2 && path.at(1) == QLatin1String("System");
            std::string key;
            if (leaf == QLatin1String("Data"))
                key = js::toStd(dataName);
            else if (inSystem || (path.size() >= 2 && path.at(1) == QLatin1String("UserData")))
                key = js::toStd(leaf);
            if (!key.empty()) {
                auto &slot = out[key];
                slot = slot.is_string() ? slot.get<std::string>() + js::toStd(value)
                                        : js::toStd(value);
            }
        } else if (token == QXmlStreamReader::EndElement) {
            if (!path.isEmpty())
                path.removeLast();
        }
    }
    if (r.hasError())
        return makeError(errc::kEvtxXml, r.errorString(),
                         QStringLiteral("byte %1").arg(r.characterOffset()));
    if (out.contains("EventID") && out["EventID"].is_string()) {
        bool ok = false;
        const int id = QString::fromStdString(out["EventID"].get<std::string>()).toInt(&ok);
        if (ok)
            out["EventID"] = id;
    }
    return QByteArray::fromStdString(
        out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

#ifdef CAUSA_HAVE_LIBEVTX
namespace {

QString evtxError(libevtx_error_t *error)
{
    char buffer[512] = {};
    if (error) {
        libevtx_error_sprint(error, buffer, sizeof buffer);
        libevtx_error_free(&error);
    }
    return QString::fromUtf8(buffer).simplified();
}

} // namespace
#endif

Result<void> EvtxReader::read(const QString &path, const ImportOptions &options,
                              const std::function<Result<void>(const QByteArray &, qint64)> &record,
                              const std::function<void(qint64, const QString &)> &bad)
{
#ifdef CAUSA_HAVE_LIBEVTX
    libevtx_error_t *error = nullptr;
    libevtx_file_t *file = nullptr;
    if (libevtx_file_initialize(&file, &error) != 1)
        return makeError(errc::kEvtx, evtxError(error), path);
    struct Closer
    {
        libevtx_file_t *f;
        bool open = false;
        ~Closer()
        {
            if (open)
                libevtx_file_close(f, nullptr);
            libevtx_file_free(&f, nullptr);
        }
    } closer{file};
    const QByteArray native = QFile::encodeName(path);
    if (libevtx_file_open(file, native.constData(), LIBEVTX_OPEN_READ, &error) != 1)
        return makeError(errc::kEvtx, QStringLiteral("cannot open as EVTX: ") + evtxError(error),
                         path);
    closer.open = true;
    int count = 0;
    if (libevtx_file_get_number_of_records(file, &count, &error) != 1)
        return makeError(errc::kEvtx, evtxError(error), path);
    std::string xml;
    for (int i = 0; i < count; ++i) {
        if (options.cancelled())
            return makeError(errc::kCancelled, QStringLiteral("import cancelled"), path);
        if (options.progress && (i % 256) == 0)
            options.progress(i, count);
        libevtx_record_t *rec = nullptr;
        if (libevtx_file_get_record_by_index(file, i, &rec, &error) != 1) {
            bad(i + 1, QStringLiteral("unreadable record: ") + evtxError(error));
            error = nullptr;
            continue;
        }
        size_t size = 0;
        if (libevtx_record_get_utf8_xml_string_size(rec, &size, &error) != 1 || size == 0) {
            bad(i + 1, QStringLiteral("record without XML: ") + evtxError(error));
            error = nullptr;
            libevtx_record_free(&rec, nullptr);
            continue;
        }
        xml.resize(size);
        const int ok = libevtx_record_get_utf8_xml_string(
            rec, reinterpret_cast<uint8_t *>(xml.data()), size, &error);
        libevtx_record_free(&rec, nullptr);
        if (ok != 1) {
            bad(i + 1, QStringLiteral("record XML: ") + evtxError(error));
            error = nullptr;
            continue;
        }
        auto flat = flatten(QByteArray(xml.data(), qsizetype(strnlen(xml.data(), size))));
        if (!flat) {
            bad(i + 1, flat.error().message);
            continue;
        }
        if (auto r = record(flat.value(), i + 1); !r)
            return r;
    }
    if (options.progress)
        options.progress(count, count);
    return {};
#else
    Q_UNUSED(options);
    Q_UNUSED(record);
    Q_UNUSED(bad);
    return makeError(
        errc::kEvtxUnsupported,
        QStringLiteral("this Causa was built without libevtx; convert the .evtx to JSON "
                       "lines or rebuild with libevtx-dev installed"),
        path);
#endif
}

} // namespace causa::events
