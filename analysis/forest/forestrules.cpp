#include "forestrules.h"

#include "cmdline/knowledgebase.h"
#include "processforest.h"

#include <QSet>

namespace causa {

bool ProcessForest::isLolbin(const QString &image)
{
    // The command-line analyser's LOLBin catalogue (resources/knowledge/lolbins.json) is the one
    // list: a binary added there gets the badge here too.
    static const QSet<QString> names = [] {
        QSet<QString> out;
        auto kb = KnowledgeBase::loadBuiltIn();
        if (!kb) {
            qWarning("process forest: no LOLBin catalogue: %s", qPrintable(kb.error().toString()));
            return out;
        }
        for (const LolbinEntry &e : kb.value()->lolbins())
            if (e.kind == QLatin1String("binary"))
                out.insert(e.name.toLower());
        return out;
    }();
    return names.contains(image);
}

bool ProcessForest::isPsexecLikeName(const QString &image)
{
    return image.startsWith(QLatin1String("psexesvc")) ||
           image.startsWith(QLatin1String("paexec")) || image.startsWith(QLatin1String("remcom")) ||
           image.startsWith(QLatin1String("csexec")) || image.startsWith(QLatin1String("xcmdsvc"));
}

namespace detail {

int sourceRank(const QString &source)
{
    if (source == QLatin1String("sysmon"))
        return 0;
    if (source == QLatin1String("security"))
        return 1;
    if (source == QLatin1String("xdr"))
        return 2;
    if (source == QLatin1String("parent-ref"))
        return 4;
    return 3;
}

bool isPidReference(const QString &key, qint64 *pid)
{
    // "|pid:" must be the last '|' of the key: finding that one character from the end is
    // cheaper than searching for the last "|pid:" and then checking that no '|' follows.
    const QChar *text = key.constData();
    qsizetype at = key.size() - 1;
    while (at >= 0 && text[at] != QLatin1Char('|'))
        --at;
    if (at < 0 || !QStringView(key).sliced(at).startsWith(QLatin1String("|pid:")) ||
        key.indexOf(QLatin1Char('@'), at) >= 0)
        return false;
    bool ok = false;
    *pid = QStringView(key).mid(at + 5).toLongLong(&ok); // a view: no copy per record
    return ok;
}

QString serviceImageName(QString path)
{
    path = path.trimmed();
    if (path.startsWith(QLatin1String("%comspec%"), Qt::CaseInsensitive))
        return QStringLiteral("%comspec%");
    if (path.startsWith(QLatin1Char('"'))) {
        const qsizetype end = path.indexOf(QLatin1Char('"'), 1);
        path = path.mid(1, end > 0 ? end - 1 : -1);
    } else {
        const qsizetype exe = path.indexOf(QLatin1String(".exe"), 0, Qt::CaseInsensitive);
        if (exe > 0)
            path.truncate(exe + 4);
    }
    const qsizetype slash =
        std::max(path.lastIndexOf(QLatin1Char('\\')), path.lastIndexOf(QLatin1Char('/')));
    return (slash >= 0 ? path.mid(slash + 1) : path).toLower();
}

} // namespace detail

} // namespace causa
