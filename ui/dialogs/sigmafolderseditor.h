#pragma once

#include "sigma/teamrules.h"

#include <QWidget>

#include <map>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace causa {

// The Settings dialog's Hunting tab: the team's Sigma rule folders (hunt.sigma_paths), each
// checked off the GUI thread (folder exists; rules loaded and skipped, with the reasons).
class SigmaFoldersEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit SigmaFoldersEditor(const QStringList &folders, QWidget *parent = nullptr);

    QStringList folders() const;
    // Adds a folder (what Browse… does after its dialog) and checks it; false if already listed.
    bool addFolder(const QString &folder);
    void removeCurrent();
    // Every listed folder exists and is a readable folder; otherwise problem() says which.
    bool isValid() const;
    QString problem() const;
    // All listed folders have been checked (tests wait for it).
    bool checked() const;
    const sigma::RuleFolderCheck *check(const QString &folder) const;

    QTableWidget *table() const { return m_table; }
    QPushButton *browseButton() const { return m_browse; }
    QPushButton *removeButton() const { return m_remove; }
    QPlainTextEdit *skippedView() const { return m_skippedView; }

Q_SIGNALS:
    // The list or a folder's check changed (the dialog derives OK from isValid()).
    void changed();
    void folderChecked(const QString &folder);

private:
    void startCheck(const QString &folder);
    void updateRow(int row);
    void updateWidgets();
    void browse();

    QTableWidget *m_table;
    QPushButton *m_browse;
    QPushButton *m_remove;
    QPushButton *m_recheck;
    QLabel *m_problem;
    QPlainTextEdit *m_skippedView;
    std::map<QString, sigma::RuleFolderCheck> m_checks;
};

} // namespace causa
