#include "xdrimporter.h"

#include "core/jsonutil.h"
#include "import/chunkedreader.h"
#include "store/importsession.h"
#include "streamingsplitter.h"
#include "xdrmapper.h"


#include <nlohmann/json.hpp>

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

// State of one document's import.
class DocumentImport
{
public:
    DocumentImport(ImportSession &session, QString origin, const ImportOptions &options)
        : m_session(session), m_origin(std::move(origin)), m_options(options)
    {
    }

    bool onAlert(json &element, const json &root, qint64 offset)
    {
        if (m_options.cancelled()) {
            m_error = makeError(QStringLiteral("cancelled"), QStringLiteral("import cancelled"), m_origin);
            return false;
        }
        if (!element.is_object()) {
            m_error = makeError(QStringLiteral("bad-field"),
                                QStringLiteral("an alert must be a JSON object, found %1")
                                    .arg(QString::fromLatin1(element.type_name())),
                                QStringLiteral("%1: byte %2: alerts[%3]").arg(m_origin).arg(offset).arg(m_alertIndex));
            return false;
        }
        AlertRecord a = xdr::mapAlert(element);
        if (a.alertId.isEmpty()) {
            m_error = makeError(QStringLiteral("missing-field"),
                                QStringLiteral("the alert has no alert_id (or internal_id)"),
                                QStringLiteral("%1: byte %2: alerts[%3].alert_id").arg(m_origin).arg(offset).arg(m_alertIndex));
            return false;
        }
        a.raw = QByteArray::fromStdString(element.dump(-1, ' ', false, json::error_handler_t::replace));
        ++m_alertIndex;
        if (const json *inc = findIncident(root); inc && !js::str(*inc, "incident_id").isEmpty()) {
            if (!ensureIncidentCase(*inc))
                return false;
            return write(m_incidentCaseId, a);
        }
        if (!a.incidentRef.isEmpty() && !isIncidentDocument(root)) {
            auto caseId = caseForAlertIncident(a);
            if (!caseId)
                return fail(caseId.error());
            return write(caseId.value(), a);
        }
        // The incident's id may come after its alerts: keep them until the document ends.
        m_pending.push_back(std::move(a));
        return true;
    }

    Result<void> finish(const json &root)
    {
        const json *inc = findIncident(root);
        if (inc && !js::str(*inc, "incident_id").isEmpty()) {
            if (!ensureIncidentCase(*inc))
                return m_error;
            for (AlertRecord &a : m_pending)
                if (!write(m_incidentCaseId, a))
                    return m_error;
            for (const IndicatorRecord &i :
                 xdr::mapArtifacts(artifacts(root, "file_artifacts"), artifacts(root, "network_artifacts")))
                if (auto r = m_session.addCaseIndicator(m_incidentCaseId, i); !r)
                    return r;
        } else {
            if (isIncidentDocument(root))
                return makeError(QStringLiteral("missing-field"),
                                 QStringLiteral("the incident has no incident_id"),
                                 m_origin + QStringLiteral(": incident.incident_id"));
            for (AlertRecord &a : m_pending) {
                auto caseId = caseForAlertIncident(a);
                if (!caseId)
                    return caseId.error();
                if (!write(caseId.value(), a))
                    return m_error;
            }
        }
        if (m_alertIndex == 0 && !inc)
            return makeError(QStringLiteral("not-xdr"),
                             QStringLiteral("no Cortex XDR incident or alerts found in this JSON"), m_origin);
        return {};
    }

    const Error &error() const { return m_error; }
    bool hasError() const { return !m_error.code.isEmpty(); }

private:
    static bool isIncidentDocument(const json &root)
    {
        if (!root.is_object())
            return false;
        const auto reply = root.find("reply");
        if (reply != root.end() && reply->is_object())
            return reply->contains("incident");
        return root.contains("incident_id");
    }

    bool fail(const Error &e)
    {
        m_error = e;
        return false;
    }

    bool ensureIncidentCase(const json &inc)
    {
        if (m_incidentCaseId > 0)
            return true;
        auto id = m_session.upsertCase(xdr::mapIncident(inc));
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
    qint64 m_incidentCaseId = 0;
    qint64 m_alertIndex = 0;
    std::vector<AlertRecord> m_pending;
    Error m_error;
};

template<typename Input>
Result<void> runImport(ImportSession &session, Input &&first, Input &&last, const QString &origin,
                       const ImportOptions &options, const std::function<qint64()> &offset,
                       qint64 total)
{
    DocumentImport doc(session, origin, options);
    xdr::StreamingSplitter *splitterPtr = nullptr;
    qint64 lastReport = 0;
    xdr::StreamingSplitter splitter(
        isAlertArray,
        [&](json &element) {
            const qint64 at = offset();
            if (options.progress && at - lastReport > (1 << 20)) {
                lastReport = at;
                options.progress(at, total);
            }
            return doc.onAlert(element, splitterPtr->root(), at);
        },
        XdrImporter::kMaxDepth);
    splitterPtr = &splitter;
    json::sax_parse(std::forward<Input>(first), std::forward<Input>(last), &splitter,
                    nlohmann::detail::input_format_t::json, true);
    if (doc.hasError())
        return doc.error();
    if (splitter.tooDeep())
        return makeError(QStringLiteral("too-deep"),
                         QStringLiteral("JSON nesting deeper than %1 levels").arg(XdrImporter::kMaxDepth),
                         QStringLiteral("%1: byte %2").arg(origin).arg(offset()));
    if (splitter.hasParseError()) {
        QString what = QString::fromStdString(splitter.errorMessage());
        const qsizetype pos = what.indexOf(QLatin1String("syntax error "));
        if (pos >= 0)
            what = what.mid(pos);
        return makeError(QStringLiteral("bad-json"), what,
                         QStringLiteral("%1: byte %2").arg(origin).arg(qint64(splitter.errorPosition())));
    }
    if (!splitter.root().is_object())
        return makeError(QStringLiteral("not-xdr"),
                         QStringLiteral("expected a JSON object (a Cortex XDR API reply or incident)"),
                         origin + QStringLiteral(": byte 0"));
    auto r = doc.finish(splitter.root());
    if (r && options.progress)
        options.progress(total, total);
    return r;
}

} // namespace

bool XdrImporter::looksLike(const QByteArray &head)
{
    const QByteArray t = head.trimmed();
    if (!t.startsWith('{'))
        return false;
    for (const char *marker : {"\"incident_id\"", "\"alert_id\"", "\"alert_fields\"", "\"alerts\"", "\"reply\""})
        if (t.contains(marker))
            return true;
    return false;
}

Result<void> XdrImporter::importFile(ImportSession &session, const QString &path,
                                     const ImportOptions &options)
{
    ChunkedReader reader(path);
    if (auto r = reader.open(); !r)
        return r;
    const QString origin = path;
    if (reader.size() == 0)
        return makeError(QStringLiteral("empty"), QStringLiteral("the file is empty"), origin);
    return runImport(session, reader.begin(), reader.end(), origin, options,
                     [&reader] { return reader.offset(); }, reader.size());
}

Result<void> XdrImporter::importBytes(ImportSession &session, const QByteArray &bytes,
                                      const QString &origin, const ImportOptions &options)
{
    if (bytes.trimmed().isEmpty())
        return makeError(QStringLiteral("empty"), QStringLiteral("the reply is empty"), origin);
    const qint64 deep = js::findExcessiveNesting(bytes.constData(), bytes.size(), kMaxDepth);
    if (deep >= 0)
        return makeError(QStringLiteral("too-deep"),
                         QStringLiteral("JSON nesting deeper than %1 levels").arg(kMaxDepth),
                         QStringLiteral("%1: byte %2").arg(origin).arg(deep));
    const char *begin = bytes.constData();
    const char *end = begin + bytes.size();
    return runImport(session, begin, end, origin, options, [] { return qint64(0); }, bytes.size());
}

} // namespace causa
