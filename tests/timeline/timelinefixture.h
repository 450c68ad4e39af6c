#pragma once

#include "core/indicatorutil.h"
#include "store/casestore.h"
#include "store/importsession.h"

#include <QTest>

namespace causa::test {

// A small store for timeline tests: one case with one alert on WS-1 at kT0, events of every
// kind group around it on WS-1, and events on WS-2 (another host) that must never show up.
inline constexpr qint64 kT0 = 1760000000000; // 2025-10-09 08:53:20 UTC

struct TimelineFixture
{
    qint64 caseId = 0;
};

inline EventRecord fixtureEvent(const QString &host, int n, const QString &kind, qint64 ts,
                                const QString &summary, const QString &processKey = {})
{
    EventRecord e;
    e.key = QStringLiteral("tl|%1|%2").arg(host).arg(n);
    e.endpointKey = indicator::endpointKey(host);
    e.hostName = host;
    e.kind = kind;
    e.timestamp = ts;
    e.summary = summary;
    e.processKey = processKey;
    e.eventCode = 1;
    e.channel = QStringLiteral("Microsoft-Windows-Sysmon/Operational");
    e.data = "{}";
    return e;
}

inline TimelineFixture buildTimelineFixture(CaseStore &store)
{
    TimelineFixture f;
    ImportSession s(store, QStringLiteral("test"));
    if (!s.begin())
        return f;
    CaseRecord c;
    c.source = QStringLiteral("test");
    c.sourceRef = QStringLiteral("tl-1");
    c.title = QStringLiteral("Timeline case");
    c.severity = Severity::High;
    auto id = s.upsertCase(c);
    if (!id)
        return f;
    f.caseId = id.value();
    AlertRecord a;
    a.key = QStringLiteral("test|tl-alert-1");
    a.source = QStringLiteral("XDR Agent");
    a.alertId = QStringLiteral("1");
    a.name = QStringLiteral("PsExec-like LOLBin");
    a.severity = Severity::High;
    a.detectedAt = kT0;
    a.hostName = QStringLiteral("WS-1");
    a.endpoint.key = indicator::endpointKey(a.hostName);
    a.endpoint.hostName = a.hostName;
    if (!s.addAlert(f.caseId, a))
        return f;
    ProcessRecord p;
    p.key = QStringLiteral("ws-1|guid-reg");
    p.endpointKey = QStringLiteral("ws-1");
    p.imageName = QStringLiteral("reg.exe");
    p.pid = 4242;
    p.startedAt = kT0 - 1000;
    (void)s.upsertProcess(p);
    const QList<std::pair<QString, qint64>> ws1 = {
        {QStringLiteral("process_create"), -30 * 60000},
        {QStringLiteral("process_create"), -1000},
        {QStringLiteral("network"), 5000},
        {QStringLiteral("dns"), 6000},
        {QStringLiteral("file"), 60000},
        {QStringLiteral("registry"), 61000},
        {QStringLiteral("service_install"), -2000},
        {QStringLiteral("pipe"), -1500},
        {QStringLiteral("logon"), -3 * 60000},
        {QStringLiteral("script"), 3 * 60 * 60000},
    };
    int n = 0;
    for (const auto &[kind, offset] : ws1)
        (void)s.addEvent(fixtureEvent(QStringLiteral("WS-1"), n++, kind, kT0 + offset,
                                      kind == QLatin1String("registry")
                                          ? QStringLiteral("reg save HKLM\\security 100%_done")
                                          : QStringLiteral("%1 on WS-1").arg(kind),
                                      kind == QLatin1String("registry") ? p.key : QString()));
    for (int i = 0; i < 5; ++i)
        (void)s.addEvent(fixtureEvent(QStringLiteral("WS-2"), 100 + i,
                                      QStringLiteral("process_create"), kT0 + i,
                                      QStringLiteral("other host")));
    (void)s.commit(QStringLiteral("timeline fixture"));
    return f;
}

} // namespace causa::test
