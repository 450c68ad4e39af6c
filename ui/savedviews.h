#pragma once

#include <QString>

#include <vector>

namespace causa {

// A named case-queue view: filter text and sort. Kept per user in QSettings (a view is a
// personal habit, not team policy, and must work on a read-only shared store).
struct SavedView
{
    QString name;
    QString text;
    QString sortKey = QStringLiteral("severity");
    bool descending = true;
};

namespace savedviews {
std::vector<SavedView> load();
// Adds the view, replacing one with the same name (case-insensitive); keeps names sorted.
void upsert(const SavedView &view);
void remove(const QString &name);
} // namespace savedviews

// Recently opened stores, newest first, as printable locations (never with a password).
namespace recentstores {
QStringList load();
void add(const QString &location);
constexpr int kMax = 8;
} // namespace recentstores

} // namespace causa
