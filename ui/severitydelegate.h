#pragma once

#include <QStyledItemDelegate>

namespace causa {

// Paints a severity as a coloured pill; reads the raw severity from a model role.
class SeverityDelegate final : public QStyledItemDelegate
{
public:
    SeverityDelegate(int severityRole, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace causa
