#pragma once

#include <QDialog>

class QTableWidget;

namespace causa {

// Every problem the last imports reported, one row each: the file, the line (or record) and the
// reason, so an analyst can fix the source and import again. Text is shown as plain text.
class ImportProblemsDialog final : public QDialog
{
    Q_OBJECT

public:
    // problems: "file:line: reason" (or any text: it lands in the Reason column whole).
    explicit ImportProblemsDialog(const QStringList &problems, QWidget *parent = nullptr);
    QTableWidget *table() const { return m_table; }

    // Splits "path:line: reason" / "path: line N: reason" into its parts.
    struct Problem
    {
        QString file;
        QString line;
        QString reason;
    };
    static Problem split(const QString &problem);

private:
    QTableWidget *m_table;
};

} // namespace causa
