#pragma once

#include "core/result.h"
#include "report/reportdocument.h"

#include <QPageSize>
#include <QString>

namespace causa {

struct PdfReportOptions
{
    QPageSize::PageSizeId pageSize = QPageSize::A4; // A4 or Letter
    int resolution = 300;                           // layout units per inch
};

struct PdfReportStats
{
    int pages = 0;
    qint64 elapsedMs = 0;
    qint64 buildMs = 0;  // text document and chart images
    qint64 layoutMs = 0; // pagination
    qint64 paintMs = 0;  // drawing and PDF output
};

// Paints a ReportDocument into a PDF (SPEC §10): cover with table of contents, TLP marking in
// every header and footer, "page N of M", QtCharts charts, wrapped monospace command lines.
// Needs a QGuiApplication (fonts); data text is inserted as plain text, never as markup.
class PdfReportWriter final
{
public:
    explicit PdfReportWriter(PdfReportOptions options = {}) : m_options(options) {}
    Result<PdfReportStats> write(const ReportDocument &doc, const QString &path) const;

private:
    PdfReportOptions m_options;
};

} // namespace causa
