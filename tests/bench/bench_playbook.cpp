// Playbook engine figures: a full run of the sample playbook (all nine stages persisted with
// their audit entries) and approval throughput through the conditional-update path.
#include "connectors/exportconnector.h"
#include "import/importdispatcher.h"
#include "playbook/playbookengine.h"
#include "store/actionstore.h"
#include "store/auditlog.h"
#include "testutils.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace causa;
using nlohmann::json;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    test::TempStore ts;
    auto imported = ImportDispatcher(ts.store())
                        .importFile(test::sourceDir() +
                                    QStringLiteral("/resources/samples/fin-ws-042-incident.json"));
    if (!imported)
        return 1;
    const qint64 caseId = ts.store().cases()->front().id;
    StageServices services;
    services.huntCase = [](qint64) -> Result<json> {
        return json{{"hits", json::array({{{"ref", "event:1"}}})}};
    };
    PlaybookEngine engine(ts.store(),
                          PlaybookDefinition::load(QStringLiteral("remote-psexec-lolbin")).value(),
                          services);
    QTemporaryDir dir;
    engine.setConnectors(
        std::make_shared<ExportConnector>(dir.path(), QByteArray("bench-key-0123456789")));

    constexpr int kRuns = 200;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < kRuns; ++i) {
        auto run = engine.start(caseId, {}, QStringLiteral("bench"));
        if (!run || !engine.runAll(run->id, QStringLiteral("bench")))
            return 2;
    }
    const double runMs = double(t.nsecsElapsed()) / 1e6 / kRuns;
    std::printf(
        "playbook run to first approval (9 stages, SQLite WAL): %.2f ms per run (%d runs)\n", runMs,
        kRuns);

    // Approvals: each one is a transaction with a conditional update and an audit entry.
    constexpr int kActions = 2000;
    std::vector<qint64> ids;
    (void)ts.store().transaction([&](QSqlDatabase &db) -> Result<void> {
        for (int i = 0; i < kActions; ++i) {
            ActionRecord a;
            a.caseId = caseId;
            a.kind = QStringLiteral("block_ip");
            a.target = QStringLiteral("198.51.100.%1/%2").arg(i % 250).arg(i);
            a.idempotencyKey = QStringLiteral("bench-%1").arg(i);
            auto s = actionstore::insert(db, a, nullptr);
            if (!s)
                return s.error();
            ids.push_back(s->id);
            if (auto r = actionstore::markAwaiting(db, s->id); !r)
                return r;
        }
        return {};
    });
    t.restart();
    for (qint64 id : ids)
        if (!actionstore::decide(ts.store(), id, QStringLiteral("alice"), true, QString()))
            return 3;
    const double perSec = kActions / (double(t.nsecsElapsed()) / 1e9);
    std::printf("approvals: %.0f per second (%d, each its own transaction)\n", perSec, kActions);
    t.restart();
    auto v = audit::verify(ts.store().connection().value(), caseId);
    std::printf("verify-audit over %lld entries: %.1f ms, intact=%d\n",
                static_cast<long long>(v->entries), double(t.nsecsElapsed()) / 1e6, int(v->intact));
    return 0;
}
