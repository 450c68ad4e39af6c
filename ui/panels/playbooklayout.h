#pragma once

#include <functional>

class QListWidget;
class QStyledItemDelegate;
class QTreeView;
class QWidget;

// How the Playbook page lays out text that wraps: the stage list's rows (title with its reason
// under it), the checklist's height, and the Decision box's share of its splitter.
namespace causa::playbooklayout {

// A delegate (owned by view) that draws each stage's title with its "why" under it, both
// wrapped to the column.
QStyledItemDelegate *stageDelegate(QTreeView *view);

// Each item of a word-wrapping list as tall as its text at the list's width, and the list as
// tall as its items (up to maxHeight, then it scrolls).
void fitListToContents(QListWidget *list, int maxHeight);

// A pane of a vertical splitter at least as tall as its content wants, the height taken from
// the pane below it (down to that pane's own minimum).
void growInSplitter(QWidget *pane);

// Calls fit whenever watched changes width (for as long as watched lives).
void onWidthChange(QWidget *watched, std::function<void()> fit);

} // namespace causa::playbooklayout
