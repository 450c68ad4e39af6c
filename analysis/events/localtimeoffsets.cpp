#include "localtimeoffsets.h"

#include <cmath>
#include <cstdlib>

namespace causa::events {

namespace {

// A hostile file naming a new host on every line must not grow the table without end; hosts
// past this many are neither learned nor shifted (their times stay as written).
constexpr size_t kMaxHosts = 100000;

QString eventsText(qint64 n)
{
    return n == 1 ? QStringLiteral("1 event") : QStringLiteral("%1 events").arg(n);
}

QString hhmm(qint64 ms)
{
    const qint64 minutes = std::llabs(ms) / 60000;
    return QStringLiteral("%1:%2")
        .arg(minutes / 60, 2, 10, QLatin1Char('0'))
        .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

// The zone whose local time needs `shift` added to be UTC: +4 h → "UTC-04:00".
QString zoneText(qint64 shift)
{
    return (shift > 0 ? QStringLiteral("UTC-") : QStringLiteral("UTC+")) + hhmm(shift);
}

} // namespace

QString LocalTimeOffsets::formatShift(qint64 ms)
{
    const qint64 minutes = std::llabs(ms) / 60000;
    return (ms < 0 ? QStringLiteral("-%1 h %2 min") : QStringLiteral("+%1 h %2 min"))
        .arg(minutes / 60)
        .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

LocalTimeOffsets::Host *LocalTimeOffsets::host(const QString &name)
{
    if (m_last < m_hosts.size() && m_hosts[m_last].name == name)
        return &m_hosts[m_last];
    if (const auto it = m_index.constFind(name); it != m_index.cend()) {
        m_last = *it;
        return &m_hosts[m_last];
    }
    if (m_hosts.size() >= kMaxHosts)
        return nullptr;
    m_last = m_hosts.size();
    m_index.insert(name, m_last);
    m_hosts.push_back(Host{});
    m_hosts.back().name = name;
    return &m_hosts.back();
}

void LocalTimeOffsets::observe(const QString &name, qint64 utcMs, qint64 localMs)
{
    Host *h = host(name);
    if (!h)
        return;
    const qint64 offset = std::llround(double(utcMs - localMs) / double(kStepMs)) * kStepMs;
    ++h->observations; // one out of range still counts against agreement
    if (std::llabs(offset) <= kMaxOffsetMs)
        ++h->votes[offset];
    h->decided = false;
}

std::optional<qint64> LocalTimeOffsets::decide(const Host &h)
{
    if (h.observations == 0)
        return std::nullopt;
    auto best = h.votes.cend();
    for (auto it = h.votes.cbegin(); it != h.votes.cend(); ++it)
        if (best == h.votes.cend() || it->second > best->second)
            best = it;
    if (best == h.votes.cend() || best->second * 100 < h.observations * kAgreePercent)
        return std::nullopt;
    return best->first;
}

std::optional<qint64> LocalTimeOffsets::shiftFor(const QString &name)
{
    Host *h = host(name);
    if (!h)
        return std::nullopt;
    if (!h->decided) {
        h->shift = decide(*h);
        h->decided = true;
    }
    if (h->shift) {
        ++h->shifted[*h->shift];
        return h->shift;
    }
    ++(h->observations == 0 ? h->beforeEvidence : h->disagreed);
    return std::nullopt;
}

QString LocalTimeOffsets::votesText(const Host &h)
{
    QStringList parts;
    qint64 counted = 0;
    for (const auto &[offset, n] : h.votes) {
        parts << QStringLiteral("%1 ×%2").arg(formatShift(offset)).arg(n);
        counted += n;
    }
    if (counted < h.observations)
        parts << QStringLiteral("over 14 h ×%1").arg(h.observations - counted);
    return parts.join(QStringLiteral(", "));
}

QStringList LocalTimeOffsets::summary() const
{
    QStringList out;
    for (const Host &h : m_hosts) {
        QStringList parts;
        for (const auto &[shift, n] : h.shifted)
            if (shift != 0) // local time that is UTC already: nothing moved, nothing to say
                parts << QStringLiteral(
                             "TimeCreated/EventTime without a zone read as local time %1 "
                             "(learned from %2 carrying UtcTime or a UTC @timestamp too): "
                             "%3 shifted by %4 to UTC")
                             .arg(zoneText(shift), eventsText(h.observations), eventsText(n),
                                  formatShift(shift));
        if (h.beforeEvidence > 0 && !parts.isEmpty())
            parts << QStringLiteral("%1 before the first such event left as written (past the "
                                    "importer's look-ahead)")
                         .arg(eventsText(h.beforeEvidence));
        if (h.disagreed > 0)
            parts << QStringLiteral(
                         "%1 left as written: the events carrying both UTC and local time "
                         "disagree on the host's UTC offset (%2)")
                         .arg(eventsText(h.disagreed), votesText(h));
        if (!parts.isEmpty())
            out << (h.name.isEmpty() ? QStringLiteral("(no host name)") : h.name) +
                       QStringLiteral(": ") + parts.join(QStringLiteral("; "));
    }
    return out;
}

} // namespace causa::events
