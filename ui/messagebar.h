#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;

namespace causa {

// An inline message bar (info, warning, error) with an optional action button, instead of modal boxes.
class MessageBar final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind
    {
        Info,
        Warning,
        Error
    };
    explicit MessageBar(QWidget *parent = nullptr);
    void showMessage(Kind kind, const QString &text, const QString &actionText = {});
    // The action runs onAction; a later message replaces it, so an old action never fires.
    void showMessage(Kind kind, const QString &text, const QString &actionText,
                     std::function<void()> onAction);
    QString text() const;
    QPushButton *actionButton() const { return m_action; }

Q_SIGNALS:
    void actionTriggered();

private:
    QLabel *m_label;
    QPushButton *m_action;
    QPushButton *m_close;
    std::function<void()> m_onAction;
};

} // namespace causa
