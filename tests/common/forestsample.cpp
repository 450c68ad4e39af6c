// The bench's synthetic forest input (moved here from bench_forest so that tst_forestreference
// checks the very data the bench times).
#include "forestsample.h"

#include "core/processtextpool.h"

#include <QRandomGenerator>

#include <algorithm>
#include <unordered_map>

namespace causa::test {

namespace {

QString text(const char *s)
{
    return QString::fromLatin1(s); // a fresh allocation per record, as QSqlQuery::value() gives
}

struct Instance
{
    int host;
    qint64 pid;
    qint64 start;
    int parent; // index into instances on the same host, or -1
    int image;
    bool sysmon;
    bool security;
};

const char *const kImages[] = {"cmd.exe",      "svchost.exe",   "powershell.exe", "conhost.exe",
                               "rundll32.exe", "chrome.exe",    "msedge.exe",     "OUTLOOK.EXE",
                               "WINWORD.EXE",  "python.exe",    "git.exe",        "reg.exe",
                               "whoami.exe",   "net.exe",       "certutil.exe",   "app.exe",
                               "backup.exe",   "taskhostw.exe", "dllhost.exe",    "wmiprvse.exe"};
constexpr int kImageCount = int(sizeof(kImages) / sizeof(kImages[0]));

} // namespace

ForestInput benchForestInput(qint64 count, qint64 attached)
{
    QRandomGenerator rng(20240611);
    constexpr int hosts = 16;
    const qint64 base = 1700000000000;
    std::vector<Instance> inst;
    inst.reserve(size_t(count));
    // Per host: a few long-lived roots (services.exe, explorer.exe) and a window of recent
    // processes that children pick from, so trees are bushy near the top and deep in places.
    std::vector<std::vector<int>> recent(hosts);
    qint64 emitted = 0;
    for (qint64 i = 0; emitted < count; ++i) {
        const int h = int(i % hosts);
        Instance p{};
        p.host = h;
        p.pid = 4 * qint64(1 + rng.bounded(4095u)); // 4k PIDs per host: each reused ~15 times
        p.start = base + i * 40 + rng.bounded(20u);
        p.image = int(rng.bounded(quint32(kImageCount)));
        auto &r = recent[size_t(h)];
        if (r.size() < 4 || rng.bounded(100u) < 2) {
            p.parent = -1;
        } else {
            const quint32 pick = rng.bounded(100u);
            if (pick < 20)
                p.parent = r[rng.bounded(4u)]; // one of the first processes: services/explorer
            else
                p.parent =
                    r[r.size() - 1 - rng.bounded(quint32(std::min<size_t>(r.size() - 4, 500)))];
        }
        const quint32 seen = rng.bounded(100u);
        p.sysmon = seen < 75;
        p.security = seen >= 45; // 30 % seen by both: merged into one node
        emitted += int(p.sysmon) + int(p.security);
        r.push_back(int(inst.size()));
        inst.push_back(p);
    }

    ForestInput in;
    // The store loader shares repeated texts record by record as it reads them: so does this,
    // each record as it is made (its duplicate texts are freed right away, as in the loader).
    ProcessTextPool pool;
    in.processes.reserve(size_t(count + count / 5));
    auto hostKey = [](int h) { return QStringLiteral("ws-%1").arg(h, 3, 10, QLatin1Char('0')); };
    auto guid = [](size_t i) {
        return QStringLiteral("{5770385f-%1-5f1e-0000-0010%2}")
            .arg(i & 0xffff, 4, 16, QLatin1Char('0'))
            .arg(qulonglong(i), 8, 16, QLatin1Char('0'));
    };
    std::unordered_map<qint64, bool> pidRefs; // (host, pid) placeholders already written
    for (size_t i = 0; i < inst.size(); ++i) {
        const Instance &p = inst[i];
        const QString ep = hostKey(p.host);
        const QString image = text(kImages[p.image]);
        const Instance *parent = p.parent >= 0 ? &inst[size_t(p.parent)] : nullptr;
        if (p.sysmon) {
            ProcessRecord r;
            r.source = text("sysmon");
            r.endpointKey = ep;
            r.key = ep + QStringLiteral("|guid:") + guid(i);
            r.imageName = image;
            r.imagePath = QStringLiteral("C:\\Windows\\System32\\") + image;
            r.commandLine =
                r.imagePath + QStringLiteral(" /c something --option value-") + QString::number(i);
            r.pid = p.pid;
            r.parentPid = parent ? parent->pid : 4;
            r.user = QStringLiteral("CORP\\user%1").arg(i % 97);
            r.startedAt = p.start;
            r.md5 = QStringLiteral("91C04C34E7A1A6D4B0C9F8E7D6C5B4A3");
            r.sha1 = QStringLiteral("5009839791AAD710921715D5B51E7A9A963B09F5");
            r.sha256 =
                QStringLiteral("C3337F4290161CEB82D33CF36E4341B815FA7055DF07EB83D5545CEC8D39C57E");
            if (parent && parent->sysmon) {
                r.parentKey = ep + QStringLiteral("|guid:") + guid(size_t(p.parent));
            } else {
                // The parent's own Sysmon 1 is not in the data: the importer stored a placeholder.
                r.parentKey =
                    ep + QStringLiteral("|guid:{parent-") + QString::number(i) + QLatin1Char('}');
                ProcessRecord q;
                q.source = text("parent-ref");
                q.endpointKey = ep;
                q.key = r.parentKey;
                q.imageName = parent ? text(kImages[parent->image]) : text("services.exe");
                q.imagePath = QStringLiteral("C:\\Windows\\System32\\") + q.imageName;
                q.pid = r.parentPid;
                pool.share(q);
                in.processes.push_back(std::move(q));
            }
            pool.share(r);
            in.processes.push_back(std::move(r));
        }
        if (p.security) {
            // Half the hosts export Security in local time (UTC+1): the builder must still merge.
            const qint64 start = p.start + (p.host % 2 ? 3600000 : 0) + qint64(rng.bounded(3u));
            ProcessRecord r;
            r.source = text("security");
            r.endpointKey = ep;
            r.key = ep + QStringLiteral("|pid:") + QString::number(p.pid) + QLatin1Char('@') +
                    QString::number(start);
            r.imageName = image;
            r.imagePath = QStringLiteral("C:\\Windows\\System32\\") + image;
            r.commandLine =
                r.imagePath + QStringLiteral(" /c something --option value-") + QString::number(i);
            r.pid = p.pid;
            r.parentPid = parent ? parent->pid : 4;
            r.user = QStringLiteral("CORP\\user%1").arg(i % 97);
            r.startedAt = start;
            r.parentKey = ep + QStringLiteral("|pid:") + QString::number(r.parentPid);
            if (!pidRefs[qint64(p.host) << 32 | r.parentPid]) {
                pidRefs[qint64(p.host) << 32 | r.parentPid] = true;
                ProcessRecord q;
                q.source = text("parent-ref");
                q.endpointKey = ep;
                q.key = r.parentKey;
                q.imageName = parent ? text(kImages[parent->image]) : text("System");
                q.pid = r.parentPid;
                pool.share(q);
                in.processes.push_back(std::move(q));
            }
            pool.share(r);
            in.processes.push_back(std::move(r));
        }
        if (rng.bounded(1000u) < 5) {
            // An XDR alert role for this process: merged by PID, image and (missing) start.
            ProcessRecord r;
            r.source = text("xdr");
            r.endpointKey = ep;
            r.key = ep + QStringLiteral("|xdr:AdA") + QString::number(i);
            r.imageName = image;
            r.pid = p.pid;
            r.signatureStatus = text(i % 2 ? "SIGNATURE_UNSIGNED" : "SIGNATURE_SIGNED");
            r.signatureVendor = text("Microsoft Corporation");
            pool.share(r);
            in.processes.push_back(std::move(r));
            ForestAlertLink a;
            a.processKey = ep + QStringLiteral("|xdr:AdA") + QString::number(i);
            a.alertId = qint64(i);
            a.caseId = 1;
            a.name = text("Suspicious process");
            a.severity = Severity::High;
            a.role = text("action");
            in.alerts.push_back(std::move(a));
        }
    }
    // Out of order: the store hands records in import order, and files interleave hosts and
    // arrive late. Shuffle within windows of 2,000 and move 1 % of the records anywhere.
    auto &v = in.processes;
    for (size_t w = 0; w < v.size(); w += 2000) {
        const size_t end = std::min(v.size(), w + 2000);
        for (size_t k = end - 1; k > w; --k)
            std::swap(v[k], v[w + rng.bounded(quint32(k - w + 1))]);
    }
    for (size_t k = 0; k < v.size() / 100; ++k)
        std::swap(v[rng.bounded(quint32(v.size()))], v[rng.bounded(quint32(v.size()))]);
    // Records come grouped by endpoint from the store (ORDER BY p.id within one load is by
    // import, but one import is one host's file): keep hosts grouped as the real load does.
    std::stable_sort(v.begin(), v.end(), [](const ProcessRecord &a, const ProcessRecord &b) {
        return a.endpointKey < b.endpointKey;
    });

    const char *kinds[] = {"network", "file", "registry", "pipe", "process_exit"};
    for (qint64 e = 0; e < attached; ++e) {
        const size_t i = rng.bounded(quint32(inst.size()));
        const Instance &p = inst[i];
        ForestEvent ev;
        ev.endpointKey = hostKey(p.host);
        ev.processKey = p.sysmon
                            ? ev.endpointKey + QStringLiteral("|guid:") + guid(i)
                            : ev.endpointKey + QStringLiteral("|pid:") + QString::number(p.pid);
        ev.kind = text(kinds[e % 5]);
        ev.ts = p.start + 1000;
        ev.summary = QStringLiteral("event ") + QString::number(e);
        ev.name = ev.summary;
        ev.eventId = e;
        pool.share(ev.endpointKey);
        pool.share(ev.kind);
        in.events.push_back(std::move(ev));
    }
    return in;
}

} // namespace causa::test
