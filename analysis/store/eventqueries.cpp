#include "eventqueries.h"

#include "auditlog.h"
#include "casestore.h"
#include "core/indicatorutil.h"
#include "core/jsonutil.h"
#include "core/processtextpool.h"
#include "sqlutil.h"

#include <QRegularExpression>

#include <nlohmann/json.hpp>

namespace causa::eventq {

namespace {

QString idList(const QList<qint64> &ids)
{
    QStringList parts;
    parts.reserve(ids.size());
    for (const qint64 id : ids)
        parts << QString::number(id);
    return parts.join(QLatin1Char(','));
}

Result<QSqlQuery> run(const CaseStore &store, const QString &text, const QVariantList &binds = {})
{
    auto db = store.connection();
    if (!db)
        return db.error();
    QSqlQuery q(db.value());
    q.setForwardOnly(true);
    if (!q.prepare(text))
        return sql::errorOf(q, text.left(60));
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    if (!q.exec())
        return sql::errorOf(q, text.left(60));
    return q;
}

std::string sv(const nlohmann::json &o, const char *k)
{
    const auto it = o.find(k);
    if (it == o.end() || it->is_null())
        return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

AlertBrief briefOf(const QSqlQuery &q)
{
    AlertBrief a;
    a.id = q.value(0).toLongLong();
    a.caseId = q.value(1).toLongLong();
    a.endpointId = q.value(2).toLongLong();
    a.name = q.value(3).toString();
    a.severity = Severity(q.value(4).toInt());
    a.detectedAt = q.value(5).toLongLong();
    a.hostName = q.value(6).toString();
    a.tactics = q.value(7).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    a.remoteIp = q.value(8).toString();
    a.ruleId = q.value(9).toString();
    return a;
}

const QString kBriefColumns = QStringLiteral(
    "SELECT id, case_id, COALESCE(endpoint_id, 0), name, severity, detected_at, host_name, "
    "mitre_tactics, remote_ip, rule_id FROM alerts ");

// The value occurs as a whole token (an IP inside "10.0.0.15" must not match "10.0.0.1").
bool containsToken(const QString &haystack, const QString &value)
{
    qsizetype from = 0;
    while (true) {
        const qsizetype at = haystack.indexOf(value, from, Qt::CaseInsensitive);
        if (at < 0)
            return false;
        const qsizetype end = at + value.size();
        auto isWord = [](QChar c) {
            return c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('_');
        };
        const bool leftOk = at == 0 || !isWord(haystack.at(at - 1));
        const bool rightOk = end >= haystack.size() || !isWord(haystack.at(end)) ||
                             (haystack.at(end) == QLatin1Char('.') &&
                              (end + 1 >= haystack.size() || !haystack.at(end + 1).isDigit()));
        if (leftOk && rightOk)
            return true;
        from = at + 1;
    }
}

// The first top-level field of an event's JSON whose text holds the value.
QString matchingField(const QString &data, const QString &value)
{
    try {
        const auto obj = nlohmann::json::parse(js::toStd(data));
        if (!obj.is_object())
            return {};
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            const QString v =
                QString::fromStdString(it->is_string() ? it->get<std::string>() : it->dump());
            if (containsToken(v, value))
                return QString::fromStdString(it.key());
        }
    } catch (const nlohmann::json::exception &) {
    }
    return {};
}

// The forest's records of the endpoints (ids: their comma-separated list), texts shared.
Result<void> readForestProcesses(CaseStore &store, const QString &ids, ProcessTextPool &pool,
                                 ForestInput &in)
{
    auto p = run(store,
                 QStringLiteral("SELECT p.process_key, p.parent_key, COALESCE(e.endpoint_key, ''), "
                                "p.image_name, p.image_path, p.command_line, p.pid, p.parent_pid, "
                                "p.user_name, p.started_at, p.ended_at, p.md5, p.sha1, p.sha256, "
                                "p.signature_status, p.signature_vendor, p.causality_id, p.source "
                                "FROM processes p LEFT JOIN endpoints e ON e.id = p.endpoint_id "
                                "WHERE p.endpoint_id IN (") +
                     ids + QStringLiteral(") ORDER BY p.id"));
    if (!p)
        return p.error();
    QSqlQuery &pq = p.value();
    while (pq.next()) {
        ProcessRecord r;
        r.key = pq.value(0).toString();
        r.parentKey = pq.value(1).toString();
        r.endpointKey = pq.value(2).toString();
        r.imageName = pq.value(3).toString();
        r.imagePath = pq.value(4).toString();
        r.commandLine = pq.value(5).toString();
        r.pid = pq.value(6).toLongLong();
        r.parentPid = pq.value(7).toLongLong();
        r.user = pq.value(8).toString();
        r.startedAt = pq.value(9).toLongLong();
        r.endedAt = pq.value(10).toLongLong();
        r.md5 = pq.value(11).toString();
        r.sha1 = pq.value(12).toString();
        r.sha256 = pq.value(13).toString();
        r.signatureStatus = pq.value(14).toString();
        r.signatureVendor = pq.value(15).toString();
        r.causalityId = pq.value(16).toString();
        r.source = pq.value(17).toString();
        pool.share(r);
        in.processes.push_back(std::move(r));
    }
    return {};
}

// What the forest shows of a network, service, pipe or file event, from its stored JSON.
void readForestEventDetails(ForestEvent &ev, const QString &data)
{
    const QByteArray utf8 = data.toUtf8();
    const auto obj =
        nlohmann::json::parse(utf8.constData(), utf8.constData() + utf8.size(), nullptr, false);
    if (!obj.is_object())
        return;
    if (ev.kind == QLatin1String("network")) {
        ev.remoteIp = QString::fromStdString(sv(obj, "DestinationIp"));
        ev.remotePort = QString::fromStdString(sv(obj, "DestinationPort")).toInt();
    } else if (ev.kind == QLatin1String("service_install")) {
        ev.name = QString::fromStdString(sv(obj, "ServiceName"));
        std::string image = sv(obj, "ImagePath");
        if (image.empty())
            image = sv(obj, "ServiceFileName");
        ev.imagePath = QString::fromStdString(image);
    } else if (ev.kind == QLatin1String("pipe")) {
        ev.name = QString::fromStdString(sv(obj, "PipeName"));
    } else {
        ev.name = QString::fromStdString(sv(obj, "TargetFilename"));
    }
}

// The events the forest attaches to its processes, in time order.
Result<void> readForestEvents(CaseStore &store, const QString &ids, ProcessTextPool &pool,
                              ForestInput &in)
{
    auto e =
        run(store,
            QStringLiteral("SELECT ev.id, ev.process_key, COALESCE(e.endpoint_key, ''), ev.kind, "
                           "ev.event_code, ev.ts, ev.summary, ev.data FROM events ev "
                           "LEFT JOIN endpoints e ON e.id = ev.endpoint_id "
                           "WHERE ev.endpoint_id IN (") +
                ids +
                QStringLiteral(") AND ev.kind IN ('pipe', 'network', 'file', 'registry', "
                               "'service_install', 'process_exit') ORDER BY ev.ts, ev.id"));
    if (!e)
        return e.error();
    QSqlQuery &eq = e.value();
    while (eq.next()) {
        ForestEvent ev;
        ev.eventId = eq.value(0).toLongLong();
        ev.processKey = eq.value(1).toString();
        ev.endpointKey = eq.value(2).toString();
        ev.kind = eq.value(3).toString();
        pool.share(ev.endpointKey);
        pool.share(ev.kind);
        ev.code = eq.value(4).toInt();
        ev.ts = eq.value(5).toLongLong();
        ev.summary = eq.value(6).toString();
        if (ev.kind == QLatin1String("network") || ev.kind == QLatin1String("service_install") ||
            ev.kind == QLatin1String("pipe") || ev.kind == QLatin1String("file"))
            readForestEventDetails(ev, eq.value(7).toString());
        in.events.push_back(std::move(ev));
    }
    return {};
}

// The alerts naming the endpoints' processes, by alert and role.
Result<void> readForestAlerts(CaseStore &store, const QString &ids, ForestInput &in)
{
    auto a = run(
        store, QStringLiteral("SELECT p.process_key, a.id, a.case_id, a.name, a.severity, ap.role "
                              "FROM alert_processes ap JOIN alerts a ON a.id = ap.alert_id "
                              "JOIN processes p ON p.id = ap.process_id WHERE p.endpoint_id IN (") +
                   ids + QStringLiteral(") ORDER BY a.id, ap.role"));
    if (!a)
        return a.error();
    QSqlQuery &aq = a.value();
    while (aq.next()) {
        ForestAlertLink l;
        l.processKey = aq.value(0).toString();
        l.alertId = aq.value(1).toLongLong();
        l.caseId = aq.value(2).toLongLong();
        l.name = aq.value(3).toString();
        l.severity = Severity(aq.value(4).toInt());
        l.role = aq.value(5).toString();
        in.alerts.push_back(std::move(l));
    }
    return {};
}

// One value hunted in one kind of row: type and value as asked, like its "%value%" pattern.
struct HuntQuery
{
    const QString &type;
    const QString &value;
    QString like;
    QString ilike;
    qint64 excludeCaseId;
};

// Alerts of other cases naming the value in an address column or (as a whole token) in raw.
Result<void> huntAlerts(CaseStore &store, const HuntQuery &h, std::vector<HuntHit> &hits)
{
    const QString &type = h.type;
    const QString &value = h.value;
    auto a =
        run(store,
            QStringLiteral("SELECT id, case_id, host_name, detected_at, name, remote_ip, host_ip, "
                           "local_ip, raw FROM alerts WHERE case_id <> ? AND (remote_ip = ? "
                           "OR host_ip = ? OR local_ip = ? OR raw %1 ?) ORDER BY id")
                .arg(h.ilike),
            {h.excludeCaseId, value, value, value, h.like});
    if (!a)
        return a.error();
    while (a.value().next()) {
        const QSqlQuery &q = a.value();
        HuntHit hit{type,
                    value,
                    QStringLiteral("alert"),
                    q.value(0).toLongLong(),
                    q.value(1).toLongLong(),
                    {},
                    q.value(2).toString(),
                    q.value(3).toLongLong(),
                    q.value(4).toString(),
                    0,
                    {},
                    true,
                    {}};
        if (q.value(5).toString() == value)
            hit.field = QStringLiteral("remote_ip");
        else if (q.value(6).toString() == value)
            hit.field = QStringLiteral("host_ip");
        else if (q.value(7).toString() == value)
            hit.field = QStringLiteral("local_ip");
        else if (containsToken(q.value(8).toString(), value))
            hit.field = matchingField(q.value(8).toString(), value);
        else
            continue;
        if (hit.field.isEmpty())
            hit.field = QStringLiteral("raw");
        hits.push_back(std::move(hit));
    }
    return {};
}

// Stored events whose data holds the value as a whole token.
Result<void> huntEvents(CaseStore &store, const HuntQuery &h, std::vector<HuntHit> &hits)
{
    auto e = run(
        store,
        QStringLiteral(
            "SELECT ev.id, COALESCE(en.host_name, ''), COALESCE(en.endpoint_key, ''), "
            "ev.ts, ev.summary, ev.data, COALESCE(ev.endpoint_id, 0), ev.process_key FROM events ev "
            "LEFT JOIN endpoints en ON en.id = ev.endpoint_id "
            "WHERE ev.data %1 ? ORDER BY ev.ts, ev.id")
            .arg(h.ilike),
        {h.like});
    if (!e)
        return e.error();
    while (e.value().next()) {
        const QSqlQuery &q = e.value();
        const QString data = q.value(5).toString();
        if (!containsToken(data, h.value))
            continue;
        QString host = q.value(1).toString();
        if (host.isEmpty())
            host = q.value(2).toString();
        HuntHit hit{h.type,
                    h.value,
                    QStringLiteral("event"),
                    q.value(0).toLongLong(),
                    0,
                    matchingField(data, h.value),
                    host,
                    q.value(3).toLongLong(),
                    q.value(4).toString(),
                    0,
                    {},
                    true,
                    {}};
        hit.endpointId = q.value(6).toLongLong();
        hit.processKey = q.value(7).toString();
        hits.push_back(std::move(hit));
    }
    return {};
}

// Processes with the hash that no alert of the excluded case names.
Result<void> huntProcessesByHash(CaseStore &store, const HuntQuery &h, std::vector<HuntHit> &hits)
{
    const QString &value = h.value;
    auto p = run(
        store,
        QStringLiteral(
            "SELECT p.id, COALESCE(en.host_name, ''), COALESCE(en.endpoint_key, ''), "
            "p.started_at, p.image_name, p.command_line, COALESCE(p.endpoint_id, 0), p.process_key "
            "FROM processes p "
            "LEFT JOIN endpoints en ON en.id = p.endpoint_id "
            "WHERE (p.sha256 = ? OR p.sha1 = ? OR p.md5 = ?) AND p.id NOT IN "
            "(SELECT ap.process_id FROM alert_processes ap JOIN alerts a "
            "ON a.id = ap.alert_id WHERE a.case_id = ?) ORDER BY p.id"),
        {value, value, value, h.excludeCaseId});
    if (!p)
        return p.error();
    while (p.value().next()) {
        const QSqlQuery &q = p.value();
        QString host = q.value(1).toString();
        if (host.isEmpty())
            host = q.value(2).toString();
        HuntHit hit{h.type,
                    value,
                    QStringLiteral("process"),
                    q.value(0).toLongLong(),
                    0,
                    h.type,
                    host,
                    q.value(3).toLongLong(),
                    q.value(4).toString() + QStringLiteral(": ") + q.value(5).toString().left(200),
                    0,
                    {},
                    true,
                    {}};
        hit.endpointId = q.value(6).toLongLong();
        hit.processKey = q.value(7).toString();
        hits.push_back(std::move(hit));
    }
    return {};
}

} // namespace

Result<QList<qint64>> caseEndpointIds(const CaseStore &store, qint64 caseId)
{
    auto q = run(store,
                 QStringLiteral("SELECT DISTINCT endpoint_id FROM alerts WHERE case_id = ? "
                                "AND endpoint_id IS NOT NULL ORDER BY endpoint_id"),
                 {caseId});
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q.value().next())
        ids << q.value().value(0).toLongLong();
    return ids;
}

Result<qint64> endpointIdForHost(CaseStore &store, const QString &host)
{
    auto q = run(store, QStringLiteral("SELECT id FROM endpoints WHERE endpoint_key = ?"),
                 {indicator::endpointKey(host)});
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toLongLong() : qint64(0);
}

Result<ForestInput> loadForestInput(CaseStore &store, const QList<qint64> &endpointIds)
{
    ForestInput in;
    if (endpointIds.isEmpty())
        return in;
    const QString ids = idList(endpointIds);
    ProcessTextPool pool; // repeated texts shared: less memory, and the builder reads less
    if (auto r = readForestProcesses(store, ids, pool, in); !r)
        return r.error();
    if (auto r = readForestEvents(store, ids, pool, in); !r)
        return r.error();
    if (auto r = readForestAlerts(store, ids, in); !r)
        return r.error();
    return in;
}

Result<qint64> anyEventOn(CaseStore &store, const QList<qint64> &endpointIds)
{
    if (endpointIds.isEmpty())
        return qint64(0);
    auto q = run(store,
                 QStringLiteral("SELECT 1 FROM events WHERE endpoint_id IN (") +
                     idList(endpointIds) + QStringLiteral(") LIMIT 1"),
                 {});
    if (!q)
        return q.error();
    return qint64(q.value().next() ? 1 : 0);
}

Result<QStringList> caseAlertProcessKeys(CaseStore &store, qint64 caseId)
{
    auto q = run(store,
                 QStringLiteral(
                     "SELECT DISTINCT p.process_key FROM alert_processes ap "
                     "JOIN alerts a ON a.id = ap.alert_id JOIN processes p ON p.id = ap.process_id "
                     "WHERE a.case_id = ? ORDER BY p.process_key"),
                 {caseId});
    if (!q)
        return q.error();
    QStringList keys;
    while (q.value().next())
        keys << q.value().value(0).toString();
    return keys;
}

bool isPsexecRule(const QString &ruleId, const QString &name, bool byNameOnly)
{
    static const QString rule = QStringLiteral("f2282012-53aa-44f0-bda2-e45cd6b8b61a");
    return byNameOnly ? name.contains(QLatin1String("PsExec"), Qt::CaseInsensitive)
                      : ruleId == rule;
}

const AlertBrief *primaryAlertOf(const std::vector<AlertBrief> &alerts)
{
    for (bool byName : {false, true})
        for (const AlertBrief &a : alerts)
            if (isPsexecRule(a.ruleId, a.name, byName))
                return &a;
    return alerts.empty() ? nullptr : &alerts.front();
}

Result<std::vector<AlertBrief>> alertsOfCase(CaseStore &store, qint64 caseId)
{
    auto q =
        run(store, kBriefColumns + QStringLiteral("WHERE case_id = ? ORDER BY detected_at, id"),
            {caseId});
    if (!q)
        return q.error();
    std::vector<AlertBrief> out;
    while (q.value().next())
        out.push_back(briefOf(q.value()));
    return out;
}

Result<std::vector<AlertBrief>>
alertsOnEndpoints(CaseStore &store, const QList<qint64> &endpointIds, qint64 from, qint64 to)
{
    std::vector<AlertBrief> out;
    if (endpointIds.isEmpty())
        return out;
    auto q = run(store,
                 kBriefColumns + QStringLiteral("WHERE endpoint_id IN (") + idList(endpointIds) +
                     QStringLiteral(") AND detected_at BETWEEN ? AND ? ORDER BY detected_at, id"),
                 {from, to});
    if (!q)
        return q.error();
    while (q.value().next())
        out.push_back(briefOf(q.value()));
    return out;
}

Result<std::vector<std::pair<QString, QString>>> causalityHashesOfCase(CaseStore &store,
                                                                       qint64 caseId)
{
    auto q = run(store,
                 QStringLiteral(
                     "SELECT DISTINCT p.sha256, p.sha1, p.md5 FROM alert_processes ap "
                     "JOIN alerts a ON a.id = ap.alert_id JOIN processes p ON p.id = ap.process_id "
                     "WHERE a.case_id = ? AND ap.role = 'causality'"),
                 {caseId});
    if (!q)
        return q.error();
    std::vector<std::pair<QString, QString>> out;
    auto add = [&out](const QString &type, const QString &v) {
        const QString value = v.trimmed().toLower();
        if (value.isEmpty())
            return;
        const std::pair<QString, QString> item{type, value};
        if (std::find(out.begin(), out.end(), item) == out.end())
            out.push_back(item);
    };
    while (q.value().next()) {
        add(QStringLiteral("sha256"), q.value().value(0).toString());
        add(QStringLiteral("sha1"), q.value().value(1).toString());
        add(QStringLiteral("md5"), q.value().value(2).toString());
    }
    return out;
}

Result<std::vector<HuntHit>> huntValue(CaseStore &store, const QString &type, const QString &value,
                                       qint64 excludeCaseId)
{
    std::vector<HuntHit> hits;
    if (value.isEmpty())
        return hits;
    // Case-insensitive without lowering every stored row (SQLite's LIKE already ignores ASCII
    // case; PostgreSQL gets ILIKE); containsToken() keeps only whole-token matches.
    const HuntQuery h{type, value, QLatin1Char('%') + value + QLatin1Char('%'),
                      store.dialect().ilike(), excludeCaseId};
    if (auto r = huntAlerts(store, h, hits); !r)
        return r.error();
    if (auto r = huntEvents(store, h, hits); !r)
        return r.error();
    if (type == QLatin1String("sha256") || type == QLatin1String("sha1") ||
        type == QLatin1String("md5")) {
        if (auto r = huntProcessesByHash(store, h, hits); !r)
            return r.error();
    }
    return hits;
}

Result<int> recordHuntEvidence(CaseStore &store, qint64 caseId, const std::vector<HuntHit> &hits,
                               const QString &actor)
{
    int added = 0;
    auto r = store.transaction([&](QSqlDatabase &db) -> Result<void> {
        added = 0; // a retried transaction starts over
        QSqlQuery ins(db);
        if (!ins.prepare(QStringLiteral(
                "INSERT INTO evidence (case_id, kind, ref, label, detail, created_by, "
                "created_at) VALUES (?, 'hunt_hit', ?, ?, ?, ?, ?) "
                "ON CONFLICT (case_id, kind, ref, label) DO NOTHING")))
            return sql::errorOf(ins, QStringLiteral("evidence.insert"));
        const qint64 now = sql::nowMs();
        nlohmann::json refs = nlohmann::json::array();
        for (const HuntHit &h : hits) {
            const QString ref = h.where + QLatin1Char(':') + QString::number(h.refId) +
                                QLatin1Char(':') + h.indicatorType + QLatin1Char(':') + h.value;
            const nlohmann::json detail = {{"type", js::toStd(h.indicatorType)},
                                           {"value", js::toStd(h.value)},
                                           {"where", js::toStd(h.where)},
                                           {"ref_id", h.refId},
                                           {"case_id", h.caseId},
                                           {"field", js::toStd(h.field)},
                                           {"host", js::toStd(h.hostName)},
                                           {"ts", h.ts},
                                           {"summary", js::toStd(h.summary)}};
            if (auto e =
                    sql::exec(ins, {caseId, ref, QStringLiteral("Found additional evidence"),
                                    QString::fromStdString(detail.dump(
                                        -1, ' ', false, nlohmann::json::error_handler_t::replace)),
                                    actor, now});
                !e)
                return e;
            if (ins.numRowsAffected() > 0) {
                ++added;
                refs.push_back(js::toStd(ref));
            }
        }
        if (added == 0)
            return {};
        const nlohmann::json payload = {
            {"kind", "hunt_hit"}, {"label", "Found additional evidence"}, {"refs", refs}};
        auto entry = audit::append(db, caseId, actor, QStringLiteral("evidence"),
                                   QString::fromStdString(payload.dump()));
        if (!entry)
            return entry.error();
        return {};
    });
    if (!r)
        return r.error();
    return added;
}

} // namespace causa::eventq
