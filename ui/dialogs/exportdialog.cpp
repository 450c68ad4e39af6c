#include "exportdialog.h"

#include "playbook/workbenchsettings.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>

namespace causa {

namespace {

const QString kDirKey = QStringLiteral("export/dir");
const QString kPageKey = QStringLiteral("export/pageSize");

const ReportFormat kFormats[] = {ReportFormat::Pdf, ReportFormat::Html, ReportFormat::Json,
                                 ReportFormat::Csv, ReportFormat::Stix};

QString defaultDir()
{
    QString dir = QSettings().value(kDirKey).toString();
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return dir.isEmpty() ? QDir::homePath() : dir;
}

} // namespace

ExportDialog::ExportDialog(qint64 caseId, const QString &caseTitle, ReportFormat format,
                           const QString &caseTlp, const QString &defaultTlp,
                           const QString &defaultPap, QWidget *parent)
    : QDialog(parent), m_caseId(caseId)
{
    setWindowTitle(tr("Export report"));
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *caseLabel = new QLabel(tr("Case %1 — %2").arg(caseId).arg(caseTitle), this);
    caseLabel->setTextFormat(Qt::PlainText); // titles come from alerts: untrusted
    caseLabel->setWordWrap(true);
    form->addRow(tr("Case"), caseLabel);
    m_format = new QComboBox(this);
    for (ReportFormat f : kFormats)
        m_format->addItem(reportFormatName(f), int(f));
    m_format->setCurrentIndex(m_format->findData(int(format)));
    form->addRow(tr("&Format"), m_format);

    auto *pathRow = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setMinimumWidth(m_path->fontMetrics().averageCharWidth() * 48);
    m_browse = new QPushButton(tr("&Browse…"), this);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    // A row whose field is a layout gets no buddy from QFormLayout, and a label without a buddy
    // shows its "&" literally: the label is made here with the path edit as its buddy.
    auto *saveLabel = new QLabel(tr("&Save to"), this);
    saveLabel->setBuddy(m_path);
    form->addRow(saveLabel, pathRow);

    m_pageSize = new QComboBox(this);
    m_pageSize->addItem(tr("A4"), QStringLiteral("a4"));
    m_pageSize->addItem(tr("US Letter"), QStringLiteral("letter"));
    m_pageSize->setCurrentIndex(
        std::max(0, m_pageSize->findData(QSettings().value(kPageKey, QStringLiteral("a4")))));
    form->addRow(tr("&Page size"), m_pageSize);

    // The case's own marking is the default; the team default applies when the case has none.
    m_tlp = new QComboBox(this);
    for (const QString &t : kTlpLevels)
        m_tlp->addItem(QStringLiteral("TLP:") + t, t);
    const QString tlp = caseTlp.isEmpty() ? defaultTlp : caseTlp;
    m_tlp->setCurrentIndex(std::max(0, m_tlp->findData(tlp)));
    form->addRow(tr("&TLP marking"), m_tlp);
    m_pap = new QComboBox(this);
    for (const QString &p : kPapLevels)
        m_pap->addItem(QStringLiteral("PAP:") + p, p);
    m_pap->setCurrentIndex(std::max(0, m_pap->findData(defaultPap)));
    form->addRow(tr("P&AP marking"), m_pap);

    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: palette(mid);"));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    m_path->setText(
        QDir(defaultDir())
            .filePath(
                QStringLiteral("case-%1-report.%2").arg(caseId).arg(reportFormatSuffix(format))));
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::updateWidgets);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const ReportFormat f = ReportFormat(m_format->currentData().toInt());
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Export %1").arg(reportFormatName(f)), m_path->text(),
            tr("%1 (*.%2);;All files (*)").arg(reportFormatName(f), reportFormatSuffix(f)));
        if (!file.isEmpty())
            m_path->setText(file);
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    updateWidgets();
}

QPushButton *ExportDialog::exportButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void ExportDialog::formatChanged()
{
    // Keep the chosen folder and name; only the extension follows the format.
    const ReportFormat f = ReportFormat(m_format->currentData().toInt());
    QString path = m_path->text();
    for (ReportFormat other : kFormats) {
        const QString suffix = QLatin1Char('.') + reportFormatSuffix(other);
        if (path.endsWith(suffix, Qt::CaseInsensitive)) {
            path.chop(suffix.size());
            break;
        }
    }
    m_path->setText(path + QLatin1Char('.') + reportFormatSuffix(f));
    updateWidgets();
}

void ExportDialog::updateWidgets()
{
    const ReportFormat f = ReportFormat(m_format->currentData().toInt());
    m_pageSize->setEnabled(f == ReportFormat::Pdf);
    const QFileInfo target(m_path->text().trimmed());
    QString hint;
    bool ok = !m_path->text().trimmed().isEmpty();
    if (ok && !target.absoluteDir().exists()) {
        hint = tr("The folder %1 does not exist.")
                   .arg(QDir::toNativeSeparators(target.absolutePath()));
        ok = false;
    } else if (ok && target.exists()) {
        hint = tr("%1 exists and will be replaced.").arg(target.fileName());
    }
    if (f == ReportFormat::Csv)
        hint = (hint.isEmpty() ? QString() : hint + QLatin1Char(' ')) +
               tr("The CSV holds the case's indicators only.");
    m_hint->setText(hint);
    m_hint->setVisible(!hint.isEmpty());
    exportButton()->setEnabled(ok);
}

ReportExportRequest ExportDialog::request() const
{
    ReportExportRequest r;
    r.caseId = m_caseId;
    r.format = ReportFormat(m_format->currentData().toInt());
    r.path = QFileInfo(m_path->text().trimmed()).absoluteFilePath();
    r.letter = m_pageSize->currentData().toString() == QLatin1String("letter");
    r.tlp = m_tlp->currentData().toString();
    r.pap = m_pap->currentData().toString();
    return r;
}

void ExportDialog::accept()
{
    if (!exportButton()->isEnabled())
        return;
    QSettings s;
    s.setValue(kDirKey, QFileInfo(m_path->text().trimmed()).absolutePath());
    s.setValue(kPageKey, m_pageSize->currentData());
    QDialog::accept();
}

} // namespace causa
