// report: the incident report as PDF, HTML, JSON, CSV and STIX 2.1 (SPEC §10, §11).
#include "commands.h"

#include "connectors/exportconnector.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "report/reportcomposer.h"
#include "report/reportexporters.h"
#include "store/auditlog.h"
#include "store/markingstore.h"

#ifdef CAUSA_CLI_WITH_PDF
#include "report/pdfreportwriter.h"

#include <QGuiApplication>
#endif

#include <QFileInfo>

namespace causa::cli {

QCoreApplication *createReportApplication(int &argc, char **argv)
{
#ifdef CAUSA_CLI_WITH_PDF
    // PDF painting needs a QGuiApplication (fonts); a report is never shown, so the offscreen
    // platform lets it run on servers without a display.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    return new QGuiApplication(argc, argv);
#else
    Q_UNUSED(argc);
    Q_UNUSED(argv);
    return nullptr;
#endif
}

int cmdReport(CliContext &ctx)
{
    bool pdfGiven = false;
    const QString pdf = ctx.takeOption(QStringLiteral("--pdf"), &pdfGiven);
    const QString html = ctx.takeOption(QStringLiteral("--html"));
    const QString json = ctx.takeOption(QStringLiteral("--json"));
    const QString stix = ctx.takeOption(QStringLiteral("--stix"));
    const QString csv = ctx.takeOption(QStringLiteral("--csv"));
    const QString pageSize = ctx.takeOption(QStringLiteral("--page-size")).toLower();
    // The case's own marking is the default; --tlp/--pap mark this export differently.
    auto tlp = markings::normaliseTlp(ctx.takeOption(QStringLiteral("--tlp")));
    auto pap = markings::normalisePap(ctx.takeOption(QStringLiteral("--pap")));
    if (!tlp || !pap)
        return ctx.usage(!tlp ? tlp.error().message : pap.error().message);
    if (ctx.args().size() != 1 || ctx.args().first().startsWith(QLatin1String("--")))
        return ctx.usage(
            QStringLiteral("report needs exactly one CASE and at least one of --pdf, --html, "
                           "--json, --stix, --csv with a file name"));
    if (pdf.isEmpty() && html.isEmpty() && json.isEmpty() && stix.isEmpty() && csv.isEmpty())
        return ctx.usage(
            pdfGiven ? QStringLiteral("--pdf needs a file name")
                     : QStringLiteral("report needs at least one output (--pdf OUT.pdf ...)"));
    if (!pageSize.isEmpty() && pageSize != QLatin1String("a4") &&
        pageSize != QLatin1String("letter"))
        return ctx.usage(QStringLiteral("--page-size is A4 or Letter"));
#ifndef CAUSA_CLI_WITH_PDF
    if (!pdf.isEmpty())
        return ctx.fail(
            makeError(errc::kNoPdf,
                      QStringLiteral("this causa-cli was built without the GUI libraries "
                                     "(CAUSA_BUILD_GUI=OFF) and cannot paint PDF; use --html")),
            Failure);
#endif
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto id = resolveCase(*store.value(), ctx.args().first());
    if (!id)
        return ctx.fail(id.error());
    auto data = loadReportData(*store.value(), id.value());
    if (!data)
        return ctx.fail(data.error(), Failure);
    if (!tlp->isEmpty())
        data->summary.tlp = tlp.value();
    if (!pap->isEmpty())
        data->detail.pap = pap.value();
    const ReportDocument doc = composeReport(std::move(data).value());

    auto write = [&ctx](const QString &path, const QByteArray &bytes) {
        if (path.isEmpty())
            return true;
        if (auto r = report::writeFile(path, bytes); !r) {
            ctx.fail(r.error(), Failure);
            return false;
        }
        ctx.out() << path << Qt::endl;
        return true;
    };
    auto dump = [](const nlohmann::json &j) {
        QByteArray bytes = QByteArray::fromStdString(
            j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        bytes.append('\n');
        return bytes;
    };
    nlohmann::json reportJson;
    if (!json.isEmpty()) {
        reportJson = report::toReportJson(doc.data());
        // The chain head, signed with the analyst's key, anchors the audit log outside the store:
        // `verify-audit CASE --against` later shows whether entries were cut or rewritten.
        // Without a key the head is still written, unsigned: --against then says so.
        auto key = ExportConnector::localKey();
        if (!key)
            ctx.err() << "warning: the audit head is not signed: " << key.error().message
                      << Qt::endl;
        const AuditVerification &v = doc.data().auditVerification;
        const SignedHead h =
            audit::signHead(id.value(), v.entries, v.head, key ? key.value() : QByteArray());
        reportJson["audit"]["signed_head"] = {
            {"case_id", h.caseId},
            {"entries", h.entries},
            {"head", js::toStd(h.head)},
            {"signed_at", h.signedAt},
            {"signature", js::toStd(h.signature)},
            {"algorithm", key ? "HMAC-SHA256 (local export key)" : "none"}};
    }
    if (!write(html, report::toHtml(doc)) || !write(json, dump(reportJson)) ||
        !write(stix, dump(report::toStixBundle(doc.data()))) ||
        !write(csv, report::indicatorsCsv(doc.data())))
        return Failure;
#ifdef CAUSA_CLI_WITH_PDF
    if (!pdf.isEmpty()) {
        PdfReportOptions options;
        options.pageSize = pageSize == QLatin1String("letter") ? QPageSize::Letter : QPageSize::A4;
        auto r = PdfReportWriter(options).write(doc, pdf);
        if (!r)
            return ctx.fail(r.error(), Failure);
        ctx.out() << pdf << " (" << r->pages << " pages)" << Qt::endl;
    }
#endif
    return Ok;
}

} // namespace causa::cli
