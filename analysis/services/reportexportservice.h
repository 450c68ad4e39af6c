#pragma once

#include "core/result.h"
#include "report/reportdocument.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace causa {

class CaseStore;

enum class ReportFormat
{
    Pdf,
    Html,
    Json,
    Csv,
    Stix
};
QString reportFormatName(ReportFormat format);   // "PDF report", "HTML", …
QString reportFormatSuffix(ReportFormat format); // "pdf", "html", "json", "csv", "stix.json"

// One export the analyst asked for. Empty tlp/pap keep the case's own markings.
struct ReportExportRequest
{
    qint64 caseId = 0;
    ReportFormat format = ReportFormat::Pdf;
    QString path;
    bool letter = false; // PDF page size: Letter instead of A4
    QString tlp;
    QString pap;
};

struct ReportExportResult
{
    QString path;
    ReportFormat format = ReportFormat::Pdf;
    int pages = 0; // PDF only
    qint64 bytes = 0;
    qint64 elapsedMs = 0;
};

// Paints a composed report into a PDF and returns its page count. The core cannot paint (no
// Gui), so the UI layer hands its PDF writer in.
using PdfPainter =
    std::function<Result<int>(const ReportDocument &doc, const QString &path, bool letter)>;
using ReportProgress = std::function<void(int step, int steps, const QString &what)>;

// Reads, composes and writes one report; stops between steps when cancel is set. PDFs are
// painted to a temporary file first, so a failed or cancelled export never leaves half a file.
Result<ReportExportResult> runReportExport(const CaseStore &store,
                                           const ReportExportRequest &request,
                                           const PdfPainter &painter,
                                           const ReportProgress &progress = {},
                                           const std::atomic_bool *cancel = nullptr);

// Runs report exports off the GUI thread, one at a time; progress and the outcome come back
// through queued signals tagged with the job's number.
class ReportExportService final : public QObject
{
    Q_OBJECT

public:
    explicit ReportExportService(std::shared_ptr<CaseStore> store, QObject *parent = nullptr);
    ~ReportExportService() override;

    void setPdfPainter(PdfPainter painter) { m_painter = std::move(painter); }
    // Starts an export; returns its job number (0 when one is still running).
    quint64 exportReport(const ReportExportRequest &request);
    void cancel() { m_cancel = true; }
    bool running() const { return m_running.load(); }

Q_SIGNALS:
    void progress(quint64 job, int step, int steps, const QString &what);
    void finished(quint64 job, const causa::ReportExportResult &result);
    void failed(quint64 job, const QString &message);

private:
    std::shared_ptr<CaseStore> m_store;
    PdfPainter m_painter;
    QThreadPool m_pool;
    std::atomic_bool m_cancel{false};
    std::atomic_bool m_running{false};
    quint64 m_jobs = 0;
};

} // namespace causa

Q_DECLARE_METATYPE(causa::ReportExportResult)
