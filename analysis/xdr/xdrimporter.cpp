#include "xdrimporter.h"

#include "alertfeed.h"
#include "cmdline/cmdlineindicators.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "store/importsession.h"
#include "streamingsplitter.h"
#include "xdrmapper.h"

#include <QFile>
#include <QThread>

#include <nlohmann/json.hpp>
// libsimdjson is built with threads on, which changes its parser's layout: see it the same way.
#ifndef SIMDJSON_THREADS_ENABLED
#define SIMDJSON_THREADS_ENABLED 1
#endif
#include <simdjson.h>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#ifdef Q_OS_LINUX
#include <sched.h>
#endif

namespace causa {

namespace {

using nlohmann::json;

bool isAlertArray(const std::vector<std::string> &path)
{
    if (path.size() > 4 || path.empty())
        return false;
    if (path.back() == "alerts")
        return true;
    return path.size() >= 2 && path.back() == "data" && path[path.size() - 2] == "alerts";
}

// Finds the incident object: reply.incident, or the root of a fetched incident.
const json *findIncident(const json &root)
{
    if (!root.is_object())
        return nullptr;
    const auto reply = root.find("reply");
    if (reply != root.end() && reply->is_object()) {
        const auto inc = reply->find("incident");
        if (inc != reply->end() && inc->is_object())
            return &*inc;
        return nullptr;
    }
    if (root.contains("incident_id"))
        return &root;
    return nullptr;
}

bool isIncidentDocument(const json &root)
{
    if (!root.is_object())
        return false;
    const auto reply = root.find("reply");
    if (reply != root.end() && reply->is_object())
        return reply->contains("incident");
    return root.contains("incident_id");
}

const json &artifacts(const json &root, const char *key)
{
    static const json empty;
    const json *base = &root;
    if (root.is_object()) {
        const auto reply = root.find("reply");
        if (reply != root.end() && reply->is_object())
            base = &*reply;
    }
    if (!base->is_object())
        return empty;
    const auto it = base->find(key);
    return it == base->end() ? empty : *it;
}

// One alert as the reading side saw it: mapped, with its original bytes, or the error that
// stops the import at this point of the document.
struct AlertItem
{
    AlertRecord record;
    qint64 offset = 0;
    qint64 index = 0;
    Error error;
    // The document's incident (with an id) as far as it was read when this alert came.
    std::shared_ptr<const CaseRecord> incident;
    bool incidentDocument = false;
};

// What the reading side learnt from the whole document once it was read.
struct DocumentEnd
{
    Error error;
    std::shared_ptr<const CaseRecord> incident; // the complete incident, when it has an id
    bool incidentDocument = false;
    bool hasIncidentObject = false;
    std::vector<IndicatorRecord> artifacts;
};

struct AlertBatch
{
    static constexpr size_t kAlerts = 64;
    std::vector<AlertItem> items;
    size_t count = 0;
    bool last = false;
    DocumentEnd end;
};

// The writing side: stores what the reading side handed over, in document order, in the
// caller's session. One document is all or nothing (the caller rolls back on error).
class DocumentWriter
{
public:
    DocumentWriter(ImportSession &session, QString origin, const ImportOptions &options,
                   qint64 total)
        : m_session(session), m_origin(std::move(origin)), m_options(options), m_total(total)
    {}

    // False once the import failed (error()) or the document ended.
    bool drain(AlertBatch &b)
    {
        for (size_t i = 0; i < b.count; ++i)
            if (!onAlert(b.items[i]))
                return false;
        if (b.last) {
            m_done = true;
            m_result = finish(b.end);
            return false;
        }
        return true;
    }
    const Result<void> &result() const { return m_result; }

private:
    bool onAlert(AlertItem &item)
    {
        if (m_options.cancelled())
            return fail(makeError(errc::kCancelled, QStringLiteral("import cancelled"), m_origin));
        if (!item.error.code.isEmpty())
            return fail(item.error);
        if (m_options.progress && item.offset - m_lastReport > (1 << 20)) {
            m_lastReport = item.offset;
            m_options.progress(item.offset, m_total);
        }
        ++m_alerts;
        const AlertRecord &a = item.record;
        if (item.incident) {
            if (!ensureIncidentCase(*item.incident))
                return false;
            return write(m_incidentCaseId, a);
        }
        if (!a.incidentRef.isEmpty() && !item.incidentDocument) {
            auto caseId = caseForAlertIncident(a);
            if (!caseId)
                return fail(caseId.error());
            return write(caseId.value(), a);
        }
        // The incident's id may come after its alerts: keep them until the document ends.
        m_pending.push_back(std::move(item.record));
        return true;
    }

    Result<void> finish(const DocumentEnd &end)
    {
        if (!end.error.code.isEmpty())
            return end.error;
        if (end.incident) {
            if (!ensureIncidentCase(*end.incident))
                return m_result;
            for (AlertRecord &a : m_pending)
                if (!write(m_incidentCaseId, a))
                    return m_result;
            for (const IndicatorRecord &i : end.artifacts)
                if (auto r = m_session.addCaseIndicator(m_incidentCaseId, i); !r)
                    return r;
        } else {
            if (end.incidentDocument)
                return makeError(errc::kMissingField,
                                 QStringLiteral("the incident has no incident_id"),
                                 m_origin + QStringLiteral(": incident.incident_id"));
            for (AlertRecord &a : m_pending) {
                auto caseId = caseForAlertIncident(a);
                if (!caseId)
                    return caseId.error();
                if (!write(caseId.value(), a))
                    return m_result;
            }
        }
        if (m_alerts == 0 && !end.hasIncidentObject)
            return makeError(errc::kNotXdr,
                             QStringLiteral("no Cortex XDR incident or alerts found in this JSON"),
                             m_origin);
        if (auto r = m_session.flush(); !r)
            return r;
        if (m_options.progress)
            m_options.progress(m_total, m_total);
        return {};
    }

    bool fail(const Error &e)
    {
        m_result = e;
        return false;
    }

    bool ensureIncidentCase(const CaseRecord &incident)
    {
        if (m_incidentCaseId > 0)
            return true;
        auto id = m_session.upsertCase(incident);
        if (!id)
            return fail(id.error());
        m_incidentCaseId = id.value();
        return true;
    }

    Result<qint64> caseForAlertIncident(const AlertRecord &a)
    {
        CaseRecord c;
        c.source = QStringLiteral("xdr");
        if (a.incidentRef.isEmpty()) {
            c.source = QStringLiteral("xdr-alert");
            c.sourceRef = a.key;
            c.title = a.name;
        } else {
            c.sourceRef = a.incidentRef;
            c.title = QStringLiteral("XDR incident %1").arg(a.incidentRef);
        }
        c.severity = a.severity;
        c.createdAt = a.detectedAt;
        c.updatedAt = a.detectedAt;
        return m_session.upsertCase(c);
    }

    bool write(qint64 caseId, const AlertRecord &a)
    {
        if (auto r = m_session.addAlert(caseId, a); !r)
            return fail(r.error());
        return true;
    }

    ImportSession &m_session;
    QString m_origin;
    const ImportOptions &m_options;
    qint64 m_total;
    qint64 m_lastReport = 0;
    qint64 m_incidentCaseId = 0;
    qint64 m_alerts = 0;
    std::vector<AlertRecord> m_pending;
    Result<void> m_result;
    bool m_done = false;
};

// The reading side: reads the document through an AlertFeed, parses and maps each alert, and
// hands them over in batches. `handOver` takes a filled batch and returns an empty one, or
// nullptr when the writing side stopped (then reading stops too).
class DocumentReader
{
public:
    using HandOver = std::function<AlertBatch *(AlertBatch *filled)>;

    DocumentReader(xdr::AlertFeed &feed, QString origin, HandOver handOver)
        : m_feed(feed), m_origin(std::move(origin)), m_handOver(std::move(handOver))
    {}

    void run(AlertBatch *first)
    {
        m_batch = first;
        xdr::StreamingSplitter splitter(
            isAlertArray, [](json &) { return true; }, XdrImporter::kMaxDepth);
        splitter.setSplitHook([this](int depth) { m_feed.splitNextArray(depth); });
        m_splitter = &splitter;
        m_feed.setElementFn(
            [this](std::string_view bytes, qint64 offset) { return onElement(bytes, offset); });
        json::sax_parse(m_feed.begin(), m_feed.end(), &splitter,
                        nlohmann::detail::input_format_t::json, true);
        if (!m_batch)
            return; // the writing side stopped
        m_batch->last = true;
        describeEnd(splitter, m_batch->end);
        m_handOver(m_batch);
    }

private:
    bool onElement(std::string_view bytes, qint64 offset)
    {
        if (m_batch->items.size() <= m_batch->count)
            m_batch->items.resize(m_batch->count + 1);
        AlertItem &item = m_batch->items[m_batch->count++];
        item.error = {};
        item.offset = offset;
        item.index = m_index;
        const bool ok = readAlert(bytes, offset, item);
        if (m_batch->count == AlertBatch::kAlerts || !ok) {
            m_batch = m_handOver(m_batch);
            if (m_batch) {
                m_batch->count = 0;
                m_batch->last = false;
            }
        }
        return ok && m_batch;
    }

    bool readAlert(std::string_view bytes, qint64 offset, AlertItem &item)
    {
        // simdjson reads a well-formed object; anything else takes nlohmann's path, which says
        // precisely what is wrong (or accepts what simdjson refuses, e.g. integers past 64 bits).
        m_padded.resize(bytes.size() + simdjson::SIMDJSON_PADDING);
        std::memcpy(m_padded.data(), bytes.data(), bytes.size());
        simdjson::dom::element fast;
        if (m_simd.parse(reinterpret_cast<const uint8_t *>(m_padded.data()), bytes.size(), false)
                    .get(fast) == simdjson::SUCCESS &&
            fast.is_object()) {
            item.record = xdr::mapSimdAlert(fast.get_object().value_unsafe());
        } else if (!readAlertSlowly(bytes, offset, item)) {
            return false;
        }
        if (item.record.alertId.isEmpty())
            return failItem(item, errc::kMissingField,
                            QStringLiteral("the alert has no alert_id (or internal_id)"), offset,
                            ".alert_id");
        item.record.raw = QByteArray(bytes.data(), qsizetype(bytes.size()));
        // The indicators written in its command lines become the case's (SPEC §6), found here so
        // the writing side, the busier one, only stores them.
        m_lineIndicators.addTo(item.record);
        ++m_index;
        const json &root = m_splitter->root();
        const json *inc = findIncident(root);
        if (inc && !js::str(*inc, "incident_id").isEmpty()) {
            if (!m_incident)
                m_incident = std::make_shared<const CaseRecord>(xdr::mapIncident(*inc));
            item.incident = m_incident;
        } else {
            item.incident.reset();
        }
        item.incidentDocument = isIncidentDocument(root);
        return true;
    }

    bool readAlertSlowly(std::string_view bytes, qint64 offset, AlertItem &item)
    {
        json element;
        try {
            element = json::parse(bytes.begin(), bytes.end());
        } catch (const json::parse_error &e) {
            return failItem(item, errc::kBadJson, syntaxMessage(e.what()),
                            offset + qint64(e.byte) - 1);
        } catch (const json::exception &e) {
            // A number beyond double ("22e2220555555"): found by fuzz_xdr, it escaped as an
            // exception and ended the process.
            return failItem(item, errc::kBadJson, syntaxMessage(e.what()), offset);
        }
        if (!element.is_object())
            return failItem(item, errc::kBadField,
                            QStringLiteral("an alert must be a JSON object, found %1")
                                .arg(QString::fromLatin1(element.type_name())),
                            offset);
        item.record = xdr::mapAlert(element);
        return true;
    }

    bool failItem(AlertItem &item, const QString &code, const QString &message, qint64 at,
                  const char *field = "")
    {
        item.error = makeError(code, message,
                               QStringLiteral("%1: byte %2: alerts[%3]%4")
                                   .arg(m_origin)
                                   .arg(at)
                                   .arg(m_index)
                                   .arg(QLatin1String(field)));
        return false;
    }

    static QString syntaxMessage(const char *what)
    {
        QString text = QString::fromUtf8(what);
        const qsizetype pos = text.indexOf(QLatin1String("syntax error "));
        return pos >= 0 ? text.mid(pos) : text;
    }

    void describeEnd(xdr::StreamingSplitter &splitter, DocumentEnd &end)
    {
        end = {};
        if (m_feed.hasError()) {
            end.error = m_feed.error();
            return;
        }
        if (splitter.tooDeep()) {
            end.error = makeError(
                errc::kTooDeep,
                QStringLiteral("JSON nesting deeper than %1 levels").arg(XdrImporter::kMaxDepth),
                QStringLiteral("%1: byte %2").arg(m_origin).arg(m_feed.offset()));
            return;
        }
        if (splitter.hasParseError()) {
            end.error = makeError(
                errc::kBadJson, syntaxMessage(splitter.errorMessage().c_str()),
                QStringLiteral("%1: byte %2").arg(m_origin).arg(qint64(splitter.errorPosition())));
            return;
        }
        const json &root = splitter.root();
        if (!root.is_object()) {
            end.error = makeError(
                errc::kNotXdr,
                QStringLiteral("expected a JSON object (a Cortex XDR API reply or incident)"),
                m_origin + QStringLiteral(": byte 0"));
            return;
        }
        const json *inc = findIncident(root);
        end.hasIncidentObject = inc != nullptr;
        end.incidentDocument = isIncidentDocument(root);
        if (inc && !js::str(*inc, "incident_id").isEmpty()) {
            end.incident = std::make_shared<const CaseRecord>(xdr::mapIncident(*inc));
            end.artifacts = xdr::mapArtifacts(artifacts(root, "file_artifacts"),
                                              artifacts(root, "network_artifacts"));
        }
    }

    xdr::AlertFeed &m_feed;
    QString m_origin;
    HandOver m_handOver;
    xdr::StreamingSplitter *m_splitter = nullptr;
    AlertBatch *m_batch = nullptr;
    qint64 m_index = 0;
    std::shared_ptr<const CaseRecord> m_incident;
    simdjson::dom::parser m_simd;
    std::vector<char> m_padded;
    AlertLineIndicators m_lineIndicators;
};

// Batches go round between two queues (filled ones to the writer, emptied ones back), so their
// records are reused; at most kBatches are in flight.
class BatchPipeline
{
public:
    static constexpr size_t kBatches = 4;

    BatchPipeline()
    {
        m_batches.resize(kBatches);
        for (AlertBatch &b : m_batches)
            m_empty.push_back(&b);
    }
    AlertBatch *takeEmpty() { return take(m_empty); }
    void pushFull(AlertBatch *b) { put(m_full, b); }
    AlertBatch *takeFull() { return take(m_full); }
    void giveBack(AlertBatch *b) { put(m_empty, b); }
    void stop()
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
        m_changed.notify_all();
    }

private:
    AlertBatch *take(std::deque<AlertBatch *> &from)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_stopped || !from.empty(); });
        if (m_stopped)
            return nullptr;
        AlertBatch *b = from.front();
        from.pop_front();
        return b;
    }
    void put(std::deque<AlertBatch *> &to, AlertBatch *b)
    {
        std::lock_guard lock(m_mutex);
        to.push_back(b);
        m_changed.notify_all();
    }

    std::vector<AlertBatch> m_batches;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<AlertBatch *> m_empty;
    std::deque<AlertBatch *> m_full;
    bool m_stopped = false;
};

// Whether parsing can run on a second thread while this one writes: not for a small input
// (starting the thread costs more than it saves) and not when this process may use one CPU
// only (taskset, a container's cpuset), where the threads would only take turns.
bool worthASecondThread(qint64 size)
{
    bool ok = false;
    const int forced = qEnvironmentVariableIntValue("CAUSA_IMPORT_THREADS", &ok);
    if (ok && forced > 0)
        return forced > 1;
    if (size < (qint64(4) << 20))
        return false;
#ifdef Q_OS_LINUX
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set) > 1;
#endif
    return QThread::idealThreadCount() > 1;
}

Result<void> runImport(ImportSession &session, xdr::AlertFeed &feed, const QString &origin,
                       const ImportOptions &options, qint64 total)
{
    DocumentWriter writer(session, origin, options, total);
    if (!worthASecondThread(total)) {
        AlertBatch batch;
        DocumentReader reader(feed, origin, [&writer](AlertBatch *b) -> AlertBatch * {
            if (!writer.drain(*b))
                return nullptr;
            b->count = 0;
            return b;
        });
        reader.run(&batch);
        return writer.result();
    }
    BatchPipeline pipe;
    DocumentReader reader(feed, origin, [&pipe](AlertBatch *b) {
        pipe.pushFull(b);
        return pipe.takeEmpty();
    });
    AlertBatch *first = pipe.takeEmpty();
    std::thread producer([&reader, first] { reader.run(first); });
    // However this returns, the reading thread is stopped and joined first.
    struct Joiner
    {
        BatchPipeline &pipe;
        std::thread &thread;
        ~Joiner()
        {
            pipe.stop();
            thread.join();
        }
    } joiner{pipe, producer};
    for (;;) {
        AlertBatch *b = pipe.takeFull();
        if (!b)
            break;
        const bool more = writer.drain(*b);
        pipe.giveBack(b);
        if (!more)
            break;
    }
    return writer.result();
}

} // namespace

bool XdrImporter::looksLike(const QByteArray &head)
{
    const QByteArray t = head.trimmed();
    if (!t.startsWith('{'))
        return false;
    for (const char *marker :
         {"\"incident_id\"", "\"alert_id\"", "\"alert_fields\"", "\"alerts\"", "\"reply\""})
        if (t.contains(marker))
            return true;
    return false;
}

Result<void> XdrImporter::importFile(ImportSession &session, const QString &path,
                                     const ImportOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(errc::kIo, QStringLiteral("cannot open: %1").arg(file.errorString()),
                         path);
    if (file.size() == 0)
        return makeError(errc::kEmpty, QStringLiteral("the file is empty"), path);
    std::vector<char> chunk(size_t(1) << 20);
    bool readFailed = false;
    xdr::AlertFeed feed(
        [&]() -> std::span<const char> {
            const qint64 n = file.read(chunk.data(), qint64(chunk.size()));
            readFailed = readFailed || n < 0;
            return n > 0 ? std::span<const char>(chunk.data(), size_t(n)) : std::span<const char>();
        },
        path, kMaxDepth);
    auto r = runImport(session, feed, path, options, file.size());
    if (readFailed)
        return makeError(errc::kIo, QStringLiteral("read error: %1").arg(file.errorString()), path);
    return r;
}

Result<void> XdrImporter::importBytes(ImportSession &session, const QByteArray &bytes,
                                      const QString &origin, const ImportOptions &options)
{
    if (bytes.trimmed().isEmpty())
        return makeError(errc::kEmpty, QStringLiteral("the reply is empty"), origin);
    const qint64 deep = js::findExcessiveNesting(bytes.constData(), bytes.size(), kMaxDepth);
    if (deep >= 0)
        return makeError(errc::kTooDeep,
                         QStringLiteral("JSON nesting deeper than %1 levels").arg(kMaxDepth),
                         QStringLiteral("%1: byte %2").arg(origin).arg(deep));
    bool given = false;
    xdr::AlertFeed feed(
        [&]() -> std::span<const char> {
            if (std::exchange(given, true))
                return {};
            return std::span<const char>(bytes.constData(), size_t(bytes.size()));
        },
        origin, kMaxDepth);
    return runImport(session, feed, origin, options, bytes.size());
}

} // namespace causa
