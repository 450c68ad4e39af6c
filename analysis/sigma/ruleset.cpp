#include "ruleset.h"

#include "compiledset.h"
#include "core/errorcodes.h"
#include "core/logging.h"
#include "prefilter.h"
#include "ruleparser.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace causa::sigma {

using namespace detail;

int CompiledSet::internField(const std::string &name)
{
    const std::string key = asciiLower(name);
    const auto it = fieldIds.find(key);
    if (it != fieldIds.end())
        return it->second;
    const int id = int(fieldNames.size());
    fieldNames.push_back(key);
    fieldIds.emplace(key, id);
    return id;
}

RuleSet::RuleSet() : m_compiled(std::make_unique<CompiledSet>()) {}
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet &&) noexcept = default;
RuleSet &RuleSet::operator=(RuleSet &&) noexcept = default;

Result<RuleSet> RuleSet::fromPaths(const QStringList &paths)
{
    RuleSet set;
    for (const QString &p : paths)
        if (auto r = set.add(p); !r)
            return r.error();
    set.compile();
    return set;
}

Result<void> RuleSet::add(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(errc::kNotFound, QStringLiteral("no such rule file or folder"), path);
    QStringList files;
    if (info.isDir()) {
        QDirIterator it(path, {QStringLiteral("*.yml"), QStringLiteral("*.yaml")}, QDir::Files,
                        QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
        while (it.hasNext())
            files << it.next();
        files.sort(); // the same order on every file system
    } else {
        files << path;
    }
    for (const QString &f : std::as_const(files)) {
        QFile file(f);
        if (!file.open(QIODevice::ReadOnly)) {
            if (!info.isDir())
                return makeError(errc::kIo, file.errorString(), f);
            m_compiled->skipped.push_back({f, QStringLiteral("unreadable: ") + file.errorString()});
            continue;
        }
        // A rule is a few kilobytes: anything far larger is not one.
        if (file.size() > 4 * 1024 * 1024) {
            m_compiled->skipped.push_back({f, QStringLiteral("larger than 4 MiB")});
            continue;
        }
        addText(file.readAll(), f);
    }
    return {};
}

void RuleSet::addText(const QByteArray &yaml, const QString &path)
{
    RuleDraft draft;
    QString reason;
    if (!parseRule(yaml, path, draft, &reason)) {
        m_compiled->skipped.push_back({path, reason});
        return;
    }
    std::vector<LogTarget> targets =
        targetsFor(draft.product, draft.category, draft.service, &reason);
    if (targets.empty()) {
        m_compiled->skipped.push_back({path, reason});
        return;
    }
    m_compiled->compiled = false;
    m_compiled->rules.push_back(draft.info);
    m_compiled->drafts.push_back(std::move(draft));
}

void RuleSet::skip(const QString &path, const QString &reason)
{
    m_compiled->skipped.push_back({path, reason});
}

void RuleSet::compile()
{
    CompiledSet &c = *m_compiled;
    c.instances.clear();
    c.buckets.clear();
    c.channelBuckets.clear();
    c.channelLists.clear();
    for (size_t r = 0; r < c.drafts.size(); ++r) {
        QString reason;
        const RuleDraft &d = c.drafts[r];
        for (const LogTarget &t : targetsFor(d.product, d.category, d.service, &reason))
            addInstance(c, int(r), t);
    }
    c.internField("Channel");
    c.internField("EventID");
    c.aliases = {{c.internField("SourceName"), c.internField("Provider_Name")},
                 {c.internField("Hostname"), c.internField("Computer")}};
    buildScanners(c);
    c.compiled = true;
    qCInfo(lcAnalysis) << "sigma: rules" << c.rules.size() << "skipped" << c.skipped.size()
                       << "instances" << c.instances.size() << "buckets" << c.buckets.size();
}

const std::vector<RuleInfo> &RuleSet::rules() const
{
    return m_compiled->rules;
}

const std::vector<SkippedRule> &RuleSet::skipped() const
{
    return m_compiled->skipped;
}

int RuleSet::indexOf(const QString &ruleId) const
{
    const auto &rules = m_compiled->rules;
    for (size_t i = 0; i < rules.size(); ++i)
        if (rules[i].id == ruleId)
            return int(i);
    return -1;
}

} // namespace causa::sigma
