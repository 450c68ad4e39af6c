#pragma once

#include <QHeaderView>
#include <QTableView>

namespace causa {

// A table of records as every list page shows them: whole single-line rows, one selected at a
// time, no grid, uniform row heights (the view never measures a million rows), last column
// stretched. Pages add their column widths and behaviour on top.
inline QTableView *makeRecordTable(QAbstractItemModel *model, QWidget *parent, int rowPadding = 8)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setShowGrid(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + rowPadding);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace causa
