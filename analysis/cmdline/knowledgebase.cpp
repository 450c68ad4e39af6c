#include "knowledgebase.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"

#include <QFile>

#include <nlohmann/json.hpp>

namespace causa {

namespace {

Result<nlohmann::json> readResource(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kKnowledgeMissing, QStringLiteral("cannot open %1").arg(path), path);
    return js::parseDocument(f.readAll(), path);
}

QList<int> keywords(KeywordMatcher &m, const nlohmann::json &arr)
{
    QList<int> ids;
    if (!arr.is_array())
        return ids;
    for (const auto &k : arr)
        if (k.is_string())
            ids.push_back(m.add(js::toQString(k).toLower()));
    return ids;
}

// Catalogue abuse category -> finding category.
QString findingCategory(const QString &abuse)
{
    if (abuse == QLatin1String("dump") || abuse == QLatin1String("credentials"))
        return QStringLiteral("credential_access");
    if (abuse == QLatin1String("reconnaissance"))
        return QStringLiteral("reconnaissance");
    if (abuse == QLatin1String("upload"))
        return QStringLiteral("exfiltration");
    return QStringLiteral("lolbin_proxy_execution");
}

// The word the catalogue matches a binary by: "certutil.exe" -> "prog:certutil" (a program
// name: "Net.WebClient" is not Net.exe, "net user" and "net.exe use" are).
QString nameKeyword(const QString &name)
{
    QString stem = name.toLower();
    for (const char *ext :
         {".exe", ".dll", ".vbs", ".js", ".ps1", ".bat", ".cmd", ".wsf", ".cpl"}) {
        if (stem.endsWith(QLatin1String(ext))) {
            stem.chop(qsizetype(qstrlen(ext)));
            break;
        }
    }
    return QStringLiteral("prog:") + stem;
}

// A catalogue entry that fetches content is a download cradle as well as a proxy. (Not when the
// catalogue rates the fetch as weak: git clone of a URL is daily work.) An abuse matched by
// nothing but a URL scheme is a fetch too (msiexec /i http://).
bool fetchesContent(const nlohmann::json &a, const QString &abuse, const DetectionRule &rule)
{
    bool urlOnly = a.contains("any") && a["any"].is_array() && !a["any"].empty();
    for (const auto &k : a.value("any", nlohmann::json::array()))
        urlOnly = urlOnly && k.is_string() &&
                  (k.get<std::string>().rfind("http", 0) == 0 ||
                   k.get<std::string>().rfind("hxxp", 0) == 0 ||
                   k.get<std::string>().rfind("ftp://", 0) == 0);
    return (abuse == QLatin1String("download") || rule.mitre == QLatin1String("T1105") ||
            urlOnly) &&
           rule.weight >= 20;
}

} // namespace

Result<std::shared_ptr<const KnowledgeBase>>
KnowledgeBase::loadBuiltIn(const QList<CustomRule> &custom)
{
    auto rules = readResource(QStringLiteral(":/causa/knowledge/cmdline-rules.json"));
    if (!rules)
        return rules.error();
    auto lolbins = readResource(QStringLiteral(":/causa/knowledge/lolbins.json"));
    if (!lolbins)
        return lolbins.error();
    auto attack = readResource(QStringLiteral(":/causa/knowledge/attack-techniques.json"));
    if (!attack)
        return attack.error();
    return fromJson(rules.value(), lolbins.value(), attack.value(), custom);
}

Result<std::shared_ptr<const KnowledgeBase>>
KnowledgeBase::fromJson(const nlohmann::json &rulesDoc, const nlohmann::json &lolbinDoc,
                        const nlohmann::json &attackDoc, const QList<CustomRule> &custom)
{
    auto kb = std::make_shared<KnowledgeBase>();
    kb->readTechniques(attackDoc);
    if (auto rules = kb->readRules(rulesDoc); !rules)
        return rules.error();
    kb->readVendorDomains(rulesDoc);
    kb->readLolbins(lolbinDoc);
    kb->addCustomRules(custom);
    for (const char *shell : {"powershell", "pwsh", "cmd"})
        kb->m_shellKeywords << kb->m_matcher.add(QString::fromLatin1(shell));
    kb->m_matcher.build();
    kb->indexByKeyword();
    return std::shared_ptr<const KnowledgeBase>(std::move(kb));
}

void KnowledgeBase::readTechniques(const nlohmann::json &attackDoc)
{
    if (!attackDoc.contains("techniques") || !attackDoc["techniques"].is_object())
        return;
    for (auto it = attackDoc["techniques"].begin(); it != attackDoc["techniques"].end(); ++it) {
        const QString id = QString::fromStdString(it.key());
        m_techniqueNames.insert(id, js::str(it.value(), "name"));
        m_techniqueTactics.insert(id, js::str(it.value(), "tactic"));
    }
}

Result<void> KnowledgeBase::readRules(const nlohmann::json &rulesDoc)
{
    const auto &ruleList = rulesDoc.contains("rules") ? rulesDoc["rules"] : nlohmann::json::array();
    for (const auto &r : ruleList) {
        DetectionRule rule;
        rule.id = js::str(r, "id");
        rule.category = js::str(r, "category");
        rule.mitre = js::str(r, "mitre");
        rule.tactic = js::str(r, "tactic");
        rule.description = js::str(r, "description");
        rule.weight = int(js::int64(r, "weight"));
        rule.all = keywords(m_matcher, r.value("all", nlohmann::json::array()));
        rule.any = keywords(m_matcher, r.value("any", nlohmann::json::array()));
        rule.none = keywords(m_matcher, r.value("none", nlohmann::json::array()));
        if (rule.id.isEmpty() || rule.category.isEmpty() ||
            (rule.all.isEmpty() && rule.any.isEmpty()))
            return makeError(
                errc::kKnowledgeRule,
                QStringLiteral("rule '%1' needs id, category and keywords").arg(rule.id));
        if (rule.tactic.isEmpty())
            rule.tactic = m_techniqueTactics.value(rule.mitre);
        m_rules.push_back(std::move(rule));
    }
    return {};
}

void KnowledgeBase::readVendorDomains(const nlohmann::json &rulesDoc)
{
    const auto &vendorList = rulesDoc.is_object() && rulesDoc.contains("vendor_download_domains")
                                 ? rulesDoc["vendor_download_domains"]
                                 : nlohmann::json::array();
    for (const auto &d : vendorList)
        if (d.is_string())
            m_vendorDomains << QString::fromStdString(d.get<std::string>()).toLower();
}

void KnowledgeBase::readLolbins(const nlohmann::json &lolbinDoc)
{
    const auto &entries =
        lolbinDoc.contains("entries") ? lolbinDoc["entries"] : nlohmann::json::array();
    for (const auto &e : entries) {
        LolbinEntry entry;
        entry.name = js::str(e, "name");
        entry.kind = js::str(e, "kind");
        if (entry.name.isEmpty())
            continue;
        const QString key = e.contains("match") ? js::str(e, "match") : nameKeyword(entry.name);
        entry.nameKeyword = m_matcher.add(key);
        addAbuseRules(entry, e.value("abuse", nlohmann::json::array()));
        m_lolbinNames << entry.name.toLower();
        m_lolbins.push_back(std::move(entry));
    }
}

void KnowledgeBase::addAbuseRules(LolbinEntry &entry, const nlohmann::json &abuses)
{
    int n = 0;
    bool fetchAdded = false; // one download_cradle companion per entry: more say nothing new
    for (const auto &a : abuses) {
        DetectionRule rule;
        const QString abuse = js::str(a, "category");
        if (!entry.categories.contains(abuse))
            entry.categories << abuse;
        rule.id = QStringLiteral("lolbin:%1:%2").arg(entry.name.toLower()).arg(++n);
        rule.category = findingCategory(abuse);
        rule.mitre = js::str(a, "mitre");
        rule.tactic = m_techniqueTactics.value(rule.mitre, QStringLiteral("defense-evasion"));
        rule.description =
            entry.name + QStringLiteral(": ") + abuse +
            (a.contains("description")
                 ? QStringLiteral(" (") + js::str(a, "description") + QLatin1Char(')')
                 : QString());
        rule.weight = int(js::int64(a, "weight", 50));
        rule.all = {entry.nameKeyword};
        rule.all += keywords(m_matcher, a.value("all", nlohmann::json::array()));
        rule.any = keywords(m_matcher, a.value("any", nlohmann::json::array()));
        rule.none = keywords(m_matcher, a.value("none", nlohmann::json::array()));
        rule.lolbinAbuse = true;
        const bool fetches = fetchesContent(a, abuse, rule);
        DetectionRule fetch = rule;
        m_rules.push_back(std::move(rule));
        if (fetches && !fetchAdded) {
            fetchAdded = true;
            fetch.id += QStringLiteral(":fetch");
            fetch.category = QStringLiteral("download_cradle");
            fetch.tactic = QStringLiteral("command-and-control");
            fetch.mitre = QStringLiteral("T1105");
            fetch.weight = qMin(fetch.weight / 2, 25);
            fetch.lolbinAbuse = false;
            m_rules.push_back(std::move(fetch));
        }
    }
}

void KnowledgeBase::addCustomRules(const QList<CustomRule> &custom)
{
    for (const CustomRule &c : custom) {
        if (c.kind == QLatin1String("allowlist")) {
            m_allowlist.push_back(c);
            continue;
        }
        DetectionRule rule;
        rule.id = QStringLiteral("custom:%1:v%2").arg(c.name).arg(c.version);
        rule.category = c.category.isEmpty() ? QStringLiteral("suspicious_parameters") : c.category;
        rule.weight = qBound(0, c.weight, 100);
        rule.description = QStringLiteral("custom pattern '%1' v%2").arg(c.name).arg(c.version);
        for (const QString &part : c.pattern.split(QLatin1String("&&"), Qt::SkipEmptyParts)) {
            const QString k = part.trimmed().toLower();
            if (!k.isEmpty())
                rule.all.push_back(m_matcher.add(k));
        }
        if (rule.all.isEmpty())
            continue;
        m_rules.push_back(std::move(rule));
    }
}

void KnowledgeBase::indexByKeyword()
{
    m_rulesByKeyword.assign(size_t(m_matcher.size()), {});
    m_lolbinsByKeyword.assign(size_t(m_matcher.size()), {});
    for (int ri = 0; ri < m_rules.size(); ++ri) {
        const DetectionRule &rule = m_rules[ri];
        if (!rule.all.isEmpty()) {
            m_rulesByKeyword[size_t(rule.all.first())].push_back(ri);
        } else {
            for (int id : rule.any)
                m_rulesByKeyword[size_t(id)].push_back(ri);
        }
    }
    for (int li = 0; li < m_lolbins.size(); ++li)
        m_lolbinsByKeyword[size_t(m_lolbins[li].nameKeyword)].push_back(li);
}

} // namespace causa
