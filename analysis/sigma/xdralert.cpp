#include "xdralert.h"

#include "store/huntevents.h"

#include <nlohmann/json.hpp>

#include <iterator>

namespace causa::sigma {

namespace {

// From the process an alert is about up its chain: the store links them in this order
// (action's parent is the OS actor, whose parent is the actor, started by the causality owner).
const char *const kRolesUp[] = {"action", "os_actor", "actor", "causality"};

bool named(const StoredAlertProcess *p)
{
    return p && !(p->imagePath.isEmpty() && p->imageName.isEmpty() && p->commandLine.isEmpty());
}

std::string text(const QString &s)
{
    return s.toStdString();
}

// Sysmon's "SHA1=…,MD5=…,SHA256=…" (upper-case hex), which Sigma rules search with contains.
std::string sysmonHashes(const StoredAlertProcess &p)
{
    QStringList parts;
    if (!p.sha1.isEmpty())
        parts << QStringLiteral("SHA1=") + p.sha1.toUpper();
    if (!p.md5.isEmpty())
        parts << QStringLiteral("MD5=") + p.md5.toUpper();
    if (!p.sha256.isEmpty())
        parts << QStringLiteral("SHA256=") + p.sha256.toUpper();
    return parts.join(QLatin1Char(',')).toStdString();
}

void putProcess(nlohmann::json &e, const StoredAlertProcess &p, const char *prefix)
{
    const std::string pre(prefix);
    const QString image = p.imagePath.isEmpty() ? p.imageName : p.imagePath;
    if (!image.isEmpty())
        e[pre + "Image"] = text(image);
    if (!p.commandLine.isEmpty())
        e[pre + "CommandLine"] = text(p.commandLine);
    if (p.pid >= 0)
        e[pre + "ProcessId"] = std::to_string(p.pid);
}

} // namespace

std::string xdrAlertEvent(const StoredAlertRow &alert)
{
    nlohmann::json e = {{"Channel", "Causa/XDR-Alert"}, {"Computer", text(alert.host)}};
    const StoredAlertProcess *subject = nullptr;
    size_t at = 0;
    for (; at < std::size(kRolesUp) && !subject; ++at)
        if (const StoredAlertProcess *p = alert.process(QLatin1String(kRolesUp[at])); named(p))
            subject = p;
    if (!subject)
        return e.dump(); // an alert naming no process: only its host to match
    putProcess(e, *subject, "");
    const QString user = subject->user.isEmpty() ? alert.user : subject->user;
    if (!user.isEmpty())
        e["User"] = text(user);
    if (const std::string hashes = sysmonHashes(*subject); !hashes.empty())
        e["Hashes"] = hashes;
    // The single-hash fields older rules still name.
    for (const auto &[field, value] :
         {std::pair{"md5", &subject->md5}, std::pair{"sha1", &subject->sha1},
          std::pair{"sha256", &subject->sha256}})
        if (!value->isEmpty())
            e[field] = text(value->toLower());
    // The parent: the next role up that is another process (actor and causality are often one).
    for (; at < std::size(kRolesUp); ++at) {
        const StoredAlertProcess *p = alert.process(QLatin1String(kRolesUp[at]));
        if (named(p) && p->key != subject->key) {
            putProcess(e, *p, "Parent");
            break;
        }
    }
    return e.dump();
}

} // namespace causa::sigma
