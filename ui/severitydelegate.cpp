#include "severitydelegate.h"

#include "modelformat.h"

#include <QPainter>
#include <QPainterPath>

namespace causa {

SeverityDelegate::SeverityDelegate(int severityRole, QObject *parent)
    : QStyledItemDelegate(parent), m_role(severityRole)
{}

void SeverityDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    const auto severity = static_cast<Severity>(index.data(m_role).toInt());
    const QColor color = fmt::severityColor(severity);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(opt.font);
    const int w = fm.horizontalAdvance(text) + 14;
    const int h = fm.height() + 2;
    QRectF pill(opt.rect.left() + 4, opt.rect.center().y() - h / 2.0, w, h);
    QPainterPath path;
    path.addRoundedRect(pill, h / 2.0, h / 2.0);
    painter->fillPath(path, color);
    painter->setPen(Qt::white);
    QFont f = opt.font;
    f.setBold(true);
    painter->setFont(f);
    painter->drawText(pill, Qt::AlignCenter, text);
    painter->restore();
}

QSize SeverityDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(s.width() + 24);
    return s;
}

} // namespace causa
