#pragma once

#include "forest/forestbuilder.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QTreeView;

namespace causa {

class ProcessTreeModel;

// The process tree of the case's endpoints: badges per process, the selected process's full
// details (command line, hashes, signer, pipes, network, files) beside it.
class ProcessTreePanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ProcessTreePanel(QWidget *parent = nullptr);
    void setForest(std::shared_ptr<const ScopedForest> forest);
    ProcessTreeModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QString detailText() const;

Q_SIGNALS:
    // The analyst asks for an action on what they see (block this hash, isolate this host); the
    // page that owns the playbook asks for the reason and proposes it for approval.
    void proposeActionRequested(const QString &kind, const QString &target);

private:
    void showContextMenu(const QPoint &pos);
    void showNode(int node);

    ProcessTreeModel *m_model;
    QLabel *m_summary;
    QTreeView *m_view;
    QPlainTextEdit *m_detail;
};

} // namespace causa
