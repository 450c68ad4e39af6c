#include "decisiondialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace causa {

DecisionDialog::DecisionDialog(const QString &title, const QString &explanation, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    m_explanation = new QLabel(explanation, this);
    m_explanation->setTextFormat(Qt::PlainText);
    m_explanation->setWordWrap(true);
    layout->addWidget(m_explanation);
    auto *form = new QFormLayout;
    m_choiceLabel = new QLabel(this);
    m_choice = new QComboBox(this);
    m_valueLabel = new QLabel(this);
    m_value = new QLineEdit(this);
    m_numberLabel = new QLabel(this);
    m_number = new QSpinBox(this);
    m_reasonLabel = new QLabel(tr("Reason (recorded in the audit trail):"), this);
    m_reason = new QPlainTextEdit(this);
    m_reason->setTabChangesFocus(true);
    m_reason->setMinimumHeight(80);
    form->addRow(m_choiceLabel, m_choice);
    form->addRow(m_valueLabel, m_value);
    form->addRow(m_numberLabel, m_number);
    layout->addLayout(form);
    layout->addWidget(m_reasonLabel);
    layout->addWidget(m_reason, 1);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    for (QWidget *w : std::initializer_list<QWidget *>{m_choiceLabel, m_choice, m_valueLabel,
                                                       m_value, m_numberLabel, m_number})
        w->hide();
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reason, &QPlainTextEdit::textChanged, this, &DecisionDialog::updateWidgets);
    connect(m_value, &QLineEdit::textChanged, this, &DecisionDialog::updateWidgets);
    resize(480, 300);
    updateWidgets();
}

void DecisionDialog::setChoices(const QString &label,
                                const QList<std::pair<QString, QString>> &choices,
                                const QString &current)
{
    m_choiceLabel->setText(label);
    m_choice->clear();
    for (const auto &[text, value] : choices)
        m_choice->addItem(text, value);
    if (const int i = m_choice->findData(current); i >= 0)
        m_choice->setCurrentIndex(i);
    m_choiceLabel->show();
    m_choice->show();
}

void DecisionDialog::setValueField(const QString &label, const QString &value, bool required)
{
    m_valueLabel->setText(label);
    m_value->setText(value);
    m_valueRequired = required;
    m_valueLabel->show();
    m_value->show();
    updateWidgets();
}

void DecisionDialog::setReasonLabel(const QString &label, bool required)
{
    m_reasonLabel->setText(label);
    m_reasonRequired = required;
    updateWidgets();
}

void DecisionDialog::setNumberField(const QString &label, int value, int min, int max)
{
    m_numberLabel->setText(label);
    m_number->setRange(min, max);
    m_number->setValue(value);
    m_numberLabel->show();
    m_number->show();
}

int DecisionDialog::number() const
{
    return m_number->value();
}

QString DecisionDialog::choice() const
{
    return m_choice->currentData().toString();
}

QString DecisionDialog::value() const
{
    return m_value->text().trimmed();
}

QString DecisionDialog::reason() const
{
    return m_reason->toPlainText().trimmed();
}

QPushButton *DecisionDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void DecisionDialog::updateWidgets()
{
    const bool ok =
        (!m_reasonRequired || !reason().isEmpty()) && (!m_valueRequired || !value().isEmpty());
    okButton()->setEnabled(ok);
}

} // namespace causa
