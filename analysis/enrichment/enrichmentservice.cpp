#include "enrichmentservice.h"

#include "abuseipdbprovider.h"
#include "builtinprovider.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "core/logging.h"
#include "enrichmentpolicy.h"
#include "localintelprovider.h"
#include "store/auditlog.h"
#include "store/casestore.h"
#include "store/enrichmentstore.h"
#include "store/intelstore.h"
#include "store/sqlutil.h"
#include "virustotalprovider.h"

#include <QEventLoop>
#include <QHash>
#include <QNetworkAccessManager>
#include <QSet>

#include <nlohmann/json.hpp>

namespace causa {

namespace {

// WildFire verdicts inside an alert as received: any object with "<prefix>wildfire_verdict" and
// "<prefix>sha256" (file_artifacts rows, action_file_* fields), plus is_malicious flags.
void collectVerdicts(const nlohmann::json &node, QHash<QString, QStringList> &out, int depth = 0)
{
    if (depth > 64)
        return;
    if (node.is_array()) {
        for (const auto &v : node)
            collectVerdicts(v, out, depth + 1);
        return;
    }
    if (!node.is_object())
        return;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string &key = it.key();
        static const std::string suffix = "wildfire_verdict";
        if (key.size() >= suffix.size() &&
            key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0 &&
            it->is_string()) {
            const std::string prefix = key.substr(0, key.size() - suffix.size());
            for (const std::string &hk : {prefix + "sha256", prefix + "image_sha256"}) {
                const QString hash = js::str(node, hk.c_str()).toLower();
                if (!hash.isEmpty())
                    out[hash] << QString::fromStdString(it->get<std::string>());
            }
        }
        if (key == "is_malicious" && it->is_boolean() && it->get<bool>()) {
            const QString hash = js::str(node, "file_sha256").toLower();
            if (!hash.isEmpty())
                out[hash] << QStringLiteral("MALWARE");
        }
        if (it->is_structured())
            collectVerdicts(*it, out, depth + 1);
    }
}

// A cached result is used while both its stored expiry and the provider's current TTL allow.
bool isFresh(const ProviderResult &r, const EnrichmentProvider &provider, qint64 now)
{
    return r.error.isEmpty() && r.expiresAt > now && r.fetchedAt + provider.ttlMs() > now;
}

bool isHash(const QString &type)
{
    return type == QLatin1String("sha256") || type == QLatin1String("sha1") ||
           type == QLatin1String("md5");
}

// Online results not refreshed this time (offline, no key, withheld) are still shown from the
// cache: they are already on this machine.
void addCachedRemoteResults(const std::vector<EnrichmentSubject> &subjects,
                            const QHash<qint64, QHash<QString, ProviderResult>> &cached,
                            std::vector<std::vector<ProviderResult>> &results)
{
    for (size_t i = 0; i < subjects.size(); ++i) {
        const auto perProvider = cached.value(subjects[i].indicatorId);
        for (auto it = perProvider.cbegin(); it != perProvider.cend(); ++it) {
            if (it.key() == QLatin1String("local-intel") || it.key() == QLatin1String("builtin") ||
                it.key() == QLatin1String("wildfire"))
                continue;
            const bool present =
                std::any_of(results[i].begin(), results[i].end(),
                            [&](const ProviderResult &r) { return r.provider == it.key(); });
            if (!present)
                results[i].push_back(it.value());
        }
    }
}

} // namespace

EnrichmentService::EnrichmentService(CaseStore &store, EnrichmentSettings settings)
    : m_store(store), m_settings(std::move(settings))
{}

EnrichmentService::~EnrichmentService() = default;

EnrichmentService::Providers EnrichmentService::makeProviders(bool withNetwork) const
{
    Providers p;
    p.list.push_back(std::make_unique<LocalIntelProvider>());
    p.list.push_back(std::make_unique<WildfireProvider>());
    p.list.push_back(std::make_unique<BuiltinProvider>());
    if (m_settings.offline) {
        p.notes << QStringLiteral("offline mode: no online lookups");
        return p;
    }
    if (withNetwork)
        p.network = std::make_unique<QNetworkAccessManager>();
    auto add = [&](std::unique_ptr<HttpProvider> provider, const char *envName) {
        if (!provider->config().enabled) {
            p.notes << QStringLiteral("%1: disabled").arg(provider->name());
        } else if (!provider->hasKey()) {
            p.notes
                << QStringLiteral(
                       "%1: no API key (workbench: Settings > Enrichment; causa-cli secret set %2; or the environment variable %3)")
                       .arg(provider->name(), provider->name(), QLatin1String(envName));
        } else {
            p.list.push_back(std::move(provider));
        }
    };
    add(std::make_unique<VirusTotalProvider>(m_settings.virusTotal, p.network.get()),
        "CAUSA_VT_API_KEY");
    add(std::make_unique<AbuseIpDbProvider>(m_settings.abuseIpDb, p.network.get()),
        "CAUSA_ABUSEIPDB_API_KEY");
    return p;
}

Result<std::vector<EnrichmentSubject>> EnrichmentService::gatherSubjects(qint64 caseId) const
{
    auto c = m_store.caseSummary(caseId);
    if (!c)
        return c.error();
    auto conn = m_store.connection();
    if (!conn)
        return conn.error();
    const QSqlDatabase db = conn.value();
    auto subjects = enrichmentstore::subjectsOfCase(db, caseId);
    if (!subjects)
        return subjects.error();
    auto processes = enrichmentstore::processesOfCase(db, caseId);
    if (!processes)
        return processes.error();
    auto raws = enrichmentstore::alertRawsOfCase(db, caseId);
    if (!raws)
        return raws.error();
    QHash<QString, QStringList> verdicts;
    for (const QString &raw : raws.value()) {
        const auto doc = nlohmann::json::parse(raw.toStdString(), nullptr, false);
        if (!doc.is_discarded())
            collectVerdicts(doc, verdicts);
    }
    for (EnrichmentSubject &s : subjects.value()) {
        s.caseTlp = c->tlp;
        s.casePap = c->pap;
        auto intel = intelstore::lookup(db, s.type, s.value);
        if (!intel)
            return intel.error();
        s.intel = std::move(intel.value());
        if (!isHash(s.type))
            continue;
        for (const auto &h : processes.value())
            if (h.sha256 == s.value || h.sha1 == s.value || h.md5 == s.value)
                s.processes.push_back(h.process);
        s.wildfireVerdicts = verdicts.value(s.value);
    }
    return subjects;
}

EnrichmentReport EnrichmentService::assemble(qint64 caseId,
                                             const std::vector<EnrichmentSubject> &subjects,
                                             std::vector<std::vector<ProviderResult>> results,
                                             std::vector<std::vector<Withheld>> withheld) const
{
    EnrichmentReport report;
    report.caseId = caseId;
    report.offline = m_settings.offline;
    report.generatedAt = sql::nowMs();
    for (size_t i = 0; i < subjects.size(); ++i) {
        const EnrichmentSubject &s = subjects[i];
        IndicatorEnrichment e;
        e.indicatorId = s.indicatorId;
        e.type = s.type;
        e.value = s.value;
        e.internal = s.internal;
        e.manualScore = s.manualScore;
        e.manualReason = s.manualReason;
        e.manualBy = s.manualBy;
        e.results = std::move(results[i]);
        std::sort(e.results.begin(), e.results.end(),
                  [](const ProviderResult &a, const ProviderResult &b) {
                      return a.provider < b.provider;
                  });
        e.withheld = std::move(withheld[i]);
        e.mergedScore = enrichment::mergeScore(e.results, s.manualScore, &e.decidedBy);
        report.indicators.push_back(std::move(e));
    }
    return report;
}

Result<EnrichmentReport> EnrichmentService::enrichCase(qint64 caseId)
{
    auto gathered = gatherSubjects(caseId);
    if (!gathered)
        return gathered.error();
    const std::vector<EnrichmentSubject> &subjects = gathered.value();
    auto cached = cachedResultsOf(caseId);
    if (!cached)
        return cached.error();
    Providers providers = makeProviders(true);
    Round round;
    lookUp(subjects, providers, cached.value(), round);
    addCachedRemoteResults(subjects, cached.value(), round.results);
    if (!round.fresh.empty()) {
        auto saved = m_store.transaction(
            [&](QSqlDatabase &db) { return enrichmentstore::saveResults(db, round.fresh); });
        if (!saved)
            return saved.error();
    }
    EnrichmentReport report =
        assemble(caseId, subjects, std::move(round.results), std::move(round.withheld));
    report.notes = providers.notes;
    return report;
}

Result<EnrichmentService::CachedResults> EnrichmentService::cachedResultsOf(qint64 caseId) const
{
    auto conn = m_store.connection();
    if (!conn)
        return conn.error();
    auto cachedRows = enrichmentstore::cachedResults(conn.value(), caseId);
    if (!cachedRows)
        return cachedRows.error();
    CachedResults cached;
    for (auto &[id, r] : cachedRows.value())
        cached[id].insert(r.provider, r);
    return cached;
}

void EnrichmentService::lookUp(const std::vector<EnrichmentSubject> &subjects,
                               const Providers &providers, const CachedResults &cached,
                               Round &round) const
{
    // Local providers answer at once; online ones (unless withheld or cached and fresh) answer
    // later, and a local event loop waits for the last of them.
    round.results.resize(subjects.size());
    round.withheld.resize(subjects.size());
    const qint64 now = sql::nowMs();
    int pending = 0;
    QEventLoop loop;
    bool waiting = false;
    for (size_t i = 0; i < subjects.size(); ++i) {
        const EnrichmentSubject &s = subjects[i];
        for (const auto &provider : providers.list) {
            if (!provider->supports(s))
                continue;
            if (!provider->isRemote()) {
                ProviderResult r = static_cast<LocalProvider &>(*provider).evaluate(s);
                if (r.score == Score::Unknown && r.verdict.isEmpty() && r.error.isEmpty())
                    continue;
                r.fetchedAt = now;
                r.expiresAt = now + provider->ttlMs();
                round.fresh.emplace_back(s.indicatorId, r);
                round.results[i].push_back(std::move(r));
                continue;
            }
            if (const QString reason = enrichment::withheldReason(s, m_settings.offline);
                !reason.isEmpty()) {
                round.withheld[i].push_back({provider->name(), reason});
                continue;
            }
            const auto c = cached.value(s.indicatorId).constFind(provider->name());
            if (c != cached.value(s.indicatorId).cend() && isFresh(*c, *provider, now)) {
                round.results[i].push_back(*c);
                continue;
            }
            ++pending;
            provider->lookup(s, [&, i, id = s.indicatorId](ProviderResult r) {
                if (r.error.isEmpty())
                    round.fresh.emplace_back(id, r);
                else
                    qCWarning(lcNet) << r.provider << "lookup failed:" << r.error;
                round.results[i].push_back(std::move(r));
                if (--pending == 0 && waiting)
                    loop.quit();
            });
        }
    }
    if (pending > 0) {
        waiting = true;
        loop.exec();
    }
}

Result<EnrichmentReport> EnrichmentService::cachedReport(qint64 caseId) const
{
    auto gathered = gatherSubjects(caseId);
    if (!gathered)
        return gathered.error();
    const std::vector<EnrichmentSubject> &subjects = gathered.value();
    auto conn = m_store.connection();
    if (!conn)
        return conn.error();
    auto cachedRows = enrichmentstore::cachedResults(conn.value(), caseId);
    if (!cachedRows)
        return cachedRows.error();
    QHash<qint64, size_t> index;
    for (size_t i = 0; i < subjects.size(); ++i)
        index.insert(subjects[i].indicatorId, i);
    std::vector<std::vector<ProviderResult>> results(subjects.size());
    std::vector<std::vector<Withheld>> withheld(subjects.size());
    for (auto &[id, r] : cachedRows.value())
        if (auto it = index.constFind(id); it != index.cend())
            results[*it].push_back(std::move(r));
    const Providers providers = makeProviders(false);
    for (size_t i = 0; i < subjects.size(); ++i)
        for (const auto &p : providers.list)
            if (p->isRemote() && p->supports(subjects[i]))
                if (const QString reason =
                        enrichment::withheldReason(subjects[i], m_settings.offline);
                    !reason.isEmpty())
                    withheld[i].push_back({p->name(), reason});
    EnrichmentReport report = assemble(caseId, subjects, std::move(results), std::move(withheld));
    report.notes = providers.notes;
    return report;
}

std::vector<OutboundRequest> EnrichmentService::preview(qint64 caseId) const
{
    std::vector<OutboundRequest> out;
    if (m_settings.offline)
        return out;
    auto gathered = gatherSubjects(caseId);
    if (!gathered)
        return out;
    auto conn = m_store.connection();
    if (!conn)
        return out;
    auto cachedRows = enrichmentstore::cachedResults(conn.value(), caseId);
    if (!cachedRows)
        return out;
    const qint64 now = sql::nowMs();
    const Providers providers = makeProviders(false);
    QSet<QString> fresh;
    for (const auto &[id, r] : cachedRows.value())
        for (const auto &p : providers.list)
            if (p->name() == r.provider && isFresh(r, *p, now))
                fresh.insert(QString::number(id) + QLatin1Char('|') + r.provider);
    for (const EnrichmentSubject &s : gathered.value()) {
        for (const auto &p : providers.list) {
            if (!p->isRemote() || !p->supports(s) ||
                !enrichment::withheldReason(s, false).isEmpty() ||
                fresh.contains(QString::number(s.indicatorId) + QLatin1Char('|') + p->name()))
                continue;
            if (auto req = p->request(s, true))
                out.push_back(std::move(*req));
        }
    }
    return out;
}

Result<void> EnrichmentService::setManualVerdict(qint64 indicatorId, Score score, QString reason,
                                                 QString analyst)
{
    reason = reason.trimmed();
    analyst = analyst.trimmed();
    if (reason.isEmpty())
        return makeError(errc::kUsage, QStringLiteral("a manual verdict needs a reason"));
    if (analyst.isEmpty())
        return makeError(errc::kUsage, QStringLiteral("a manual verdict needs the analyst's name"));
    if (int(score) < 0 || int(score) > 3)
        return makeError(errc::kUsage, QStringLiteral("a score is 0-3"));
    return m_store.transaction([&](QSqlDatabase &db) -> Result<void> {
        auto before = enrichmentstore::subject(db, indicatorId);
        if (!before)
            return before.error();
        auto cases =
            enrichmentstore::setManualVerdict(db, indicatorId, int(score), reason, analyst);
        if (!cases)
            return cases.error();
        nlohmann::json payload{{"indicator_id", indicatorId},
                               {"type", js::toStd(before->type)},
                               {"value", js::toStd(before->value)},
                               {"score", int(score)},
                               {"verdict", js::toStd(scoreName(score))},
                               {"reason", js::toStd(reason)}};
        if (before->manualScore >= 0)
            payload["previous_score"] = before->manualScore;
        const QString text = QString::fromStdString(payload.dump());
        // The audit chain is per case; an indicator in no case is audited in the store-wide chain 0.
        std::vector<qint64> targets = cases.value();
        if (targets.empty())
            targets.push_back(0);
        for (const qint64 caseId : targets)
            if (auto e = audit::append(db, caseId, analyst, QStringLiteral("manual_verdict"), text);
                !e)
                return e.error();
        return {};
    });
}

} // namespace causa
