// PDF report of a large case (SPEC §12: 1,000 processes, 200 indicators ≤ 2 s). Prints figures.
#include "core/platform.h"
#include "testutils.h"

#include "report/pdfreportwriter.h"
#include "report/reportcomposer.h"
#include "report/reportexporters.h"
#include "store/importsession.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <ctime>

using namespace causa;

namespace {

// One case: 250 alerts × 4 process roles = 1,000 processes in parent chains, 200 indicators.
qint64 buildLargeCase(CaseStore &store)
{
    ImportSession s(store, QStringLiteral("bench"));
    if (!s.begin())
        qFatal("begin");
    CaseRecord c;
    c.source = QStringLiteral("bench");
    c.sourceRef = QStringLiteral("large");
    c.title = QStringLiteral("Large case: remote PsExec-like LOLBIN execution across one endpoint");
    c.severity = Severity::High;
    c.createdAt = 1795078445000;
    const qint64 caseId = s.upsertCase(c).value();
    const qint64 t0 = 1795078445000;
    for (int a = 0; a < 250; ++a) {
        AlertRecord r;
        r.key = QStringLiteral("bench|%1").arg(a);
        r.source = QStringLiteral("XDR Analytics BIOC");
        r.alertId = QString::number(100000 + a);
        r.name = QStringLiteral("Suspicious process execution #%1").arg(a);
        r.severity = a % 7 == 0 ? Severity::High : Severity::Medium;
        r.detectedAt = t0 + qint64(a) * 37'000;
        r.endpoint.key = QStringLiteral("fin-ws-042");
        r.endpoint.hostName = QStringLiteral("FIN-WS-042");
        r.hostName = QStringLiteral("FIN-WS-042");
        r.user = QStringLiteral("CORP\\svc_backup");
        r.mitreTactics = {a % 2 ? QStringLiteral("TA0002 - Execution")
                                : QStringLiteral("TA0008 - Lateral Movement")};
        r.mitreTechniques = {QStringLiteral("T1569.002 - System Services: Service Execution")};
        QString parent;
        for (int role = 0; role < 4; ++role) {
            ProcessRecord p;
            p.key = QStringLiteral("fin-ws-042|xdr:%1-%2").arg(a).arg(role);
            p.parentKey =
                role == 0 ? (a > 0 ? QStringLiteral("fin-ws-042|xdr:%1-0").arg(a - 1) : QString())
                          : parent;
            p.endpointKey = QStringLiteral("fin-ws-042");
            p.imageName =
                QStringList{QStringLiteral("services.exe"), QStringLiteral("psexesvc.exe"),
                            QStringLiteral("cmd.exe"), QStringLiteral("powershell.exe")}[role];
            p.commandLine = QStringLiteral("%1 /c powershell -nop -w hidden -enc %2")
                                .arg(p.imageName)
                                .arg(QString(200 + a % 50, QLatin1Char('A' + a % 26)));
            p.pid = 1000 + a * 4 + role;
            p.startedAt = r.detectedAt - (4 - role) * 1000;
            p.sha256 = QStringLiteral("%1").arg(a * 4 + role, 64, 16, QLatin1Char('0'));
            p.signatureStatus = QStringLiteral("SIGNATURE_UNAVAILABLE");
            parent = p.key;
            r.processes.push_back({static_cast<ProcessRole>(role), p});
        }
        if (auto x = s.addAlert(caseId, r); !x)
            qFatal("%s", qPrintable(x.error().toString()));
    }
    for (int i = 0; i < 200; ++i) {
        IndicatorRecord ind;
        ind.type = i % 2 ? QStringLiteral("ipv4") : QStringLiteral("sha256");
        ind.value = i % 2 ? QStringLiteral("203.0.113.%1").arg(i)
                          : QStringLiteral("%1").arg(i + 7777, 64, 16, QLatin1Char('f'));
        ind.asWritten = ind.value;
        ind.context = QStringLiteral("bench");
        if (auto x = s.addCaseIndicator(caseId, ind); !x)
            qFatal("%s", qPrintable(x.error().toString()));
    }
    if (auto x = s.commit(QStringLiteral("bench")); !x)
        qFatal("%s", qPrintable(x.error().toString()));
    return caseId;
}

} // namespace

int main(int argc, char *argv[])
{
    platform::tuneAllocator(); // as the applications do: the PDF writer's speed depends on it
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    test::TempStore ts;
    const qint64 id = buildLargeCase(ts.store());
    QTemporaryDir dir;
    // CAUSA_BENCH_KEEP=<folder> keeps the PDF there (to look at its pages with pdftoppm).
    const QString keep = qEnvironmentVariable("CAUSA_BENCH_KEEP");
    for (int run = 0; run < 3; ++run) {
        QElapsedTimer t;
        t.start();
        auto data = loadReportData(ts.store(), id);
        if (!data)
            qFatal("%s", qPrintable(data.error().toString()));
        const qint64 loadMs = t.elapsed();
        const size_t processes = data->processes.size(), indicators = data->indicators.size();
        const ReportDocument doc = composeReport(std::move(data).value());
        const qint64 composeMs = t.elapsed() - loadMs;
        const QString pdf = dir.filePath(QStringLiteral("large.pdf"));
        // CPU time too: on a shared machine the wall time mostly measures the neighbours.
        const std::clock_t cpu0 = std::clock();
        auto r = PdfReportWriter().write(doc, pdf);
        const long long pdfCpuMs =
            static_cast<long long>((std::clock() - cpu0) * 1000 / CLOCKS_PER_SEC);
        if (!r)
            qFatal("%s", qPrintable(r.error().toString()));
        const qint64 pdfMs = t.elapsed() - loadMs - composeMs;
        if (!keep.isEmpty() && run == 0)
            QFile::copy(pdf, QDir(keep).filePath(QStringLiteral("bench-large.pdf")));
        t.restart();
        const QByteArray html = report::toHtml(doc);
        const qint64 htmlMs = t.elapsed();
        std::printf(
            "run %d: %zu processes, %zu indicators: load %lld ms, compose %lld ms, PDF %lld ms (CPU %lld ms; "
            "build %lld, layout %lld, paint %lld; %d pages, %lld KB), total %lld ms; HTML %lld ms (%lld KB)\n",
            run + 1, processes, indicators, static_cast<long long>(loadMs),
            static_cast<long long>(composeMs), static_cast<long long>(pdfMs), pdfCpuMs,
            static_cast<long long>(r->buildMs), static_cast<long long>(r->layoutMs),
            static_cast<long long>(r->paintMs), r->pages,
            static_cast<long long>(QFileInfo(pdf).size() / 1024),
            static_cast<long long>(loadMs + composeMs + pdfMs), static_cast<long long>(htmlMs),
            static_cast<long long>(html.size() / 1024));
    }
    return 0;
}
