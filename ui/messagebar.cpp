#include "messagebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace causa {

MessageBar::MessageBar(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    m_label = new QLabel(this);
    m_label->setTextFormat(Qt::PlainText); // messages may quote file names and untrusted text
    m_label->setWordWrap(true);
    m_action = new QPushButton(this);
    m_close = new QPushButton(tr("Dismiss"), this);
    m_close->setFlat(true);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_action);
    layout->addWidget(m_close);
    connect(m_action, &QPushButton::clicked, this, [this] {
        hide();
        if (auto fn = m_onAction)
            fn();
        Q_EMIT actionTriggered();
    });
    connect(m_close, &QPushButton::clicked, this, &QWidget::hide);
    hide();
}

void MessageBar::showMessage(Kind kind, const QString &text, const QString &actionText,
                             std::function<void()> onAction)
{
    showMessage(kind, text, actionText);
    m_onAction = std::move(onAction);
}

void MessageBar::showMessage(Kind kind, const QString &text, const QString &actionText)
{
    m_onAction = nullptr;
    const char *colors[] = {"#e8f1fb;border:1px solid #9cc3ea", "#fff6e0;border:1px solid #e9c46a",
                            "#fdecea;border:1px solid #e39a94"};
    setStyleSheet(
        QStringLiteral(
            "#messageBar{background:%1;border-radius:4px;} #messageBar QLabel{color:#1d2330;}")
            .arg(QLatin1String(colors[int(kind)])));
    m_label->setText(text);
    m_action->setVisible(!actionText.isEmpty());
    m_action->setText(actionText);
    show();
}

QString MessageBar::text() const
{
    return m_label->text();
}

} // namespace causa
