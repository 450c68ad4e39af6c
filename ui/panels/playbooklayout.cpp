#include "playbooklayout.h"

#include "playbookstagemodel.h"

#include <QApplication>
#include <QEvent>
#include <QHeaderView>
#include <QListWidget>
#include <QPainter>
#include <QResizeEvent>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTreeView>

#include <algorithm>

namespace causa::playbooklayout {

namespace {

// The stage's title with its "why" under it in the muted colour, both wrapped to the column, so
// the reason gets the width of the whole row rather than a narrow column of its own. The tree
// asks for size hints with a width but no height: the hint measures the text at the column's
// width.
class StageDelegate final : public QStyledItemDelegate
{
public:
    explicit StageDelegate(QTreeView *view) : QStyledItemDelegate(view), m_view(view) {}

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem o = option;
        initStyleOption(&o, index);
        const int width = textWidth(m_view->header()->sectionSize(index.column()));
        const int height = measure(o.fontMetrics, width, o.text).height() +
                           measure(reasonMetrics(o.font), width, reasonOf(index)).height();
        return {width, height + 2 * kMargin};
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem o = option;
        initStyleOption(&o, index);
        const QString title = o.text;
        o.text.clear();
        const QWidget *w = o.widget;
        QStyle *style = w ? w->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &o, painter, w); // background, selection
        const bool selected = o.state & QStyle::State_Selected;
        QRect r = o.rect.adjusted(kPadding, kMargin, -kPadding, -kMargin);
        painter->save();
        painter->setPen(o.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
        const QRect used = measure(o.fontMetrics, r.width(), title);
        painter->drawText(r, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, title);
        r.setTop(r.top() + used.height());
        const QString reason = reasonOf(index);
        if (!reason.isEmpty()) {
            painter->setFont(reasonFont(o.font));
            painter->setPen(
                o.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText));
            painter->drawText(r, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, reason);
        }
        painter->restore();
    }

private:
    static constexpr int kMargin = 3, kPadding = 4;

    static int textWidth(int columnWidth) { return std::max(40, columnWidth - 2 * kPadding); }
    static QFont reasonFont(QFont f)
    {
        if (f.pointSizeF() > 0)
            f.setPointSizeF(f.pointSizeF() * 0.92);
        return f;
    }
    static QFontMetrics reasonMetrics(const QFont &f) { return QFontMetrics(reasonFont(f)); }
    static QRect measure(const QFontMetrics &fm, int width, const QString &text)
    {
        if (text.isEmpty())
            return {};
        return fm.boundingRect(QRect(0, 0, width, 1 << 16),
                               Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text);
    }
    static QString reasonOf(const QModelIndex &index)
    {
        return breakLongTokens(
            index.siblingAtColumn(PlaybookStageModel::ReasonColumn).data().toString());
    }

    // Word wrap cannot break a SHA-256 in a sentence ("block 4f2a…"): long tokens get
    // zero-width break opportunities every 8 characters (display only).
    static QString breakLongTokens(const QString &text)
    {
        constexpr qsizetype kLongToken = 22, kChunk = 8;
        QString out;
        out.reserve(text.size() + text.size() / kChunk);
        qsizetype start = 0;
        while (start < text.size()) {
            qsizetype end = start;
            while (end < text.size() && !text.at(end).isSpace())
                ++end;
            const qsizetype length = end - start;
            for (qsizetype i = 0; i < length; ++i) {
                if (length > kLongToken && i > 0 && i % kChunk == 0)
                    out += QChar(0x200B);
                out += text.at(start + i);
            }
            while (end < text.size() && text.at(end).isSpace())
                out += text.at(end++);
            start = end;
        }
        return out;
    }

    QTreeView *m_view;
};

// Calls fit whenever the watched widget changes width.
class WidthWatcher final : public QObject
{
public:
    WidthWatcher(QWidget *watched, std::function<void()> fit)
        : QObject(watched), m_fit(std::move(fit))
    {
        watched->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Resize) {
            const auto *resize = static_cast<QResizeEvent *>(event);
            if (resize->size().width() != resize->oldSize().width())
                m_fit();
        }
        return false;
    }

private:
    std::function<void()> m_fit;
};

} // namespace

QStyledItemDelegate *stageDelegate(QTreeView *view)
{
    return new StageDelegate(view);
}

void onWidthChange(QWidget *watched, std::function<void()> fit)
{
    new WidthWatcher(watched, std::move(fit));
}

// Each item of a word-wrapping list as tall as its text at the list's width, and the list as tall
// as its items (up to maxHeight, then it scrolls).
void fitListToContents(QListWidget *list, int maxHeight)
{
    const int indicator = list->style()->pixelMetric(QStyle::PM_IndicatorWidth, nullptr, list);
    const int width = std::max(60, list->viewport()->width() - indicator - 16);
    const QFontMetrics fm = list->fontMetrics();
    int total = 2 * list->frameWidth();
    for (int i = 0; i < list->count(); ++i) {
        QListWidgetItem *item = list->item(i);
        const QRect text =
            fm.boundingRect(QRect(0, 0, width, 1 << 16), Qt::TextWordWrap, item->text());
        const int height = std::max(text.height(), indicator) + 6;
        item->setSizeHint(QSize(width, height));
        total += height;
    }
    list->setFixedHeight(std::min(total, maxHeight));
}

// A pane of a vertical splitter at least as tall as its content wants: the height comes from the
// pane below it (down to that pane's own minimum). The splitter keeps a pane at the size it
// was given, and a box whose list grew would otherwise draw its buttons over the list.
void growInSplitter(QWidget *pane)
{
    auto *split = qobject_cast<QSplitter *>(pane->parentWidget());
    if (!split || !pane->isVisibleTo(split))
        return;
    const int i = split->indexOf(pane);
    QList<int> sizes = split->sizes();
    if (i < 0 || i + 1 >= sizes.size())
        return;
    // Wrapped labels and lists: the height the pane needs at its width.
    const int want =
        pane->hasHeightForWidth() ? pane->heightForWidth(pane->width()) : pane->sizeHint().height();
    const int need = std::max(want, pane->sizeHint().height()) - sizes[i];
    const int spare = sizes[i + 1] - split->widget(i + 1)->minimumSizeHint().height();
    const int take = std::min(need, spare);
    if (take <= 0)
        return;
    sizes[i] += take;
    sizes[i + 1] -= take;
    split->setSizes(sizes);
}

} // namespace causa::playbooklayout
