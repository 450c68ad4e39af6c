#include "mispimporter.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "intelfile.h"
#include "intelnormalise.h"
#include "store/importsession.h"
#include "store/intelstore.h"

#include <QFileInfo>

namespace causa {

using nlohmann::json;

namespace {

struct Markings
{
    QString tlp;
    QString pap;
};

Markings markingsOf(const json &obj, Markings inherited)
{
    const auto tags = obj.find("Tag");
    if (tags == obj.end() || !tags->is_array())
        return inherited;
    for (const json &t : *tags) {
        const QString name = js::str(t, "name");
        if (name.startsWith(QLatin1String("tlp:"), Qt::CaseInsensitive)) {
            if (const QString tlp = intel::parseTlp(name); !tlp.isEmpty())
                inherited.tlp = tlp;
        } else if (name.startsWith(QLatin1String("pap:"), Qt::CaseInsensitive)) {
            if (const QString pap = intel::parsePap(name); !pap.isEmpty())
                inherited.pap = pap;
        }
    }
    return inherited;
}

// MISP attribute type -> (Causa type hint, which part of a "a|b" value to take).
struct TypeMap
{
    const char *misp;
    const char *type;
    int part; // -1 whole value, 0/1 part of a composite
};
const TypeMap kTypes[] = {
    {"ip-src", "ip", -1},
    {"ip-dst", "ip", -1},
    {"ip-src|port", "ip", 0},
    {"ip-dst|port", "ip", 0},
    {"domain", "domain", -1},
    {"hostname", "domain", -1},
    {"domain|ip", "domain", 0},
    {"hostname|port", "domain", 0},
    {"url", "url", -1},
    {"uri", "url", -1},
    {"link", "url", -1},
    {"md5", "md5", -1},
    {"sha1", "sha1", -1},
    {"sha256", "sha256", -1},
    {"filename|md5", "md5", 1},
    {"filename|sha1", "sha1", 1},
    {"filename|sha256", "sha256", 1},
    {"malware-sample", "md5", 1},
};

class MispReader
{
public:
    MispReader(ImportSession &session, const QString &path, const ImportOptions &options)
        : m_session(session), m_writer(session), m_path(path), m_options(options),
          m_feed(QFileInfo(path).fileName())
    {}

    Result<void> run(const json &root)
    {
        if (root.is_array()) {
            for (size_t i = 0; i < root.size(); ++i)
                if (auto r = event(root[i], QStringLiteral("[%1]").arg(i)); !r)
                    return r;
            return {};
        }
        if (root.is_object()) {
            if (const auto resp = root.find("response"); resp != root.end()) {
                if (resp->is_array()) {
                    for (size_t i = 0; i < resp->size(); ++i)
                        if (auto r = event((*resp)[i], QStringLiteral("response[%1]").arg(i)); !r)
                            return r;
                    return {};
                }
                return event(*resp, QStringLiteral("response"));
            }
            return event(root, QString());
        }
        return makeError(errc::kBadMisp, QStringLiteral("a MISP document is an object or an array"),
                         m_path);
    }

private:
    Result<void> event(const json &wrapper, const QString &where)
    {
        const json *ev = &wrapper;
        QString at = where;
        if (wrapper.is_object() && wrapper.contains("Event")) {
            ev = &wrapper["Event"];
            at += at.isEmpty() ? QStringLiteral("Event") : QStringLiteral(".Event");
        }
        if (!ev->is_object())
            return makeError(errc::kBadMisp, QStringLiteral("expected an event object"),
                             QStringLiteral("%1: %2").arg(m_path, at));
        const Markings markings = markingsOf(*ev, {QStringLiteral("AMBER"), QString()});
        QString creator;
        if (const auto orgc = ev->find("Orgc"); orgc != ev->end() && orgc->is_object())
            creator = js::str(*orgc, "name");
        const QString info = js::str(*ev, "info");
        if (auto r = attributes(*ev, at, markings, creator, info); !r)
            return r;
        if (const auto objects = ev->find("Object"); objects != ev->end() && objects->is_array()) {
            for (size_t i = 0; i < objects->size(); ++i) {
                const json &o = (*objects)[i];
                if (!o.is_object())
                    continue;
                if (auto r = attributes(o, QStringLiteral("%1.Object[%2]").arg(at).arg(i),
                                        markingsOf(o, markings), creator, info);
                    !r)
                    return r;
            }
        }
        return {};
    }

    Result<void> attributes(const json &holder, const QString &at, const Markings &inherited,
                            const QString &creator, const QString &info)
    {
        const auto attrs = holder.find("Attribute");
        if (attrs == holder.end() || attrs->is_null())
            return {};
        if (!attrs->is_array())
            return makeError(errc::kBadMisp, QStringLiteral("Attribute is not an array"),
                             QStringLiteral("%1: %2.Attribute").arg(m_path, at));
        for (size_t i = 0; i < attrs->size(); ++i) {
            if (m_options.cancelled())
                return makeError(errc::kCancelled, QStringLiteral("the import was cancelled"),
                                 m_path);
            const json &a = (*attrs)[i];
            const QString where = QStringLiteral("%1: %2.Attribute[%3]").arg(m_path, at).arg(i);
            if (!a.is_object())
                return makeError(errc::kBadMisp, QStringLiteral("an attribute is not an object"),
                                 where);
            if (js::boolean(a, "deleted"))
                continue;
            const QString mispType = js::str(a, "type").toLower();
            const TypeMap *map = nullptr;
            for (const TypeMap &t : kTypes)
                if (mispType == QLatin1String(t.misp))
                    map = &t;
            if (!map)
                continue; // text, comment, email... are not indicators Causa enriches
            QString raw = js::str(a, "value");
            if (map->part >= 0) {
                const QStringList parts = raw.split(QLatin1Char('|'));
                if (parts.size() != 2) {
                    reject(where, QStringLiteral("value"),
                           QStringLiteral("'%1' is not a composite '%2' value")
                               .arg(raw.left(80), mispType));
                    continue;
                }
                raw = parts.at(map->part);
            }
            QString type = QLatin1String(map->type), problem;
            IntelEntry e;
            e.feed = m_feed;
            e.value = intel::normaliseValue(raw, &type, &problem);
            if (e.value.isEmpty()) {
                reject(where, QStringLiteral("value"), problem);
                continue;
            }
            e.type = type;
            const Markings m = markingsOf(a, inherited);
            e.tlp = m.tlp;
            e.pap = m.pap;
            const bool toIds = js::boolean(a, "to_ids");
            e.score = toIds ? 3 : 2;
            e.confidence = toIds ? 80 : 50;
            e.creator = creator;
            const QString comment = js::str(a, "comment");
            e.description = comment.isEmpty() ? info : info + QStringLiteral(" — ") + comment;
            e.validFrom = std::max<qint64>(0, intel::parseTime(js::str(a, "first_seen")));
            if (mispType == QLatin1String("domain|ip")) {
                // Both halves are indicators.
                QString ipType = QStringLiteral("ip"), ipProblem;
                const QString ip = intel::normaliseValue(
                    js::str(a, "value").section(QLatin1Char('|'), 1, 1), &ipType, &ipProblem);
                if (!ip.isEmpty()) {
                    IntelEntry second = e;
                    second.type = ipType;
                    second.value = ip;
                    if (auto r = m_writer.add(second); !r)
                        return makeError(r.error().code, r.error().message, where);
                }
            }
            if (auto r = m_writer.add(e); !r)
                return makeError(r.error().code, r.error().message, where);
        }
        return {};
    }

    void reject(const QString &where, const QString &field, const QString &problem)
    {
        ++m_session.counts().rejected;
        if (m_options.warn)
            m_options.warn(QStringLiteral("%1: field '%2': %3").arg(where, field, problem));
    }

    ImportSession &m_session;
    IntelWriter m_writer;
    QString m_path;
    const ImportOptions &m_options;
    QString m_feed;
};

} // namespace

bool MispImporter::looksLike(const QByteArray &head)
{
    const QByteArray t = head.trimmed();
    if (!t.startsWith('{') && !t.startsWith('['))
        return false;
    if (t.contains("\"spec_version\"") && t.contains("\"bundle\""))
        return false;
    return t.contains("\"Event\"");
}

Result<void> MispImporter::importFile(ImportSession &session, const QString &path,
                                      const ImportOptions &options)
{
    auto doc = intel::readJsonDocument(path);
    if (!doc)
        return doc.error();
    return MispReader(session, path, options).run(doc.value());
}

} // namespace causa
