#pragma once

#include <QMessageBox>

namespace causa {

// Message boxes that quote imported or user-supplied text (evidence labels, tenant names, error
// messages with file names) show it as plain text: QMessageBox otherwise guesses rich text
// (Qt::mightBeRichText) and would render "<b>" or "<img>" in an alert name as markup.
inline QMessageBox::StandardButton plainQuestion(QWidget *parent, const QString &title,
                                                 const QString &text)
{
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Yes | QMessageBox::No, parent);
    box.setTextFormat(Qt::PlainText);
    box.setDefaultButton(QMessageBox::No);
    return QMessageBox::StandardButton(box.exec());
}

inline void plainCritical(QWidget *parent, const QString &title, const QString &text)
{
    QMessageBox box(QMessageBox::Critical, title, text, QMessageBox::Ok, parent);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

} // namespace causa
