#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace causa {

// An inline message bar (info, warning, error) with an optional action button, instead of modal boxes.
class MessageBar final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Info, Warning, Error };
    explicit MessageBar(QWidget *parent = nullptr);
    void showMessage(Kind kind, const QString &text, const QString &actionText = {});
    QString text() const;

Q_SIGNALS:
    void actionTriggered();

private:
    QLabel *m_label;
    QPushButton *m_action;
    QPushButton *m_close;
};

} // namespace causa
