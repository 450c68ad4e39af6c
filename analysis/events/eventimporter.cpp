#include "eventimporter.h"

#include "core/chunkedreader.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "core/logging.h"
#include "eventparser.h"
#include "evtxreader.h"
#include "flatevent.h"
#include "localtimeoffsets.h"
#include "nestedevent.h"
#include "store/eventwriter.h"
#include "store/importsession.h"

#include <QFileInfo>
#include <QThread>

#ifdef Q_OS_LINUX
#include <sched.h>
#endif

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

namespace causa {

bool EventImporter::looksLikeEvtx(const QByteArray &head)
{
    return head.startsWith(QByteArray("ElfFile\0", 8));
}

bool EventImporter::looksLikeNestedEvent(const QByteArray &head)
{
    const QByteArray t = head.trimmed();
    return t.startsWith('{') && t.contains("\"Event\"") && t.contains("\"System\"") &&
           t.contains("\"EventID\"") && (t.contains("\"Channel\"") || t.contains("\"EventData\""));
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
    while (start < head.size() && (head.at(start) == ' ' || head.at(start) == '\n' ||
                                   head.at(start) == '\r' || head.at(start) == '\t'))
        ++start;
    if (head.mid(start, 3) == QByteArray("\xEF\xBB\xBF"))
        start += 3;
    if (start >= head.size() || head.at(start) != '{')
        return false;
    qsizetype end = head.indexOf('\n', start);
    if (end < 0)
        end = head.size();
    const QByteArray first = head.mid(start, end - start);
    // Pretty-printed nested events ({"Event": {"System": ...}}, one object after another).
    if (first.trimmed() == "{")
        return head.contains("\"Event\"") && head.contains("\"System\"") &&
               head.contains("\"EventID\"");
    if (first.contains("\"Event\"") && first.contains("\"System\""))
        return true;
    return first.contains("\"EventID\"") &&
           (first.contains("\"Channel\"") || first.contains("\"Hostname\"") ||
            first.contains("\"Computer\""));
}

namespace {

// The reading half of an import: a flat line is read in place, anything else through the JSON
// parser, which also words the error of a bad line. Owns no store state, so it can run on its
// own thread.
class RecordParser
{
public:
    // `offsets` (not owned) learns hosts' UTC offsets from the records after line
    // `learnAfter` (those before were pre-scanned) and shifts their zone-less local times.
    explicit RecordParser(events::LocalTimeOffsets &offsets, qint64 learnAfter = 0)
        : m_learnAfter(learnAfter)
    {
        m_parser.setLocalTimeOffsets(&offsets);
    }

    // Returns false with `problem` set for a record to reject.
    bool parse(const QByteArray &bytes, qint64 lineNo, events::ParsedEvent &out, QString *problem)
    {
        m_parser.setLearning(lineNo > m_learnAfter);
        const char *data = bytes.constData();
        if (!m_fields.scan(data, bytes.size())) {
            if (js::findExcessiveNesting(data, bytes.size(), EventImporter::kMaxDepth) >= 0) {
                *problem =
                    QStringLiteral("nested deeper than %1 levels").arg(EventImporter::kMaxDepth);
                return false;
            }
            nlohmann::json obj;
            try {
                obj = nlohmann::json::parse(data, data + bytes.size());
            } catch (const nlohmann::json::exception &e) {
                *problem = QStringLiteral("invalid JSON: %1").arg(QString::fromUtf8(e.what()));
                return false;
            }
            if (events::isNestedEvent(obj)) {
                // Stored flat, like every other event: rules and the timeline read one shape.
                const nlohmann::json flat = events::flattenNestedEvent(obj);
                m_flatBytes = QByteArray::fromStdString(
                    flat.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
                m_fields.load(flat);
                return m_parser.parse(m_fields, m_flatBytes, out, problem);
            }
            if (!m_fields.load(obj)) {
                *problem = QStringLiteral("not a JSON object");
                return false;
            }
        }
        return m_parser.parse(m_fields, bytes, out, problem);
    }

private:
    events::FlatEvent m_fields;
    events::EventParser m_parser;
    QByteArray m_flatBytes;
    qint64 m_learnAfter = 0;
};

// Teaches `offsets` from the first lines of the file, before any is parsed: an export may
// hold a host's Security events (local time only) before its Sysmon events (both clocks).
// Bounded by lines and bytes, and only lines naming a local-time field are scanned, so a
// file without local times costs a read of its head. Returns the lines it covered.
qint64 prescanClocks(const QString &path, events::LocalTimeOffsets &offsets)
{
    ChunkedReader reader(path);
    if (!reader.open())
        return 0; // the import opens the file again and says what is wrong with it
    events::FlatEvent fields;
    QByteArray line;
    bool truncated = false;
    qint64 lines = 0;
    while (lines < EventImporter::kPrescanLines && reader.offset() < EventImporter::kPrescanBytes &&
           reader.readLine(line, EventImporter::kMaxLine, &truncated)) {
        ++lines;
        if (truncated || !(line.contains("\"TimeCreated\"") || line.contains("\"EventTime\"")))
            continue;
        if (lines == 1 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3);
        // Lines the fast scanner refuses (nested, escaped keys...) are learned from while parsing.
        if (fields.scan(line.constData(), line.size()))
            events::EventParser::learnClocks(fields, offsets);
    }
    return lines;
}

// Tells the analyst which hosts' local times were moved to UTC, and which were not although
// evidence was there. Not a rejected record: it goes past kMaxWarnings.
void reportOffsets(const events::LocalTimeOffsets &offsets, const QString &path,
                   const ImportOptions &options)
{
    const QString fileName = QFileInfo(path).fileName();
    for (const QString &line : offsets.summary()) {
        qCInfo(lcImport) << "events" << path << "time zone:" << line;
        if (options.warn)
            options.warn(fileName + QStringLiteral(": ") + line);
    }
}

// The writing half: stores a parsed record in the import's transaction, counts and words
// rejects. Runs on the thread that owns the session's connection.
class RecordWriter
{
public:
    RecordWriter(ImportSession &session, const QString &path, const ImportOptions &options)
        : m_session(session), m_writer(session), m_options(options),
          m_fileName(QFileInfo(path).fileName())
    {}

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

    Result<void> write(events::ParsedEvent &parsed, qint64 line)
    {
        parsed.event.sourceFile = m_fileName;
        parsed.event.sourceLine = line;
        if (parsed.hasParent)
            if (auto r = m_writer.upsertProcess(parsed.parent); !r)
                return r;
        if (parsed.hasProcess)
            if (auto r = m_writer.upsertProcess(parsed.process); !r)
                return r;
        auto r = m_writer.addEvent(parsed.event);
        // Drop the reference to the line buffer, or its next fill would copy it.
        parsed.event.data = QByteArray();
        return r;
    }

private:
    ImportSession &m_session;
    EventWriter m_writer;
    const ImportOptions &m_options;
    QString m_fileName;
    qint64 m_warnings = 0;
};

// One line of a JSON-lines file, read and parsed, waiting to be written (on the reading
// thread of a LinePipeline, or on the one thread of a small or one-CPU import).
struct LineItem
{
    enum Kind
    {
        Blank,
        Event,
        Reject
    };
    QByteArray line;
    qint64 lineNo = 0;
    qint64 offset = 0; // the reader's file offset after this line
    Kind kind = Blank;
    QString problem;
    events::ParsedEvent parsed;
};

struct LineBatch
{
    std::vector<LineItem> items; // grown on demand up to kBatchLines, then reused
    size_t count = 0;
    bool last = false;
};

constexpr size_t kBatchLines = 256;
constexpr qint64 kBatchBytes = 1 << 20;

// Reads, scans, parses and hashes the next lines of the file into `b`: at most kBatchLines
// lines or about kBatchBytes. Sets b.last at the end of the file.
void fillBatch(ChunkedReader &reader, RecordParser &parser, LineBatch &b, qint64 &lineNo)
{
    b.count = 0;
    b.last = false;
    qint64 bytes = 0;
    bool truncated = false;
    while (b.count < kBatchLines && bytes < kBatchBytes) {
        if (b.count == b.items.size())
            b.items.emplace_back();
        LineItem &item = b.items[b.count];
        if (item.line.capacity() > kBatchBytes)
            item.line = QByteArray(); // one huge line does not pin its buffer
        if (!reader.readLine(item.line, EventImporter::kMaxLine, &truncated)) {
            b.last = true;
            return;
        }
        item.lineNo = ++lineNo;
        item.offset = reader.offset();
        bytes += item.line.size();
        ++b.count;
        if (truncated) {
            item.kind = LineItem::Reject;
            item.problem =
                QStringLiteral("line longer than %1 MiB").arg(EventImporter::kMaxLine >> 20);
            continue;
        }
        if (lineNo == 1 && item.line.startsWith("\xEF\xBB\xBF"))
            item.line.remove(0, 3);
        bool blank = true;
        for (const char c : std::as_const(item.line))
            if (c != ' ' && c != '\t' && c != '\r') {
                blank = false;
                break;
            }
        if (blank)
            item.kind = LineItem::Blank;
        else
            item.kind = parser.parse(item.line, lineNo, item.parsed, &item.problem)
                            ? LineItem::Event
                            : LineItem::Reject;
    }
}

// Writes a filled batch in file order: rejects are reported with their line numbers, and
// cancel and progress are looked at every 4,096 lines.
Result<void> drainBatch(LineBatch &b, RecordWriter &writer, const QString &path, qint64 size,
                        const ImportOptions &options)
{
    for (size_t i = 0; i < b.count; ++i) {
        LineItem &item = b.items[i];
        const qint64 lineNo = item.lineNo;
        if ((lineNo & 4095) == 0) {
            if (options.cancelled())
                return makeError(errc::kCancelled, QStringLiteral("import cancelled"),
                                 QStringLiteral("%1:%2").arg(path).arg(lineNo));
            if (options.progress)
                options.progress(item.offset, size);
        }
        if (item.kind == LineItem::Reject) {
            writer.reject(lineNo, item.problem);
        } else if (item.kind == LineItem::Event) {
            if (auto r = writer.write(item.parsed, lineNo); !r)
                return makeError(r.error().code, r.error().message,
                                 QStringLiteral("%1:%2").arg(path).arg(lineNo));
        }
    }
    return {};
}

// Reading, scanning, parsing and hashing run on a second thread while the calling thread
// writes: the import's wall time is the larger of the two, not their sum. Batches go round
// between two queues (filled ones to the writer, emptied ones back), so their buffers and
// strings are reused and freed on the thread that made them. At most kBatches are in flight.
class LinePipeline
{
public:
    static constexpr size_t kBatches = 4;

    LinePipeline()
    {
        m_batches.resize(kBatches);
        for (LineBatch &b : m_batches)
            m_empty.push_back(&b);
    }

    // Producer side: an empty batch, or nullptr once stop() was called.
    LineBatch *takeEmpty() { return take(m_empty); }
    void pushFull(LineBatch *b) { put(m_full, b); }
    // Consumer side.
    LineBatch *takeFull() { return take(m_full); }
    void giveBack(LineBatch *b) { put(m_empty, b); }
    void stop()
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
        m_changed.notify_all();
    }

private:
    LineBatch *take(std::deque<LineBatch *> &from)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_stopped || !from.empty(); });
        if (m_stopped)
            return nullptr;
        LineBatch *b = from.front();
        from.pop_front();
        return b;
    }
    void put(std::deque<LineBatch *> &to, LineBatch *b)
    {
        std::lock_guard lock(m_mutex);
        to.push_back(b);
        m_changed.notify_all();
    }

    std::vector<LineBatch> m_batches;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<LineBatch *> m_empty;
    std::deque<LineBatch *> m_full;
    bool m_stopped = false;
};

// Fills batches from the file until its end or until the consumer stops.
void readLines(ChunkedReader &reader, LinePipeline &pipe, RecordParser &parser)
{
    qint64 lineNo = 0;
    for (;;) {
        LineBatch *b = pipe.takeEmpty();
        if (!b)
            return;
        fillBatch(reader, parser, *b, lineNo);
        const bool last = b->last;
        pipe.pushFull(b);
        if (last)
            return;
    }
}

// Whether a second thread can read while this one writes: not for a small file (starting
// the thread costs more than it saves) and not when this process may use one CPU only
// (taskset, a container's cpuset), where the two threads would take turns on it and only add
// their switching.
bool worthASecondThread(qint64 fileSize)
{
    bool ok = false;
    const int forced = qEnvironmentVariableIntValue("CAUSA_IMPORT_THREADS", &ok);
    if (ok && forced > 0)
        return forced > 1;
    if (fileSize < 4 * kBatchBytes)
        return false;
#ifdef Q_OS_LINUX
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set) > 1;
#endif
    return QThread::idealThreadCount() > 1;
}

} // namespace

Result<void> EventImporter::importFile(ImportSession &session, const QString &path,
                                       const ImportOptions &options)
{
    QFile probe(path);
    if (!probe.open(QIODevice::ReadOnly))
        return makeError(errc::kIo, probe.errorString(), path);
    const QByteArray head = probe.read(8);
    probe.close();
    if (looksLikeEvtx(head))
        return importEvtx(session, path, options);
    if (isJsonDocument(path))
        return importJsonDocument(session, path, options);
    return importJsonLines(session, path, options);
}

Result<void> EventImporter::importJsonLines(ImportSession &session, const QString &path,
                                            const ImportOptions &options)
{
    ChunkedReader reader(path);
    if (auto r = reader.open(); !r)
        return r;
    RecordWriter writer(session, path, options);
    const qint64 size = reader.size();
    qint64 lineNo = 0;
    events::LocalTimeOffsets offsets;
    RecordParser parser(offsets, prescanClocks(path, offsets));
    if (!worthASecondThread(size)) {
        LineBatch batch;
        do {
            fillBatch(reader, parser, batch, lineNo);
            if (auto r = drainBatch(batch, writer, path, size, options); !r)
                return r;
        } while (!batch.last);
    } else {
        LinePipeline pipe;
        // The reading thread owns the reader from here on.
        std::thread producer([&reader, &pipe, &parser] { readLines(reader, pipe, parser); });
        // However this returns (or throws), the reading thread is stopped and joined first.
        struct Joiner
        {
            LinePipeline &pipe;
            std::thread &thread;
            ~Joiner()
            {
                pipe.stop();
                thread.join();
            }
        } joiner{pipe, producer};
        for (;;) {
            LineBatch *b = pipe.takeFull();
            if (!b)
                break; // not reached: only the Joiner stops the pipeline
            if (b->count > 0)
                lineNo = b->items[b->count - 1].lineNo;
            if (auto r = drainBatch(*b, writer, path, size, options); !r)
                return r;
            const bool last = b->last;
            pipe.giveBack(b);
            if (last)
                break;
        }
    }
    // The reading thread, if any, has ended: `offsets` is this thread's now.
    reportOffsets(offsets, path, options);
    if (options.progress)
        options.progress(size, size);
    qCInfo(lcImport) << "events" << path << "lines" << lineNo << "events" << session.counts().events
                     << "rejected" << session.counts().rejected;
    return {};
}

bool EventImporter::isJsonDocument(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    // A JSON-lines file holds a whole object on its first line; a document spreads it out.
    QByteArray first = f.readLine(kMaxLine).trimmed();
    if (first.startsWith("\xEF\xBB\xBF"))
        first = first.mid(3).trimmed();
    return first == "{" || first == "[";
}

Result<void> EventImporter::importJsonDocument(ImportSession &session, const QString &path,
                                               const ImportOptions &options)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kIo, f.errorString(), path);
    if (f.size() > kMaxDocument)
        return makeError(errc::kTooLarge,
                         QStringLiteral("a JSON document over %1 MiB; export it as JSON lines")
                             .arg(kMaxDocument >> 20),
                         path);
    QByteArray text = f.readAll();
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    QString problem;
    const auto ranges = events::splitJsonValues(text, &problem);
    // Learnt while parsing only: evtx dumps name the zone of their SystemTime.
    events::LocalTimeOffsets offsets;
    RecordParser parser(offsets);
    RecordWriter writer(session, path, options);
    events::ParsedEvent parsed;
    qint64 index = 0;
    for (const auto &[begin, end] : ranges) {
        ++index;
        if (options.cancelled())
            return makeError(errc::kCancelled, QStringLiteral("import cancelled"), path);
        QString bad;
        if (!parser.parse(text.mid(begin, end - begin), index, parsed, &bad)) {
            writer.reject(index, bad);
            continue;
        }
        if (auto r = writer.write(parsed, index); !r)
            return makeError(r.error().code, r.error().message,
                             QStringLiteral("%1:%2").arg(path).arg(index));
    }
    if (!problem.isEmpty())
        writer.reject(index + 1, problem);
    reportOffsets(offsets, path, options);
    if (options.progress)
        options.progress(text.size(), text.size());
    return {};
}

Result<void> EventImporter::importEvtx(ImportSession &session, const QString &path,
                                       const ImportOptions &options)
{
    // .evtx times are UTC FILETIMEs, written with their 'Z': nothing to learn or shift.
    events::LocalTimeOffsets offsets;
    RecordParser parser(offsets);
    RecordWriter writer(session, path, options);
    events::ParsedEvent parsed;
    QString problem;
    events::EvtxReader reader;
    return reader.read(
        path, options,
        [&](const QByteArray &json, qint64 index) -> Result<void> {
            if (!parser.parse(json, index, parsed, &problem)) {
                writer.reject(index, problem);
                return {};
            }
            return writer.write(parsed, index);
        },
        [&writer](qint64 index, const QString &problem) {
            writer.reject(index, QStringLiteral("EVTX record: ") + problem);
        });
}

} // namespace causa
