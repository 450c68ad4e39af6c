#include "reportexportservice.h"

#include "core/errorcodes.h"
#include "report/reportcomposer.h"
#include "report/reportexporters.h"
#include "store/casestore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPointer>

namespace causa {

QString reportFormatName(ReportFormat format)
{
    switch (format) {
    case ReportFormat::Pdf: return QObject::tr("PDF report");
    case ReportFormat::Html: return QObject::tr("HTML report");
    case ReportFormat::Json: return QObject::tr("JSON report");
    case ReportFormat::Csv: return QObject::tr("CSV of indicators");
    case ReportFormat::Stix: return QObject::tr("STIX 2.1 bundle");
    }
    return {};
}

QString reportFormatSuffix(ReportFormat format)
{
    switch (format) {
    case ReportFormat::Pdf: return QStringLiteral("pdf");
    case ReportFormat::Html: return QStringLiteral("html");
    case ReportFormat::Json: return QStringLiteral("json");
    case ReportFormat::Csv: return QStringLiteral("csv");
    case ReportFormat::Stix: return QStringLiteral("stix.json");
    }
    return {};
}

namespace {

QByteArray dump(const nlohmann::json &j)
{
    QByteArray bytes =
        QByteArray::fromStdString(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    bytes.append('\n');
    return bytes;
}

Error cancelled()
{
    return makeError(errc::kCancelled,
                     QObject::tr("the export was cancelled; no file was written"));
}

} // namespace

Result<ReportExportResult> runReportExport(const CaseStore &store,
                                           const ReportExportRequest &request,
                                           const PdfPainter &painter,
                                           const ReportProgress &progress,
                                           const std::atomic_bool *cancel)
{
    QElapsedTimer clock;
    clock.start();
    const int steps = 3;
    auto step = [&](int done, const QString &what) {
        if (progress)
            progress(done, steps, what);
    };
    auto isCancelled = [cancel] { return cancel && cancel->load(); };
    if (request.path.isEmpty())
        return makeError(errc::kNoPath, QObject::tr("the export needs a file name"));
    if (request.format == ReportFormat::Pdf && !painter)
        return makeError(errc::kNoPdf, QObject::tr("PDF painting is not available here"));

    step(0, QObject::tr("Reading the case…"));
    auto data = loadReportData(store, request.caseId);
    if (!data)
        return data.error();
    // Markings chosen for this export replace the case's own in every format (header, STIX marking).
    if (!request.tlp.isEmpty())
        data->summary.tlp = request.tlp;
    if (!request.pap.isEmpty())
        data->detail.pap = request.pap;
    if (isCancelled())
        return cancelled();
    step(1, QObject::tr("Composing the report…"));
    const ReportDocument doc = composeReport(std::move(data).value());
    if (isCancelled())
        return cancelled();

    ReportExportResult out;
    out.path = request.path;
    out.format = request.format;
    if (request.format == ReportFormat::Pdf) {
        step(2, QObject::tr("Painting the PDF…"));
        const QString part = request.path + QStringLiteral(".part");
        auto pages = painter(doc, part, request.letter);
        if (!pages) {
            QFile::remove(part);
            return pages.error();
        }
        if (isCancelled()) {
            QFile::remove(part);
            return cancelled();
        }
        QFile::remove(request.path);
        if (!QFile::rename(part, request.path)) {
            QFile::remove(part);
            return makeError(errc::kWriteFailed, QObject::tr("cannot write the PDF"), request.path);
        }
        out.pages = pages.value();
    } else {
        step(2, QObject::tr("Writing %1…").arg(reportFormatName(request.format)));
        QByteArray bytes;
        switch (request.format) {
        case ReportFormat::Html: bytes = report::toHtml(doc); break;
        case ReportFormat::Json: bytes = dump(report::toReportJson(doc.data())); break;
        case ReportFormat::Csv: bytes = report::indicatorsCsv(doc.data()); break;
        case ReportFormat::Stix: bytes = dump(report::toStixBundle(doc.data())); break;
        case ReportFormat::Pdf: break;
        }
        if (auto w = report::writeFile(request.path, bytes); !w)
            return w.error();
    }
    step(3, QObject::tr("Done"));
    out.bytes = QFileInfo(request.path).size();
    out.elapsedMs = clock.elapsed();
    return out;
}

ReportExportService::ReportExportService(std::shared_ptr<CaseStore> store, QObject *parent)
    : QObject(parent), m_store(std::move(store))
{
    qRegisterMetaType<causa::ReportExportResult>();
    m_pool.setMaxThreadCount(1);
}

ReportExportService::~ReportExportService()
{
    m_cancel = true;
    m_pool.waitForDone();
}

quint64 ReportExportService::exportReport(const ReportExportRequest &request)
{
    if (m_running.exchange(true))
        return 0;
    m_cancel = false;
    const quint64 job = ++m_jobs;
    QPointer<ReportExportService> self(this);
    auto store = m_store;
    auto painter = m_painter;
    m_pool.start([self, store, painter, request, job, this] {
        auto progress = [self, job](int step, int steps, const QString &what) {
            QMetaObject::invokeMethod(self, [self, job, step, steps, what] {
                if (self)
                    Q_EMIT self->progress(job, step, steps, what);
            });
        };
        auto r = runReportExport(*store, request, painter, progress, &m_cancel);
        // The service outlives the job (its destructor waits for the pool), so m_running is safe here.
        m_running = false;
        QMetaObject::invokeMethod(self, [self, job, r] {
            if (!self)
                return;
            if (r)
                Q_EMIT self->finished(job, r.value());
            else
                Q_EMIT self->failed(job, r.error().toString());
        });
    });
    return job;
}

} // namespace causa
