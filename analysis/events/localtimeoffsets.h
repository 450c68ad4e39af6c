#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

namespace causa::events {

// Some exports write an event's TimeCreated/EventTime in the host's local time without naming
// a zone (OTRF's newer schema, NXLog's EventTime), while Sysmon's UtcTime and Logstash's
// '@timestamp' are UTC. Taken as UTC, a host's Security and System events then land hours away
// from its Sysmon events, and the investigation's hops come out of order. This learns, per
// host, the offset between the two clocks from the events that carry both, and gives it for
// that host's events that carry only the local one. One instance per imported file: another
// file of the same host may come from an exporter that writes UTC there.
//
// Not thread-safe: the import's reading thread fills it, its writing thread reads summary()
// once the reading thread has ended.
class LocalTimeOffsets final
{
public:
    static constexpr qint64 kStepMs = 15 * 60 * 1000;           // zones are whole quarter hours
    static constexpr qint64 kMaxOffsetMs = 14 * 60 * 60 * 1000; // UTC-12 … UTC+14
    // An offset is used when at least this share of a host's observations agree on it. A
    // file across a daylight-saving change splits between two offsets, and either would put
    // part of the file an hour off: then none is used, and the summary says why.
    static constexpr int kAgreePercent = 90;

    // One event of `host` that carries both clocks: its utc − local, to the nearest kStepMs
    // (the two stamps of one event are written a few milliseconds to seconds apart).
    void observe(const QString &host, qint64 utcMs, qint64 localMs);
    // What to add to a zone-less local time of `host` to make it UTC; nullopt when nothing
    // is known of the host yet or its observations disagree. Counted for summary().
    std::optional<qint64> shiftFor(const QString &host);

    // One line per host whose local times were shifted (host, zone, how many events), or
    // left alone although evidence was there (it disagreed, or came after them). Hosts
    // without any evidence, or whose local times are UTC, are not mentioned.
    QStringList summary() const;

    // "+4 h 00 min", "-1 h 00 min", "+5 h 30 min".
    static QString formatShift(qint64 ms);

private:
    struct Host
    {
        QString name;
        std::map<qint64, qint64> votes; // offset (ms) → observations
        qint64 observations = 0;        // votes, and those out of range
        bool decided = false;           // `shift` is up to date with the votes
        std::optional<qint64> shift;
        std::map<qint64, qint64> shifted; // offset applied → events
        qint64 beforeEvidence = 0;        // local-only events seen before any observation
        qint64 disagreed = 0;             // local-only events left alone: votes disagreed
    };
    // The host's entry, made on first sight; null past kMaxHosts hosts.
    Host *host(const QString &name);
    static std::optional<qint64> decide(const Host &h);
    static QString votesText(const Host &h);

    QHash<QString, size_t> m_index;
    std::vector<Host> m_hosts;
    size_t m_last = 0; // the host of the previous call: lines of one host come in runs
};

} // namespace causa::events
