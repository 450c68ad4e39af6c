#include "savedviews.h"

#include <QSettings>
#include <QStringList>

#include <algorithm>

namespace causa {

namespace {

const QString kViews = QStringLiteral("queue/views");
const QString kRecent = QStringLiteral("stores/recent");

void save(const std::vector<SavedView> &views)
{
    QSettings s;
    s.beginWriteArray(kViews, int(views.size()));
    for (int i = 0; i < int(views.size()); ++i) {
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), views[size_t(i)].name);
        s.setValue(QStringLiteral("text"), views[size_t(i)].text);
        s.setValue(QStringLiteral("sort"), views[size_t(i)].sortKey);
        s.setValue(QStringLiteral("descending"), views[size_t(i)].descending);
    }
    s.endArray();
}

} // namespace

std::vector<SavedView> savedviews::load()
{
    QSettings s;
    std::vector<SavedView> out;
    const int n = s.beginReadArray(kViews);
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        SavedView v;
        v.name = s.value(QStringLiteral("name")).toString().trimmed();
        v.text = s.value(QStringLiteral("text")).toString();
        v.sortKey = s.value(QStringLiteral("sort"), v.sortKey).toString();
        v.descending = s.value(QStringLiteral("descending"), true).toBool();
        if (!v.name.isEmpty())
            out.push_back(v);
    }
    s.endArray();
    return out;
}

void savedviews::upsert(const SavedView &view)
{
    auto views = load();
    std::erase_if(views, [&](const SavedView &v) {
        return v.name.compare(view.name, Qt::CaseInsensitive) == 0;
    });
    views.push_back(view);
    std::sort(views.begin(), views.end(), [](const SavedView &a, const SavedView &b) {
        return a.name.localeAwareCompare(b.name) < 0;
    });
    save(views);
}

void savedviews::remove(const QString &name)
{
    auto views = load();
    std::erase_if(
        views, [&](const SavedView &v) { return v.name.compare(name, Qt::CaseInsensitive) == 0; });
    save(views);
}

QStringList recentstores::load()
{
    return QSettings().value(kRecent).toStringList();
}

void recentstores::add(const QString &location)
{
    if (location.isEmpty())
        return;
    QStringList list = load();
    list.removeAll(location);
    list.prepend(location);
    while (list.size() > kMax)
        list.removeLast();
    QSettings().setValue(kRecent, list);
}

} // namespace causa
