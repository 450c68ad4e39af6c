#include "stiximporter.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "intelfile.h"
#include "intelnormalise.h"
#include "store/importsession.h"
#include "store/intelstore.h"

#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

namespace causa {

using nlohmann::json;

namespace {

// The standard TLP marking-definition ids: STIX 2.1 (TLP 1.0) and the OASIS TLP 2.0 extension.
QString wellKnownTlp(const QString &id)
{
    static const QHash<QString, QString> ids = {
        {QStringLiteral("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"),
         QStringLiteral("CLEAR")},
        {QStringLiteral("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"),
         QStringLiteral("GREEN")},
        {QStringLiteral("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"),
         QStringLiteral("AMBER")},
        {QStringLiteral("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"),
         QStringLiteral("RED")},
        {QStringLiteral("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"),
         QStringLiteral("CLEAR")},
        {QStringLiteral("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"),
         QStringLiteral("GREEN")},
        {QStringLiteral("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"),
         QStringLiteral("AMBER")},
        {QStringLiteral("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"),
         QStringLiteral("AMBER+STRICT")},
        {QStringLiteral("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"),
         QStringLiteral("RED")},
    };
    return ids.value(id);
}

int tlpRank(const QString &tlp)
{
    static const QStringList order{QStringLiteral("CLEAR"), QStringLiteral("GREEN"),
                                   QStringLiteral("AMBER"), QStringLiteral("AMBER+STRICT"),
                                   QStringLiteral("RED")};
    return int(order.indexOf(tlp));
}

// "file:hashes.'SHA-256'" -> sha256 ...; "" when Causa does not enrich that object path.
QString typeOfPath(const QString &object, QString path)
{
    path.remove(QLatin1Char('\''));
    path.remove(QLatin1Char('"'));
    if (object == QLatin1String("ipv4-addr") && path == QLatin1String("value"))
        return QStringLiteral("ipv4");
    if (object == QLatin1String("ipv6-addr") && path == QLatin1String("value"))
        return QStringLiteral("ipv6");
    if (object == QLatin1String("domain-name") && path == QLatin1String("value"))
        return QStringLiteral("domain");
    if (object == QLatin1String("url") && path == QLatin1String("value"))
        return QStringLiteral("url");
    if (object == QLatin1String("file") &&
        path.startsWith(QLatin1String("hashes."), Qt::CaseInsensitive)) {
        const QString algo = path.mid(7).toUpper().remove(QLatin1Char('-'));
        if (algo == QLatin1String("SHA256"))
            return QStringLiteral("sha256");
        if (algo == QLatin1String("SHA1"))
            return QStringLiteral("sha1");
        if (algo == QLatin1String("MD5"))
            return QStringLiteral("md5");
    }
    return {};
}

} // namespace

bool StixImporter::looksLike(const QByteArray &head)
{
    const QByteArray t = head.trimmed();
    if (!t.startsWith('{'))
        return false;
    static const QRegularExpression bundle(QStringLiteral(R"("type"\s*:\s*"bundle")"));
    return bundle.match(QString::fromUtf8(head.left(65536))).hasMatch();
}

namespace {

// Identities and marking definitions (id -> name, id -> TLP) that indicators refer to.
struct References
{
    QHash<QString, QString> identities;
    QHash<QString, QString> markings;
};

References references(const json &objects)
{
    References refs;
    for (const json &o : objects) {
        if (!o.is_object())
            continue;
        const QString type = js::str(o, "type");
        const QString id = js::str(o, "id");
        if (type == QLatin1String("identity")) {
            refs.identities.insert(id, js::str(o, "name"));
        } else if (type == QLatin1String("marking-definition")) {
            QString tlp = intel::parseTlp(js::str(o, "name"));
            if (tlp.isEmpty() && js::str(o, "definition_type") == QLatin1String("tlp"))
                if (const auto d = o.find("definition"); d != o.end() && d->is_object())
                    tlp = intel::parseTlp(js::str(*d, "tlp"));
            if (!tlp.isEmpty())
                refs.markings.insert(id, tlp);
        }
    }
    return refs;
}

// The indicator's types decide its score; without types, a low confidence means suspicious.
int indicatorScore(const json &o, int confidence)
{
    const QStringList types = js::list(o, "indicator_types");
    if (types.contains(QLatin1String("benign")))
        return 1;
    if (types.contains(QLatin1String("malicious-activity")) ||
        types.contains(QLatin1String("attribution")) ||
        types.contains(QLatin1String("compromised")))
        return 3;
    if (!types.isEmpty())
        return 2;
    return o.contains("confidence") && confidence < 50 ? 2 : 3;
}

// The most restrictive TLP among the object's markings wins; unmarked intel is AMBER.
QString strictestTlp(const json &o, const QHash<QString, QString> &markings)
{
    QString tlp;
    for (const QString &ref : js::list(o, "object_marking_refs")) {
        QString t = wellKnownTlp(ref);
        if (t.isEmpty())
            t = markings.value(ref);
        if (!t.isEmpty() && tlpRank(t) > tlpRank(tlp))
            tlp = t;
    }
    return tlp.isEmpty() ? QStringLiteral("AMBER") : tlp;
}

// What an indicator object says of every value its pattern names (validFrom or validUntil
// negative: not a timestamp).
IntelEntry entryOf(const json &o, const References &refs, const QString &feed)
{
    IntelEntry base;
    base.feed = feed;
    base.description = js::str(o, "name");
    if (const QString d = js::str(o, "description"); !d.isEmpty())
        base.description += (base.description.isEmpty() ? QString() : QStringLiteral(" — ")) + d;
    base.creator = refs.identities.value(js::str(o, "created_by_ref"));
    base.confidence = int(std::clamp<qint64>(js::int64(o, "confidence", 0), 0, 100));
    base.validFrom = intel::parseTime(js::str(o, "valid_from"));
    base.validUntil = intel::parseTime(js::str(o, "valid_until"));
    if (base.validFrom < 0 || base.validUntil < 0)
        return base;
    base.score = indicatorScore(o, base.confidence);
    base.tlp = strictestTlp(o, refs.markings);
    return base;
}

// Writes one entry per IP, domain, URL or file hash comparison in the pattern; values that do not
// normalise, and a pattern with no comparison Causa reads, go to reject(field, problem). Fails
// only when the writer does.
template<typename Reject>
Result<void> importPattern(const QString &pattern, const IntelEntry &base, IntelWriter &writer,
                           Reject &&reject)
{
    static const QRegularExpression comparison(
        QStringLiteral(R"(([a-z0-9-]+):([A-Za-z0-9_.'"-]+)\s*=\s*'((?:[^'\\]|\\.)*)')"));
    int found = 0, bad = 0;
    auto it = comparison.globalMatch(pattern);
    while (it.hasNext()) {
        const auto m = it.next();
        QString type = typeOfPath(m.captured(1), m.captured(2));
        if (type.isEmpty())
            continue;
        QString value = m.captured(3);
        value.replace(QStringLiteral("\\'"), QStringLiteral("'"))
            .replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
        QString problem;
        IntelEntry e = base;
        e.value = intel::normaliseValue(value, &type, &problem);
        if (e.value.isEmpty()) {
            reject(QStringLiteral("pattern"), problem);
            ++bad;
            continue;
        }
        e.type = type;
        ++found;
        if (auto r = writer.add(e); !r)
            return r.error();
    }
    if (pattern.isEmpty())
        reject(QStringLiteral("pattern"), QStringLiteral("the indicator has no pattern"));
    else if (found == 0 && bad == 0)
        reject(QStringLiteral("pattern"),
               QStringLiteral("no IP, domain, URL or file hash comparison in '%1'")
                   .arg(pattern.left(120)));
    return {};
}

} // namespace

Result<void> StixImporter::importFile(ImportSession &session, const QString &path,
                                      const ImportOptions &options)
{
    auto doc = intel::readJsonDocument(path);
    if (!doc)
        return doc.error();
    const json &root = doc.value();
    if (!root.is_object() || js::str(root, "type") != QLatin1String("bundle"))
        return makeError(errc::kBadStix,
                         QStringLiteral("not a STIX bundle (type must be \"bundle\")"),
                         path + QStringLiteral(": type"));
    const auto objects = root.find("objects");
    if (objects == root.end() || !objects->is_array())
        return makeError(errc::kBadStix, QStringLiteral("the bundle has no objects array"),
                         path + QStringLiteral(": objects"));
    const References refs = references(*objects);
    IntelWriter writer(session);
    const QString feed = QFileInfo(path).fileName();
    for (size_t i = 0; i < objects->size(); ++i) {
        if (options.cancelled())
            return makeError(errc::kCancelled, QStringLiteral("the import was cancelled"), path);
        const json &o = (*objects)[i];
        const QString where = QStringLiteral("%1: objects[%2]").arg(path).arg(i);
        if (!o.is_object())
            return makeError(errc::kBadStix, QStringLiteral("a bundle object is not a JSON object"),
                             where);
        if (js::str(o, "type") != QLatin1String("indicator") || js::boolean(o, "revoked"))
            continue;
        auto reject = [&](const QString &field, const QString &problem) {
            ++session.counts().rejected;
            if (options.warn)
                options.warn(QStringLiteral("%1 (%2): field '%3': %4")
                                 .arg(where, js::str(o, "id"), field, problem));
        };
        const QString patternType = js::str(o, "pattern_type");
        if (!patternType.isEmpty() && patternType != QLatin1String("stix")) {
            reject(QStringLiteral("pattern_type"),
                   QStringLiteral("'%1' patterns are not supported").arg(patternType.left(40)));
            continue;
        }
        const IntelEntry base = entryOf(o, refs, feed);
        if (base.validFrom < 0 || base.validUntil < 0) {
            reject(base.validFrom < 0 ? QStringLiteral("valid_from")
                                      : QStringLiteral("valid_until"),
                   QStringLiteral("not a timestamp"));
            continue;
        }
        if (auto r = importPattern(js::str(o, "pattern"), base, writer, reject); !r)
            return makeError(r.error().code, r.error().message, where);
    }
    return {};
}

} // namespace causa
