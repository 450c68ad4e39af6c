#include "commandpalette.h"

#include <QAction>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace causa {

namespace {

QString plainText(const QAction *a)
{
    QString t = a->text();
    t.remove(QLatin1Char('&'));
    t.remove(QStringLiteral("…"));
    return t;
}

} // namespace

int CommandPalette::matchScore(const QString &text, const QString &query)
{
    if (query.isEmpty())
        return 0;
    const QString t = text.toLower(), q = query.toLower();
    if (t.contains(q))
        return 1000 - int(t.indexOf(q)); // contiguous matches first, earlier is better
    int score = 0, pos = 0;
    for (QChar c : q) {
        const qsizetype found = t.indexOf(c, pos);
        if (found < 0)
            return -1;
        score += found == pos ? 5 : 1;
        pos = int(found) + 1;
    }
    return score;
}

CommandPalette::CommandPalette(QList<QAction *> actions, QWidget *parent)
    : QDialog(parent, Qt::Popup | Qt::FramelessWindowHint), m_actions(std::move(actions))
{
    setWindowTitle(tr("Command palette"));
    auto *layout = new QVBoxLayout(this);
    m_input = new QLineEdit(this);
    m_input->setPlaceholderText(tr("Type a command…"));
    m_list = new QListWidget(this);
    m_list->setUniformItemSizes(true);
    layout->addWidget(m_input);
    layout->addWidget(m_list);
    resize(560, 380);
    connect(m_input, &QLineEdit::textChanged, this, &CommandPalette::refill);
    connect(m_input, &QLineEdit::returnPressed, this, &CommandPalette::runCurrent);
    connect(m_list, &QListWidget::itemActivated, this, &CommandPalette::runCurrent);
    m_input->installEventFilter(this);
    refill();
}

bool CommandPalette::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up) {
            const int row = m_list->currentRow() + (key == Qt::Key_Down ? 1 : -1);
            if (row >= 0 && row < m_list->count())
                m_list->setCurrentRow(row);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void CommandPalette::refill()
{
    const QString query = m_input->text().trimmed();
    std::vector<std::pair<int, QAction *>> hits;
    for (QAction *a : m_actions) {
        if (!a->isEnabled() || a->text().isEmpty())
            continue;
        const int s = matchScore(plainText(a), query);
        if (s >= 0)
            hits.emplace_back(s, a);
    }
    std::stable_sort(hits.begin(), hits.end(),
                     [](const auto &x, const auto &y) { return x.first > y.first; });
    m_list->clear();
    for (const auto &[score, a] : hits) {
        const QString shortcut = a->shortcut().toString(QKeySequence::NativeText);
        auto *item = new QListWidgetItem(
            shortcut.isEmpty() ? plainText(a) : plainText(a) + QStringLiteral("    ") + shortcut,
            m_list);
        item->setData(Qt::UserRole, QVariant::fromValue(static_cast<QObject *>(a)));
    }
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
}

void CommandPalette::runCurrent()
{
    QListWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    auto *action = qobject_cast<QAction *>(item->data(Qt::UserRole).value<QObject *>());
    accept();
    if (action)
        action->trigger();
}

ShortcutSheet::ShortcutSheet(const QList<QAction *> &actions, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Keyboard shortcuts"));
    auto *layout = new QVBoxLayout(this);
    auto *table = new QTableWidget(this);
    table->setColumnCount(2);
    table->setHorizontalHeaderLabels({tr("Command"), tr("Shortcut")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (QAction *a : actions) {
        if (a->text().isEmpty())
            continue;
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, new QTableWidgetItem(plainText(a)));
        table->setItem(row, 1,
                       new QTableWidgetItem(a->shortcut().toString(QKeySequence::NativeText)));
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->resizeColumnToContents(1);
    layout->addWidget(table);
    resize(520, 460);
}

} // namespace causa
