#include "teamrules.h"

#include "store/settingsstore.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFileInfo>
#include <QMutex>

namespace causa::sigma {

namespace {

// What a rule folder holds, as far as a reload is concerned: every rule file's name, size and
// modification time. The embedded pack never changes while the program runs.
QString fingerprint(const QStringList &paths)
{
    QString out;
    for (const QString &p : paths) {
        out += p + QLatin1Char('\n');
        if (p.startsWith(QLatin1Char(':')))
            continue;
        const QFileInfo info(p);
        if (!info.exists()) {
            out += QStringLiteral("missing\n");
            continue;
        }
        QStringList files;
        if (info.isDir()) {
            QDirIterator it(p, {QStringLiteral("*.yml"), QStringLiteral("*.yaml")}, QDir::Files,
                            QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
            while (it.hasNext())
                files << it.next();
        } else {
            files << p;
        }
        files.sort();
        for (const QString &f : std::as_const(files)) {
            const QFileInfo fi(f);
            out += QStringLiteral("%1 %2 %3\n")
                       .arg(f)
                       .arg(fi.size())
                       .arg(fi.lastModified().toMSecsSinceEpoch());
        }
    }
    return out;
}

} // namespace

QStringList splitRuleFolders(const QString &settingValue)
{
    QStringList out;
    for (const QString &part : settingValue.split(QLatin1Char(';'), Qt::SkipEmptyParts))
        if (const QString p = part.trimmed(); !p.isEmpty() && !out.contains(p))
            out << p;
    return out;
}

QString joinRuleFolders(const QStringList &folders)
{
    return folders.join(QLatin1Char(';'));
}

RuleFolderCheck checkRuleFolder(const QString &folder)
{
    RuleFolderCheck check;
    check.folder = folder;
    const QFileInfo info(folder);
    check.exists = info.exists();
    if (!check.exists) {
        check.error = QStringLiteral("no such folder");
        return check;
    }
    if (!info.isDir()) {
        check.error = QStringLiteral("not a folder");
        return check;
    }
    if (!info.isReadable()) {
        check.error = QStringLiteral("not readable");
        return check;
    }
    RuleSet set;
    if (auto r = set.add(folder); !r) {
        check.error = r.error().message;
        return check;
    }
    check.loaded = int(set.rules().size());
    check.skipped = set.skipped();
    return check;
}

std::shared_ptr<const RuleSet> teamRuleSet(const QStringList &folders)
{
    const QStringList paths = QStringList{kEmbeddedPack} + folders;
    const QString key = fingerprint(paths);
    static QMutex mutex;
    static QString cachedKey;
    static std::shared_ptr<const RuleSet> cached;
    QMutexLocker lock(&mutex);
    if (cached && cachedKey == key)
        return cached;
    RuleSet set;
    for (const QString &p : paths)
        if (auto r = set.add(p); !r)
            set.skip(p, r.error().message);
    set.compile();
    cached = std::make_shared<const RuleSet>(std::move(set));
    cachedKey = key;
    return cached;
}

Result<std::shared_ptr<const RuleSet>> teamRuleSet(CaseStore &store)
{
    auto values = settingsstore::values(store);
    if (!values)
        return values.error();
    QStringList folders;
    if (const auto it = values->find(kSigmaPathsSetting); it != values->end())
        folders = splitRuleFolders(it->second);
    return teamRuleSet(folders);
}

} // namespace causa::sigma
