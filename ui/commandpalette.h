#pragma once

#include <QDialog>
#include <QList>

class QAction;
class QLineEdit;
class QListWidget;

namespace causa {

// Ctrl+K: type a few letters of any command, Enter runs it.
class CommandPalette final : public QDialog
{
    Q_OBJECT

public:
    CommandPalette(QList<QAction *> actions, QWidget *parent = nullptr);
    QLineEdit *input() const { return m_input; }
    QListWidget *list() const { return m_list; }
    // Subsequence match score (higher is better), -1 when the query does not match.
    static int matchScore(const QString &text, const QString &query);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refill();
    void runCurrent();

    QList<QAction *> m_actions;
    QLineEdit *m_input;
    QListWidget *m_list;
};

// A sheet listing every command with its shortcut.
class ShortcutSheet final : public QDialog
{
public:
    ShortcutSheet(const QList<QAction *> &actions, QWidget *parent = nullptr);
};

} // namespace causa
