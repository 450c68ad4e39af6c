#include "eventimporter.h"

#include "core/jsonutil.h"
#include "core/logging.h"
#include "eventparser.h"
#include "evtxreader.h"
#include "flatevent.h"
#include "import/chunkedreader.h"
#include "store/eventwriter.h"
#include "store/importsession.h"

#include <QFileInfo>

#include <nlohmann/json.hpp>

namespace causa {

bool EventImporter::looksLikeEvtx(const QByteArray &head)
{
    return head.startsWith(QByteArray("ElfFile\0", 8));
}

bool EventImporter::haveEvtxSupport()
{
    return events::EvtxReader::available();
}

bool EventImporter::looksLike(const QByteArray &head)
{
    if (looksLikeEvtx(head))
        return true;
    // JSON lines: the first non-empty line is an object with an EventID and a host or channel.
    qsizetype start = 0;
    while (start < head.size() && (head.at(start) == ' ' || head.at(start) == '\n'
                                   || head.at(start) == '\r' || head.at(start) == '\t'))
        ++start;
    if (head.mid(start, 3) == QByteArray("\xEF\xBB\xBF"))
        start += 3;
    if (start >= head.size() || head.at(start) != '{')
        return false;
    qsizetype end = head.indexOf('\n', start);
    if (end < 0)
        end = head.size();
    const QByteArray first = head.mid(start, end - start);
    return first.contains("\"EventID\"")
           && (first.contains("\"Channel\"") || first.contains("\"Hostname\"")
               || first.contains("\"Computer\""));
}

namespace {

// Everything per record that both the JSON-lines and EVTX paths do.
class RecordSink
{
public:
    RecordSink(ImportSession &session, const QString &path, const ImportOptions &options)
        : m_session(session), m_writer(session), m_options(options),
          m_fileName(QFileInfo(path).fileName())
    {
    }

    void reject(qint64 line, const QString &problem)
    {
        ++m_session.counts().rejected;
        ++m_warnings;
        if (!m_options.warn)
            return;
        if (m_warnings <= EventImporter::kMaxWarnings)
            m_options.warn(QStringLiteral("%1:%2: %3").arg(m_fileName).arg(line).arg(problem));
        else if (m_warnings == EventImporter::kMaxWarnings + 1)
            m_options.warn(QStringLiteral("%1: more bad records; only the first %2 are listed")
                               .arg(m_fileName)
                               .arg(EventImporter::kMaxWarnings));
    }

    Result<void> record(const QByteArray &bytes, qint64 line)
    {
        const char *data = bytes.constData();
        // Flat lines (nearly all) are read in place; the rest goes through the JSON parser,
        // which also words the error of a bad line.
        if (!m_fields.scan(data, bytes.size())) {
            if (js::findExcessiveNesting(data, bytes.size(), EventImporter::kMaxDepth) >= 0) {
                reject(line, QStringLiteral("nested deeper than %1 levels").arg(EventImporter::kMaxDepth));
                return {};
            }
            nlohmann::json obj;
            try {
                obj = nlohmann::json::parse(data, data + bytes.size());
            } catch (const nlohmann::json::exception &e) {
                reject(line, QStringLiteral("invalid JSON: %1").arg(QString::fromUtf8(e.what())));
                return {};
            }
            if (!m_fields.load(obj)) {
                reject(line, QStringLiteral("not a JSON object"));
                return {};
            }
        }
        QString problem;
        if (!m_parser.parse(m_fields, bytes, m_parsed, &problem)) {
            reject(line, problem);
            return {};
        }
        m_parsed.event.sourceFile = m_fileName;
        m_parsed.event.sourceLine = line;
        if (m_parsed.hasParent)
            if (auto r = m_writer.upsertProcess(m_parsed.parent); !r)
                return r;
        if (m_parsed.hasProcess)
            if (auto r = m_writer.upsertProcess(m_parsed.process); !r)
                return r;
        auto r = m_writer.addEvent(m_parsed.event);
        // Drop the reference to the caller's line buffer, or its next fill would copy it.
        m_parsed.event.data = QByteArray();
        return r;
    }

private:
    ImportSession &m_session;
    EventWriter m_writer;
    const ImportOptions &m_options;
    QString m_fileName;
    events::FlatEvent m_fields;
    events::EventParser m_parser;
    events::ParsedEvent m_parsed;
    qint64 m_warnings = 0;
};

} // namespace

Result<void> EventImporter::importFile(ImportSession &session, const QString &path,
                                       const ImportOptions &options)
{
    QFile probe(path);
    if (!probe.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("io"), probe.errorString(), path);
    const QByteArray head = probe.read(8);
    probe.close();
    if (looksLikeEvtx(head))
        return importEvtx(session, path, options);
    return importJsonLines(session, path, options);
}

Result<void> EventImporter::importJsonLines(ImportSession &session, const QString &path,
                                            const ImportOptions &options)
{
    ChunkedReader reader(path);
    if (auto r = reader.open(); !r)
        return r;
    RecordSink sink(session, path, options);
    QByteArray line;
    line.reserve(64 * 1024);
    qint64 lineNo = 0;
    bool truncated = false;
    while (reader.readLine(line, kMaxLine, &truncated)) {
        ++lineNo;
        if ((lineNo & 4095) == 0) {
            if (options.cancelled())
                return makeError(QStringLiteral("cancelled"), QStringLiteral("import cancelled"),
                                 QStringLiteral("%1:%2").arg(path).arg(lineNo));
            if (options.progress)
                options.progress(reader.offset(), reader.size());
        }
        if (truncated) {
            sink.reject(lineNo, QStringLiteral("line longer than %1 MiB").arg(kMaxLine >> 20));
            continue;
        }
        if (lineNo == 1 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3);
        bool blank = true;
        for (const char c : std::as_const(line))
            if (c != ' ' && c != '\t' && c != '\r') {
                blank = false;
                break;
            }
        if (blank)
            continue;
        if (auto r = sink.record(line, lineNo); !r)
            return makeError(r.error().code, r.error().message,
                             QStringLiteral("%1:%2").arg(path).arg(lineNo));
    }
    if (options.progress)
        options.progress(reader.size(), reader.size());
    qCInfo(lcImport) << "events" << path << "lines" << lineNo << "events"
                     << session.counts().events << "rejected" << session.counts().rejected;
    return {};
}

Result<void> EventImporter::importEvtx(ImportSession &session, const QString &path,
                                       const ImportOptions &options)
{
    RecordSink sink(session, path, options);
    events::EvtxReader reader;
    return reader.read(
        path, options, [&sink](const QByteArray &json, qint64 index) { return sink.record(json, index); },
        [&sink](qint64 index, const QString &problem) {
            sink.reject(index, QStringLiteral("EVTX record: ") + problem);
        });
}

} // namespace causa
