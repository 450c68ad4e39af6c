#pragma once

#include "services/reportexportservice.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace causa {

// Asks where and how to export the open case's report: format, file, page size (PDF) and the
// TLP/PAP markings printed on it. The chosen folder and page size are remembered per user.
class ExportDialog final : public QDialog
{
    Q_OBJECT

public:
    // caseTlp/casePap: the case's own markings ("" when unset); defaults: the team's settings.
    ExportDialog(qint64 caseId, const QString &caseTitle, ReportFormat format,
                 const QString &caseTlp, const QString &defaultTlp, const QString &defaultPap,
                 QWidget *parent = nullptr);

    ReportExportRequest request() const;
    QLineEdit *pathEdit() const { return m_path; }
    QComboBox *formatCombo() const { return m_format; }
    QComboBox *pageSizeCombo() const { return m_pageSize; }
    QComboBox *tlpCombo() const { return m_tlp; }
    QPushButton *exportButton() const;

    void accept() override;

private:
    void updateWidgets();
    void formatChanged();

    qint64 m_caseId;
    QComboBox *m_format;
    QLineEdit *m_path;
    QPushButton *m_browse;
    QComboBox *m_pageSize;
    QComboBox *m_tlp;
    QComboBox *m_pap;
    QLabel *m_hint;
    QDialogButtonBox *m_buttons;
};

} // namespace causa
