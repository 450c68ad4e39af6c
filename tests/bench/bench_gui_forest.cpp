// Benchmark: the process-tree panel over a large forest (SPEC §7: 100k nodes stay fluid).
// Builds a synthetic forest of N processes on one host (bushy under a few roots, some deep
// chains), then times the real panel: setForest (model rows + first expansion + column
// sizing), the first paint, a full expansion, and scrolling to the end and back.
// Usage: bench_gui_forest [PROCESSES]
#include "forest/forestbuilder.h"
#include "panels/processtreepanel.h"
#include "processtreemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTreeView>

#include <cstdio>

using namespace causa;

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? atoi(argv[1]) : 100000;

    ForestInput in;
    in.processes.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        ProcessRecord r;
        r.source = QStringLiteral("sysmon");
        r.endpointKey = QStringLiteral("ws-001");
        r.key = QStringLiteral("ws-001|guid:{%1}").arg(i);
        // Parents: 10 roots; most processes under a recent one, every 50th continues a chain.
        if (i >= 10) {
            const int parent = i % 50 == 0 ? i - 1 : (i * 7919) % i;
            r.parentKey = QStringLiteral("ws-001|guid:{%1}").arg(parent);
        }
        r.imageName = i % 3 ? QStringLiteral("cmd.exe") : QStringLiteral("powershell.exe");
        r.imagePath = QStringLiteral("C:\\Windows\\System32\\") + r.imageName;
        r.commandLine = r.imagePath + QStringLiteral(" /c job ") + QString::number(i);
        r.pid = 4 * (i % 4096 + 1);
        r.user = QStringLiteral("CORP\\user%1").arg(i % 97);
        r.startedAt = 1700000000000 + qint64(i) * 100;
        in.processes.push_back(std::move(r));
    }
    auto scoped = std::make_shared<ScopedForest>();
    QElapsedTimer t;
    t.start();
    scoped->forest = ProcessForest::build(std::move(in));
    scoped->roots.assign(scoped->forest.roots().begin(), scoped->forest.roots().end());
    scoped->hosts << QStringLiteral("ws-001");
    std::printf("forest: %d nodes, %zu roots built in %.3f s\n", scoped->forest.size(),
                scoped->roots.size(), double(t.nsecsElapsed()) / 1e9);

    ProcessTreePanel panel;
    panel.resize(1280, 800);
    panel.show();
    t.restart();
    panel.setForest(scoped);
    std::printf("setForest (rows, expand to depth 4, column sizing): %.3f s\n",
                double(t.nsecsElapsed()) / 1e9);
    t.restart();
    panel.grab();
    std::printf("first paint: %.3f s\n", double(t.nsecsElapsed()) / 1e9);
    t.restart();
    panel.view()->expandAll();
    panel.grab();
    std::printf("expand all + paint: %.3f s\n", double(t.nsecsElapsed()) / 1e9);
    t.restart();
    QScrollBar *bar = panel.view()->verticalScrollBar();
    for (int step = 0; step <= 20; ++step) {
        bar->setValue(bar->maximum() * step / 20);
        panel.grab();
    }
    bar->setValue(0);
    panel.grab();
    std::printf("scroll end to end in 21 steps, painting each: %.3f s (%.1f ms per step)\n",
                double(t.nsecsElapsed()) / 1e9, double(t.nsecsElapsed()) / 1e6 / 22);
    return 0;
}
