#include "forestrandom.h"

#include <algorithm>
#include <random>
#include <set>
#include <utility>

namespace causa::test {

namespace {

// std::mt19937_64 gives the same sequence everywhere (std distributions need not), so a seed
// printed by a failing run reproduces on any machine.
class Rng
{
public:
    explicit Rng(quint64 seed) : m_engine(seed) {}
    int below(int n) { return int(m_engine() % quint64(n)); }
    bool percent(int p) { return below(100) < p; }
    template<typename T, size_t N>
    const T &oneOf(const T (&values)[N])
    {
        return values[below(int(N))];
    }

private:
    std::mt19937_64 m_engine;
};

struct Instance
{
    int host = 0;
    qint64 pid = -1;
    qint64 start = 0;
    int image = 0;
    int parent = -1;
    bool sysmon = false;
    bool security = false;
    bool xdr = false;
    bool other = false;
};

const char *const kImages[] = {"cmd.exe", "powershell.exe", "svchost.exe", "rundll32.exe",
                               "services.exe"};
constexpr qint64 kBase = 1700000000000;
// 7 min 1.234 s: among 40 instances no two starts are within 5 s of each other modulo the
// 15-minute zone step, so a clean set only merges the records of one instance.
constexpr qint64 kSpacing = 421234;

class Generator
{
public:
    Generator(quint64 seed, bool hostile, bool mixedClocks)
        : m_rng(seed), m_hostile(hostile), m_mixedClocks(mixedClocks)
    {}

    std::vector<ProcessRecord> run()
    {
        makeInstances();
        for (size_t i = 0; i < m_inst.size(); ++i)
            emitInstance(int(i));
        if (m_hostile)
            addHostility();
        return std::move(m_out);
    }

private:
    QString host(int h) const { return QStringLiteral("ws%1").arg(h); }
    QString image(int i) const { return QString::fromLatin1(kImages[i]); }

    void makeInstances()
    {
        const int count = 2 + m_rng.below(m_hostile ? 30 : 38);
        const int hosts = 1 + m_rng.below(2);
        const int pids = 1 + m_rng.below(m_hostile ? 5 : 10); // few PIDs: each is reused
        // Hostile starts collide: equal, within the 5 s merge window, or far apart.
        const qint64 steps[] = {0, 1000, 2500, 4000, 60000};
        const qint64 step = m_rng.oneOf(steps);
        const qint64 zones[] = {0, 3600000, -19800000, 2 * 900000 + 4000, 7000};
        for (int h = 0; h < hosts; ++h)
            m_zone.push_back(m_hostile ? m_rng.oneOf(zones)
                                       : (h % 2 && m_mixedClocks ? 3600000 : 0));
        for (int i = 0; i < count; ++i) {
            Instance p;
            p.host = m_rng.below(hosts);
            p.pid = 4 * (1 + m_rng.below(pids));
            p.start = m_hostile ? kBase + m_rng.below(count) * step : kBase + i * kSpacing;
            p.image = m_rng.below(int(std::size(kImages)));
            if (m_hostile) {
                p.parent = m_rng.percent(75) ? m_rng.below(count) : -1; // later ones and itself too
                if (m_rng.percent(8))
                    p.pid = -1;
                else if (m_rng.percent(6))
                    p.pid = 5000000000 + 4 * m_rng.below(2); // wider than an int
                if (m_rng.percent(8))
                    p.start = 0;
            } else {
                p.parent = i > 0 && m_rng.percent(75) ? m_rng.below(i) : -1;
                if (p.parent >= 0)
                    p.host = m_inst[size_t(p.parent)].host;
            }
            p.sysmon = m_rng.percent(70);
            p.security = m_rng.percent(50) || !p.sysmon;
            p.xdr = m_rng.percent(15);
            p.other = m_hostile && m_rng.percent(10);
            m_inst.push_back(p);
        }
    }

    ProcessRecord base(int i, const char *source) const
    {
        const Instance &p = m_inst[size_t(i)];
        ProcessRecord r;
        r.source = QString::fromLatin1(source);
        r.endpointKey = host(p.host);
        r.imageName = image(p.image);
        r.pid = p.pid;
        r.startedAt = p.start;
        r.parentPid = p.parent >= 0 ? m_inst[size_t(p.parent)].pid : 4;
        return r;
    }

    // A parent-ref record: what the importer stores for a parent it only knows from a child.
    void placeholder(const QString &key, const QString &endpoint, const QString &imageName,
                     qint64 pid)
    {
        if (m_hostile && m_rng.percent(25))
            return; // the key then dangles: the child becomes a root
        ProcessRecord q;
        q.source = QStringLiteral("parent-ref");
        q.endpointKey = endpoint;
        q.key = key;
        q.imageName = imageName;
        q.pid = pid;
        m_out.push_back(q);
    }

    void emitInstance(int i)
    {
        const Instance &p = m_inst[size_t(i)];
        const Instance *parent = p.parent >= 0 ? &m_inst[size_t(p.parent)] : nullptr;
        const QString ep = host(p.host);
        if (p.sysmon)
            emitSysmon(i, p, parent, ep);
        if (p.security)
            emitSecurity(i, p, ep);
        if (p.xdr) {
            ProcessRecord r = base(i, "xdr");
            r.key = ep + QStringLiteral("|xdr:%1").arg(i);
            r.startedAt = m_rng.percent(50) ? 0 : p.start; // roles often carry no start
            if (m_hostile && m_rng.percent(30))
                r.pid = -1;
            if (m_hostile && m_rng.percent(10))
                r.imageName = image(m_rng.below(int(std::size(kImages))));
            if (m_hostile && parent && m_rng.percent(40))
                // causality owner
                r.parentKey = host(parent->host) + QStringLiteral("|xdr:%1").arg(p.parent);
            m_out.push_back(r);
        }
        if (p.other) {
            ProcessRecord r = base(i, "edr");
            r.key = ep + QStringLiteral("|edr:%1").arg(i);
            if (!m_out.empty())
                r.parentKey = m_out[size_t(m_rng.below(int(m_out.size())))].key;
            m_out.push_back(r);
        }
    }

    void emitSysmon(int i, const Instance &p, const Instance *parent, const QString &ep)
    {
        ProcessRecord r = base(i, "sysmon");
        r.key = ep + QStringLiteral("|guid:{%1}").arg(i);
        if (parent && parent->sysmon) {
            r.parentKey = host(parent->host) + QStringLiteral("|guid:{%1}").arg(p.parent);
        } else if (!m_hostile || m_rng.percent(80)) {
            // The parent's own Sysmon 1 is not in the data: a GUID placeholder stands for it.
            r.parentKey = ep + QStringLiteral("|guid:{parent-%1}").arg(i);
            placeholder(r.parentKey, ep,
                        parent ? image(parent->image) : QStringLiteral("services.exe"),
                        parent ? parent->pid : 4);
        }
        if (m_hostile && m_rng.percent(10))
            r.parentKey = ep + QStringLiteral("|pid:%1").arg(r.parentPid); // no parent GUID
        if (m_hostile && m_rng.percent(10))
            r.parentPid = -1;
        m_out.push_back(r);
    }

    void emitSecurity(int i, const Instance &p, const QString &ep)
    {
        ProcessRecord r = base(i, "security");
        // Security may write local time, a few milliseconds off Sysmon (hostile: seconds off).
        if (r.startedAt != 0)
            r.startedAt += m_zone[size_t(p.host)] + m_rng.below(m_hostile ? 8000 : 4);
        if (m_rng.percent(50))
            r.imageName = r.imageName.toUpper(); // images compare case-insensitively
        r.key = ep + QStringLiteral("|pid:%1@%2").arg(r.pid).arg(r.startedAt);
        r.parentKey = ep + QStringLiteral("|pid:%1").arg(r.parentPid);
        if (m_pidRefs.insert({p.host, r.parentPid}).second)
            placeholder(r.parentKey, ep, QStringLiteral("System"), r.parentPid);
        if (m_hostile && m_rng.percent(15)) {
            const QString odd[] = {ep + QStringLiteral("|pid:-4"), ep + QStringLiteral("|pid:x12"),
                                   ep + QStringLiteral("|pid:8@5"),
                                   host(p.host + 1) + QStringLiteral("|pid:8"),
                                   ep + QStringLiteral("|pid:5000000000")};
            r.parentKey = m_rng.oneOf(odd);
        }
        m_out.push_back(r);
    }

    // Repeated records (exact, or the same key with other content) and parent keys rewired to
    // any record, the record itself included: cycles of every length.
    void addHostility()
    {
        const int n = int(m_out.size());
        for (int k = 0; k < n / 8 + 1; ++k) {
            ProcessRecord copy = m_out[size_t(m_rng.below(n))];
            if (m_rng.percent(50)) {
                copy.parentKey = m_out[size_t(m_rng.below(n))].key;
                copy.startedAt += m_rng.below(3) * 1000;
            }
            m_out.push_back(copy);
        }
        for (ProcessRecord &r : m_out)
            if (m_rng.percent(5))
                r.parentKey =
                    m_rng.percent(20) ? r.key : m_out[size_t(m_rng.below(int(m_out.size())))].key;
    }

    Rng m_rng;
    const bool m_hostile;
    const bool m_mixedClocks;
    std::vector<Instance> m_inst;
    std::vector<qint64> m_zone;                 // per host
    std::set<std::pair<int, qint64>> m_pidRefs; // (host, PID) placeholders already written
    std::vector<ProcessRecord> m_out;
};

} // namespace

std::vector<ProcessRecord> randomRecords(quint64 seed, bool hostile, bool mixedClocks)
{
    // Instances are made in time order; the importers store them in any order.
    return shuffled(Generator(seed, hostile, mixedClocks).run(), seed ^ 0x5DEECE66Dull);
}

std::vector<ProcessRecord> shuffled(std::vector<ProcessRecord> records, quint64 seed)
{
    Rng rng(seed);
    for (size_t k = records.size(); k > 1; --k)
        std::swap(records[k - 1], records[size_t(rng.below(int(k)))]);
    return records;
}

} // namespace causa::test
