#include "playbooktestutil.h"

#include "core/jsonutil.h"
#include "import/importdispatcher.h"
#include "testutils.h"

#include <QFile>
#include <QTemporaryDir>

namespace causa::test {

using nlohmann::json;

qint64 importSample(CaseStore &store, const std::function<void(json &)> &mutate)
{
    QFile f(sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    json doc = json::parse(f.readAll().toStdString());
    if (mutate)
        mutate(doc["reply"]);
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/incident.json");
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return -1;
    out.write(QByteArray::fromStdString(doc.dump()));
    out.close();
    auto r = ImportDispatcher(store).importFile(path);
    if (!r)
        return -1;
    auto cases = store.cases();
    if (!cases || cases->empty())
        return -1;
    return cases->front().id;
}

StageServices makeServices(CaseStore &store, const ScriptedServices &s)
{
    StageServices out;
    if (s.cmdVerdict) {
        const QString verdict = *s.cmdVerdict;
        const bool flag = s.cmdFlag;
        out.analyzeCommandLine = [verdict, flag](const QString &line) -> Result<json> {
            const int score = verdict == QLatin1String("malicious")    ? 90
                              : verdict == QLatin1String("suspicious") ? 40
                                                                       : 5;
            return json{{"command_line", js::toStd(line)},
                        {"verdict", js::toStd(verdict)},
                        {"score", score},
                        {"flags", {{"base64", flag}, {"AMSI", false}}}};
        };
    }
    if (s.high) {
        const int high = *s.high, critical = s.critical;
        out.investigateEndpoint = [high, critical](qint64, qint64 windowMs) -> Result<json> {
            return json{{"high", high},
                        {"critical", critical},
                        {"by_tactic", json::object()},
                        {"window", windowMs}};
        };
    }
    if (s.huntHits) {
        const int hits = *s.huntHits;
        out.huntCase = [hits](qint64) -> Result<json> {
            json list = json::array();
            for (int i = 0; i < hits; ++i)
                list.push_back({{"kind", "event"},
                                {"ref", "event:" + std::to_string(i + 1)},
                                {"detail", "remote IP seen"}});
            return json{{"hits", list}};
        };
    }
    if (s.scores) {
        const auto scores = *s.scores;
        CaseStore *st = &store;
        out.enrichCase = [scores, st](qint64 caseId) -> Result<json> {
            auto inds = st->indicatorsOfCase(caseId);
            if (!inds)
                return inds.error();
            json list = json::array();
            for (const CaseIndicator &i : inds.value()) {
                const auto it = scores.find(i.value);
                list.push_back({{"indicator_id", i.indicatorId},
                                {"type", js::toStd(i.type)},
                                {"value", js::toStd(i.value)},
                                {"score", it == scores.end() ? 0 : it->second}});
            }
            return json{{"indicators", list}};
        };
    }
    return out;
}

PlaybookDefinition samplePlaybook()
{
    auto d = PlaybookDefinition::load(QStringLiteral("remote-psexec-lolbin"));
    return d ? d.value() : PlaybookDefinition{};
}

const StageStateRecord *stage(const RunView &v, const QString &stageId)
{
    for (const StageStateRecord &s : v.stages)
        if (s.stageId == stageId)
            return &s;
    return nullptr;
}

QString stageState(const RunView &v, const QString &stageId)
{
    const StageStateRecord *s = stage(v, stageId);
    return s ? QString(toText(s->state)) : QStringLiteral("<missing>");
}

} // namespace causa::test
