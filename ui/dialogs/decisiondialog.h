#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace causa {

// Asks for one analyst decision: an optional choice (resolution, verdict, action kind), an
// optional value, and the reason that goes into the audit trail. OK stays disabled until every
// required field is filled. Untrusted text (case titles, values) is shown as plain text.
class DecisionDialog final : public QDialog
{
    Q_OBJECT

public:
    DecisionDialog(const QString &title, const QString &explanation, QWidget *parent = nullptr);

    // A choice of (label, value) pairs shown above the reason.
    void setChoices(const QString &label, const QList<std::pair<QString, QString>> &choices,
                    const QString &current = {});
    // A free value (an override's JSON value, an action's target).
    void setValueField(const QString &label, const QString &value = {}, bool required = true);
    void setReasonLabel(const QString &label, bool required = true);
    // A number (a pattern's weight) shown below the value.
    void setNumberField(const QString &label, int value, int min, int max);
    int number() const;

    QString choice() const;
    QString value() const;
    QString reason() const;

    QComboBox *choiceCombo() const { return m_choice; }
    QLineEdit *valueEdit() const { return m_value; }
    QPlainTextEdit *reasonEdit() const { return m_reason; }
    QPushButton *okButton() const;

private:
    void updateWidgets();

    QLabel *m_explanation;
    QLabel *m_choiceLabel;
    QComboBox *m_choice;
    QLabel *m_valueLabel;
    QLineEdit *m_value;
    QLabel *m_numberLabel;
    QSpinBox *m_number;
    QLabel *m_reasonLabel;
    QPlainTextEdit *m_reason;
    QDialogButtonBox *m_buttons;
    bool m_valueRequired = false;
    bool m_reasonRequired = true;
};

} // namespace causa
