#include "xdrpull.h"

#include "cmdline/cmdlineindicators.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "core/logging.h"
#include "store/casestore.h"
#include "store/importsession.h"
#include "xdrimporter.h"
#include "xdrmapper.h"

#include <nlohmann/json.hpp>

namespace causa {

using nlohmann::json;

XdrPuller::XdrPuller(CaseStore &store, XdrClient &client, QString tenant)
    : m_store(store), m_client(client), m_tenant(std::move(tenant))
{}

XdrAlertQuery XdrPuller::relatedQuery(const QByteArray &incidentReply, qint64 windowMs)
{
    XdrAlertQuery q;
    const json j = json::parse(incidentReply.toStdString(), nullptr, false);
    if (!j.is_object())
        return q;
    const json reply = j.value("reply", json::object());
    const json alerts = reply.is_object() && reply.contains("alerts") && reply["alerts"].is_object()
                            ? reply["alerts"].value("data", json::array())
                            : json::array();
    qint64 first = 0;
    qint64 last = 0;
    for (const json &a : alerts) {
        if (!a.is_object())
            continue;
        const AlertRecord r = xdr::mapAlert(a);
        if (!r.hostName.isEmpty() && !q.hostNames.contains(r.hostName, Qt::CaseInsensitive))
            q.hostNames << r.hostName;
        if (r.detectedAt > 0) {
            first = first == 0 ? r.detectedAt : std::min(first, r.detectedAt);
            last = std::max(last, r.detectedAt);
        }
    }
    if (q.hostNames.isEmpty() && reply.is_object() && reply.contains("incident"))
        for (const QString &h : js::list(reply["incident"], "hosts")) {
            // Incident hosts read "name:agent id".
            const QString name = h.section(QLatin1Char(':'), 0, 0).trimmed();
            if (!name.isEmpty() && !q.hostNames.contains(name, Qt::CaseInsensitive))
                q.hostNames << name;
        }
    if (last > 0) {
        q.fromMs = std::max<qint64>(0, first - windowMs);
        q.toMs = last + windowMs;
    }
    return q;
}

Result<void> XdrPuller::importAll(const std::vector<std::pair<QByteArray, QString>> &documents,
                                  const QString &sourceName, const ImportOptions &options,
                                  XdrPullOutcome &out)
{
    ImportSession session(m_store, options.actor);
    if (auto r = session.begin(); !r)
        return r;
    // Same as a file import: the pulled alerts' command lines bring their case indicators.
    auto mark = CommandLineIndicators::mark(session);
    if (!mark) {
        session.rollback();
        return mark.error();
    }
    XdrImporter importer;
    for (const auto &[bytes, origin] : documents) {
        if (auto r = importer.importBytes(session, bytes, origin, options); !r) {
            session.rollback();
            return r;
        }
    }
    if (auto n = CommandLineIndicators::apply(session, mark.value()); !n) {
        session.rollback();
        return n.error();
    }
    if (auto r = session.commit(sourceName); !r)
        return r;
    out.counts = session.counts();
    return {};
}

Result<XdrPullOutcome> XdrPuller::pullIncident(const QString &incidentId, bool related,
                                               qint64 windowMs, const ImportOptions &options)
{
    XdrPullOutcome out;
    out.tenant = m_tenant;
    auto incident = m_client.incidentExtraData(incidentId);
    if (!incident)
        return incident.error();
    std::vector<std::pair<QByteArray, QString>> docs;
    const QString origin = QStringLiteral("tenant %1: incident %2").arg(m_tenant, incidentId);
    docs.emplace_back(incident.value(), origin);
    if (related) {
        const XdrAlertQuery q = relatedQuery(incident.value(), windowMs);
        out.hosts = q.hostNames;
        out.fromMs = q.fromMs;
        out.toMs = q.toMs;
        if (!q.isEmpty()) {
            auto pages = m_client.alertsByFilter(q);
            if (!pages)
                return pages.error();
            out.alertsFetched = pages->fetched;
            out.alertsTotal = pages->total;
            out.truncated = pages->truncated;
            for (size_t i = 0; i < pages->pages.size(); ++i)
                docs.emplace_back(
                    pages->pages[i],
                    QStringLiteral("tenant %1: related alerts page %2").arg(m_tenant).arg(i + 1));
        }
    }
    if (options.cancelled())
        return makeError(errc::kCancelled, QStringLiteral("pull cancelled"), origin);
    if (auto r = importAll(docs, QStringLiteral("xdr:%1 incident %2").arg(m_tenant, incidentId),
                           options, out);
        !r)
        return r.error();
    auto id = m_store.findCase(QStringLiteral("xdr"), incidentId.trimmed());
    if (!id)
        return id.error();
    out.caseId = id.value();
    qCInfo(lcImport) << "pulled incident" << incidentId << "from tenant" << m_tenant;
    return out;
}

Result<XdrPullOutcome> XdrPuller::pullAlerts(const XdrAlertQuery &query, const QString &what,
                                             const ImportOptions &options)
{
    XdrPullOutcome out;
    out.tenant = m_tenant;
    out.hosts = query.hostNames;
    out.fromMs = query.fromMs;
    out.toMs = query.toMs;
    auto pages = m_client.alertsByFilter(query);
    if (!pages)
        return pages.error();
    out.alertsFetched = pages->fetched;
    out.alertsTotal = pages->total;
    out.truncated = pages->truncated;
    if (pages->pages.empty())
        return out;
    std::vector<std::pair<QByteArray, QString>> docs;
    for (size_t i = 0; i < pages->pages.size(); ++i)
        docs.emplace_back(pages->pages[i],
                          QStringLiteral("tenant %1: %2 page %3").arg(m_tenant, what).arg(i + 1));
    if (options.cancelled())
        return makeError(errc::kCancelled, QStringLiteral("pull cancelled"));
    if (auto r = importAll(docs, QStringLiteral("xdr:%1 %2").arg(m_tenant, what), options, out); !r)
        return r.error();
    return out;
}

} // namespace causa
