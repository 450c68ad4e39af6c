#include "xdrtenantserver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRegularExpression>

namespace causa::test {

using nlohmann::json;

namespace {

std::string lower(std::string s)
{
    for (char &c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The value(s) of a field of an alert_fields object as strings.
std::vector<std::string> values(const json &fields, const std::string &name)
{
    std::vector<std::string> out;
    const auto it = fields.find(name);
    if (it == fields.end() || it->is_null())
        return out;
    if (it->is_array()) {
        for (const json &v : *it)
            out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    } else {
        out.push_back(it->is_string() ? it->get<std::string>() : it->dump());
    }
    return out;
}

// Evaluates one filter node: {"AND": [...]}, {"OR": [...]} or a SEARCH_FIELD condition.
bool matches(const json &fields, const json &node, QString *error)
{
    if (!node.is_object()) {
        *error = QStringLiteral("filter node is not an object");
        return false;
    }
    if (node.contains("AND") || node.contains("OR")) {
        const bool isAnd = node.contains("AND");
        const json &list = isAnd ? node["AND"] : node["OR"];
        if (!list.is_array()) {
            *error = QStringLiteral("AND/OR must hold an array");
            return false;
        }
        for (const json &c : list) {
            const bool m = matches(fields, c, error);
            if (isAnd && !m)
                return false;
            if (!isAnd && m)
                return true;
        }
        return isAnd;
    }
    if (!node.contains("SEARCH_FIELD") || !node.contains("SEARCH_TYPE") ||
        !node.contains("SEARCH_VALUE")) {
        *error = QStringLiteral("condition without SEARCH_FIELD/SEARCH_TYPE/SEARCH_VALUE: ") +
                 QString::fromStdString(node.dump());
        return false;
    }
    const std::string field = node["SEARCH_FIELD"].get<std::string>();
    const std::string type = node["SEARCH_TYPE"].get<std::string>();
    const json &value = node["SEARCH_VALUE"];
    if (type == "RANGE") {
        if (!value.is_object() || !value.contains("from") || !value.contains("to")) {
            *error = QStringLiteral("RANGE needs {from, to}");
            return false;
        }
        const auto it = fields.find(field);
        const qint64 t = it != fields.end() && it->is_number() ? it->get<qint64>() : -1;
        return t >= value["from"].get<qint64>() && t <= value["to"].get<qint64>();
    }
    if (!value.is_string()) {
        *error =
            QStringLiteral("SEARCH_VALUE of %1 must be a string").arg(QString::fromStdString(type));
        return false;
    }
    const std::string want = lower(value.get<std::string>());
    for (const std::string &v : values(fields, field)) {
        const std::string have = lower(v);
        if ((type == "EQ" && have == want) ||
            (type == "CONTAINS" && have.find(want) != std::string::npos))
            return true;
        if (type != "EQ" && type != "CONTAINS") {
            *error = QStringLiteral("unknown SEARCH_TYPE ") + QString::fromStdString(type);
            return false;
        }
    }
    return false;
}

} // namespace

XdrTenantServer::XdrTenantServer(QString keyId, QString key, bool advanced)
    : m_keyId(std::move(keyId)), m_key(std::move(key)), m_advanced(advanced)
{
    m_server = std::make_unique<HttpTestServer>(
        [this](const HttpTestServer::Request &r) { return handle(r); });
}

void XdrTenantServer::addIncident(const QString &id, const QByteArray &reply)
{
    QMutexLocker lock(&m_mutex);
    m_incidents.insert(id, reply);
}

void XdrTenantServer::addAlert(json alert)
{
    QMutexLocker lock(&m_mutex);
    m_alerts.push_back(std::move(alert));
}

void XdrTenantServer::injectFault(const QString &pathPart, int count,
                                  HttpTestServer::Response response, int skipFirst)
{
    QMutexLocker lock(&m_mutex);
    m_faults.push_back({pathPart, skipFirst, count, std::move(response)});
}

QStringList XdrTenantServer::violations() const
{
    QMutexLocker lock(&m_mutex);
    return m_violations;
}

QList<json> XdrTenantServer::bodies(const QString &pathPart) const
{
    QMutexLocker lock(&m_mutex);
    QList<json> out;
    for (const auto &[path, body] : m_bodies)
        if (path.contains(pathPart))
            out.push_back(body);
    return out;
}

int XdrTenantServer::requests(const QString &pathPart) const
{
    return int(bodies(pathPart).size());
}

HttpTestServer::Response XdrTenantServer::reply(int status, const nlohmann::json &body)
{
    HttpTestServer::Response r;
    r.status = status;
    r.body = QByteArray::fromStdString(body.dump());
    r.headers.insert("Content-Type", "application/json");
    return r;
}

bool XdrTenantServer::checkAuth(const HttpTestServer::Request &r, QString *why) const
{
    if (r.headers.value("x-xdr-auth-id") != m_keyId.toUtf8()) {
        *why = QStringLiteral("x-xdr-auth-id is '%1'")
                   .arg(QString::fromUtf8(r.headers.value("x-xdr-auth-id")));
        return false;
    }
    const QByteArray auth = r.headers.value("authorization");
    if (!m_advanced) {
        if (r.headers.contains("x-xdr-nonce") || r.headers.contains("x-xdr-timestamp")) {
            *why = QStringLiteral("standard key sent advanced headers");
            return false;
        }
        if (auth != m_key.toUtf8()) {
            *why = QStringLiteral("Authorization is not the standard key");
            return false;
        }
        return true;
    }
    const QByteArray nonce = r.headers.value("x-xdr-nonce");
    const QByteArray ts = r.headers.value("x-xdr-timestamp");
    static const QRegularExpression alnum64(QStringLiteral("^[A-Za-z0-9]{64}$"));
    if (!alnum64.match(QString::fromLatin1(nonce)).hasMatch()) {
        *why = QStringLiteral("x-xdr-nonce is not 64 alphanumerics");
        return false;
    }
    bool ok = false;
    const qint64 t = ts.toLongLong(&ok);
    if (!ok || std::abs(QDateTime::currentMSecsSinceEpoch() - t) > 5 * 60 * 1000) {
        *why = QStringLiteral("x-xdr-timestamp is not the current time in ms");
        return false;
    }
    const QByteArray expected = QCryptographicHash::hash(QByteArray(m_key.toUtf8() + nonce + ts),
                                                         QCryptographicHash::Sha256)
                                    .toHex();
    if (auth != expected) {
        *why = QStringLiteral("Authorization is not sha256(key + nonce + timestamp)");
        return false;
    }
    return true;
}

HttpTestServer::Response XdrTenantServer::alertsByFilter(const nlohmann::json &request)
{
    const nlohmann::json fd = request.value("filter_data", nlohmann::json());
    if (!fd.is_object() || !fd.contains("paging") || !fd.contains("filter")) {
        m_violations << QStringLiteral("alerts: request_data.filter_data needs paging and filter");
        return reply(400, {{"reply", {{"err_code", 400}, {"err_msg", "bad filter_data"}}}});
    }
    const qint64 from = fd["paging"].value("from", qint64(-1));
    const qint64 to = fd["paging"].value("to", qint64(-1));
    // Cortex XDR serves at most 100 alerts per request.
    if (from < 0 || to <= from || to - from > 100) {
        m_violations << QStringLiteral("alerts: bad paging %1..%2").arg(from).arg(to);
        return reply(400, {{"reply", {{"err_code", 400}, {"err_msg", "bad paging"}}}});
    }
    std::vector<const nlohmann::json *> hits;
    for (const nlohmann::json &a : m_alerts) {
        QString error;
        const bool m = matches(a["alert_fields"], fd["filter"], &error);
        if (!error.isEmpty()) {
            m_violations << QStringLiteral("alerts filter: ") + error;
            return reply(400, {{"reply", {{"err_code", 400}, {"err_msg", error.toStdString()}}}});
        }
        if (m)
            hits.push_back(&a);
    }
    if (fd.contains("sort") && fd["sort"].is_array() && !fd["sort"].empty()) {
        const std::string field = fd["sort"][0].value("FIELD", std::string());
        const bool desc = fd["sort"][0].value("ORDER", std::string()) == "DESC";
        std::stable_sort(hits.begin(), hits.end(),
                         [&](const nlohmann::json *a, const nlohmann::json *b) {
                             const qint64 x = (*a)["alert_fields"].value(field, qint64(0));
                             const qint64 y = (*b)["alert_fields"].value(field, qint64(0));
                             return desc ? x > y : x < y;
                         });
    }
    nlohmann::json page = nlohmann::json::array();
    for (qint64 i = from; i < to && i < qint64(hits.size()); ++i)
        page.push_back(*hits[size_t(i)]);
    return reply(
        200, {{"reply",
               {{"total_count", hits.size()}, {"result_count", page.size()}, {"alerts", page}}}});
}

HttpTestServer::Response XdrTenantServer::handle(const HttpTestServer::Request &r)
{
    QMutexLocker lock(&m_mutex);
    const QString path = QString::fromUtf8(r.path);
    const nlohmann::json body = nlohmann::json::parse(r.body.toStdString(), nullptr, false);
    m_bodies.emplace_back(path, body);
    if (r.method != "POST")
        m_violations << QStringLiteral("%1 %2: not a POST").arg(QString::fromUtf8(r.method), path);
    if (r.headers.value("content-type") != "application/json")
        m_violations << path + QStringLiteral(": Content-Type is not application/json");
    for (Fault &f : m_faults) {
        if (!path.contains(f.pathPart) || f.count <= 0)
            continue;
        if (f.skip > 0) {
            --f.skip;
            continue;
        }
        --f.count;
        return f.response;
    }
    QString why;
    if (!checkAuth(r, &why))
        return reply(401, {{"reply",
                            {{"err_code", 401},
                             {"err_msg", "Public API request unauthorized"},
                             {"err_extra", why.toStdString()}}}});
    if (body.is_discarded() || !body.is_object() || !body.contains("request_data") ||
        !body["request_data"].is_object()) {
        m_violations << path + QStringLiteral(": body is not {\"request_data\": {...}}");
        return reply(400, {{"reply", {{"err_code", 400}, {"err_msg", "bad request"}}}});
    }
    const nlohmann::json &rd = body["request_data"];
    if (path == QLatin1String("/public_api/v1/incidents/get_incident_extra_data/")) {
        const QString id = QString::fromStdString(rd.value("incident_id", std::string()));
        if (!rd.contains("incident_id") || !rd["incident_id"].is_string())
            m_violations << QStringLiteral("incident: incident_id must be a string");
        if (!m_incidents.contains(id))
            return reply(500, {{"reply",
                                {{"err_code", 500},
                                 {"err_msg", "An error occurred while processing XDR public API"},
                                 {"err_extra", "incident " + id.toStdString() + " not found"}}}});
        HttpTestServer::Response resp;
        resp.body = m_incidents.value(id);
        resp.headers.insert("Content-Type", "application/json");
        return resp;
    }
    if (path == QLatin1String("/public_api/v1/alerts/get_alerts_by_filter_data/"))
        return alertsByFilter(rd);
    if (path == QLatin1String("/public_api/v1/alerts/get_original_alerts/")) {
        nlohmann::json out = nlohmann::json::array();
        for (const nlohmann::json &id : rd.value("alert_id_list", nlohmann::json::array()))
            out.push_back({{"alert_id", id}, {"original_alert_json", {{"raw", true}}}});
        return reply(200, {{"reply", {{"alerts", out}}}});
    }
    m_violations << QStringLiteral("unexpected path ") + path;
    return reply(404, {{"reply", {{"err_code", 404}, {"err_msg", "not found"}}}});
}

} // namespace causa::test
