// import, cases, show, stats, verify-audit.
#include "commands.h"

#include "connectors/exportconnector.h"
#include "core/errorcodes.h"
#include "core/jsonutil.h"
#include "import/importdispatcher.h"
#include "store/auditlog.h"
#include "store/storejson.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTimeZone>

namespace causa::cli {

namespace {

QString formatTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString elide(const QString &s, int width)
{
    QString t = s.simplified();
    if (t.size() <= width)
        return t;
    return t.left(width - 1) + QChar(0x2026);
}

} // namespace

int cmdImport(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    const QStringList files = ctx.args();
    if (files.isEmpty())
        return ctx.usage(QStringLiteral("import needs at least one FILE"));
    for (const QString &f : files)
        if (f.startsWith(QLatin1String("--")))
            return ctx.usage(QStringLiteral("unknown option '%1'").arg(f));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    ImportDispatcher importer(*store.value());
    int exit = Ok;
    nlohmann::json report = nlohmann::json::array();
    for (const QString &file : files) {
        ImportOptions options;
        options.warn = [&ctx](const QString &problem) {
            ctx.err() << "warning: " << problem << Qt::endl;
        };
        auto counts = importer.importFile(file, options);
        if (!counts) {
            ctx.fail(counts.error());
            report.push_back(
                {{"file", js::toStd(file)}, {"error", js::toStd(counts.error().toString())}});
            exit = BadInput;
            continue;
        }
        const ImportCounts &c = counts.value();
        if (c.rejected > 0)
            exit = BadInput;
        if (asJson) {
            nlohmann::json j = toJson(c);
            j["file"] = js::toStd(file);
            report.push_back(j);
        } else {
            ctx.out() << QFileInfo(file).fileName() << ": " << c.cases << " new cases, " << c.alerts
                      << " new alerts, " << c.processes << " processes, " << c.events << " events, "
                      << c.indicators << " indicators";
            if (c.intel)
                ctx.out() << ", " << c.intel << " intel entries";
            if (c.skipped)
                ctx.out() << ", " << c.skipped << " already present";
            if (c.rejected)
                ctx.out() << ", " << c.rejected << " bad records skipped";
            ctx.out() << Qt::endl;
        }
    }
    if (asJson)
        ctx.printJson(report);
    return exit;
}

int cmdCases(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    CaseFilter filter;
    filter.text = ctx.takeOption(QStringLiteral("--filter"));
    if (!ctx.args().isEmpty())
        return ctx.usage(QStringLiteral("unexpected argument '%1'").arg(ctx.args().first()));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto cases = store.value()->cases(filter);
    if (!cases)
        return ctx.fail(cases.error(), Failure);
    if (asJson) {
        nlohmann::json a = nlohmann::json::array();
        for (const CaseSummary &c : cases.value())
            a.push_back(toJson(c));
        ctx.printJson(a);
        return Ok;
    }
    QTextStream &o = ctx.out();
    o << qSetFieldWidth(5) << Qt::left << "ID" << qSetFieldWidth(12) << "SOURCE REF"
      << qSetFieldWidth(10) << "SEVERITY" << qSetFieldWidth(12) << "STATUS" << qSetFieldWidth(15)
      << "VERDICT" << qSetFieldWidth(13) << "ASSIGNEE" << qSetFieldWidth(18) << "HOSTS"
      << qSetFieldWidth(16) << "USERS" << qSetFieldWidth(7) << "ALERTS" << qSetFieldWidth(0)
      << "TITLE" << Qt::endl;
    for (const CaseSummary &c : cases.value()) {
        o << qSetFieldWidth(5) << c.id << qSetFieldWidth(12)
          << elide(c.source + QLatin1Char(':') + c.sourceRef, 11) << qSetFieldWidth(10)
          << severityName(c.severity) << qSetFieldWidth(12) << c.status << qSetFieldWidth(15)
          << (c.verdict.isEmpty() ? QStringLiteral("-") : c.verdict) << qSetFieldWidth(13)
          << (c.assignee.isEmpty() ? QStringLiteral("-") : elide(c.assignee, 12))
          << qSetFieldWidth(18) << elide(c.hosts.join(QLatin1Char(',')), 17) << qSetFieldWidth(16)
          << elide(c.users.join(QLatin1Char(',')), 15) << qSetFieldWidth(7) << c.alertCount
          << qSetFieldWidth(0) << elide(c.title, 60) << Qt::endl;
    }
    return Ok;
}

int cmdShow(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    if (ctx.args().size() != 1)
        return ctx.usage(QStringLiteral("show needs exactly one CASE"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    CaseStore &s = *store.value();
    auto id = resolveCase(s, ctx.args().first());
    if (!id)
        return ctx.fail(id.error());
    auto summary = s.caseSummary(id.value());
    auto alerts = s.alertsOfCase(id.value());
    auto processes = s.processesOfCase(id.value());
    auto indicators = s.indicatorsOfCase(id.value());
    if (!summary || !alerts || !processes || !indicators)
        return ctx.fail(!summary     ? summary.error()
                        : !alerts    ? alerts.error()
                        : !processes ? processes.error()
                                     : indicators.error(),
                        Failure);
    if (asJson) {
        nlohmann::json j;
        j["case"] = toJson(summary.value());
        j["alerts"] = nlohmann::json::array();
        for (const auto &a : alerts.value())
            j["alerts"].push_back(toJson(a));
        j["processes"] = nlohmann::json::array();
        for (const auto &p : processes.value())
            j["processes"].push_back(toJson(p));
        j["indicators"] = nlohmann::json::array();
        for (const auto &i : indicators.value())
            j["indicators"].push_back(toJson(i));
        ctx.printJson(j);
        return Ok;
    }
    const CaseSummary &c = summary.value();
    QTextStream &o = ctx.out();
    o << "Case " << c.id << " (" << c.source << ':' << c.sourceRef << "): " << c.title << '\n'
      << "  severity " << severityName(c.severity) << ", status " << c.status << ", verdict "
      << (c.verdict.isEmpty() ? QStringLiteral("-") : c.verdict) << ", TLP:" << c.tlp << '\n'
      << "  assignee: " << (c.assignee.isEmpty() ? QStringLiteral("-") : c.assignee) << '\n'
      << "  hosts: " << c.hosts.join(QStringLiteral(", "))
      << "\n  users: " << c.users.join(QStringLiteral(", ")) << "\n  created "
      << formatTime(c.createdAt) << " UTC\n\nAlerts (" << alerts->size() << "):\n";
    for (const auto &sa : alerts.value()) {
        const AlertRecord &a = sa.alert;
        o << "  [" << a.alertId << "] " << formatTime(a.detectedAt) << "  "
          << severityName(a.severity) << "  " << a.name << "  on " << a.hostName
          << (a.blocked ? "  (blocked)" : "") << '\n';
        if (!a.mitreTechniques.isEmpty())
            o << "      MITRE: " << a.mitreTechniques.join(QStringLiteral("; ")) << '\n';
    }
    o << "\nProcesses (" << processes->size() << "):\n";
    for (const auto &sp : processes.value())
        o << "  " << sp.process.imageName << " pid " << sp.process.pid << "  "
          << sp.roles.join(QLatin1Char(',')) << "\n      " << elide(sp.process.commandLine, 110)
          << '\n';
    o << "\nIndicators (" << indicators->size() << "):\n";
    for (const auto &i : indicators.value())
        o << "  " << i.type << "  " << i.value << (i.internal ? "  (internal)" : "") << "  ["
          << i.contexts.join(QLatin1Char(',')) << "]\n";
    o.flush();
    return Ok;
}

int cmdStats(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    if (!ctx.args().isEmpty())
        return ctx.usage(QStringLiteral("unexpected argument '%1'").arg(ctx.args().first()));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    auto stats = store.value()->stats();
    if (!stats)
        return ctx.fail(stats.error(), Failure);
    if (asJson) {
        ctx.printJson(toJson(stats.value()));
        return Ok;
    }
    const StoreStats &s = stats.value();
    ctx.out() << "cases " << s.cases << "\nalerts " << s.alerts << "\nendpoints " << s.endpoints
              << "\nprocesses " << s.processes << "\nevents " << s.events << "\nindicators "
              << s.indicators << "\nactions " << s.actions << Qt::endl;
    return Ok;
}

namespace {

// The signed head a report JSON carries (audit.signed_head), checked with the local key.
Result<SignedHead> readSignedHead(const QString &path, qint64 caseId)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kUsage,
                         QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    const nlohmann::json j = nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
    const nlohmann::json *h = j.is_object() && j.contains("audit") && j["audit"].is_object() &&
                                      j["audit"].contains("signed_head")
                                  ? &j["audit"]["signed_head"]
                                  : nullptr;
    if (!h || !h->is_object() || !(*h)["case_id"].is_number_integer() ||
        !(*h)["entries"].is_number_integer() || !(*h)["head"].is_string() ||
        !(*h)["signed_at"].is_number_integer() || !(*h)["signature"].is_string())
        return makeError(
            errc::kBadInput,
            QStringLiteral("%1 is not a report JSON with a signed audit head").arg(path));
    SignedHead head{(*h)["case_id"].get<qint64>(), (*h)["entries"].get<qint64>(),
                    QString::fromStdString((*h)["head"].get<std::string>()),
                    (*h)["signed_at"].get<qint64>(),
                    QString::fromStdString((*h)["signature"].get<std::string>())};
    if (head.caseId != caseId)
        return makeError(errc::kBadInput, QStringLiteral("%1 is the report of case %2, not case %3")
                                              .arg(path)
                                              .arg(head.caseId)
                                              .arg(caseId));
    auto key = ExportConnector::localKey();
    if (!key)
        return key.error();
    if (!audit::headSignatureValid(head, key.value()))
        return makeError(
            errc::kBadSignature,
            QStringLiteral(
                "the audit head in %1 is not signed with this analyst's key (or was edited)")
                .arg(path));
    return head;
}

} // namespace

int cmdVerifyAudit(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    const QString against = ctx.takeOption(QStringLiteral("--against"));
    if (ctx.args().size() != 1)
        return ctx.usage(QStringLiteral("verify-audit needs exactly one CASE"));
    auto store = ctx.store();
    if (!store)
        return ctx.fail(store.error(), Failure);
    // Case 0 is the store-wide chain (tenant profile changes and confirmations).
    auto id = ctx.args().first() == QLatin1String("0")
                  ? Result<qint64>(qint64(0))
                  : resolveCase(*store.value(), ctx.args().first());
    if (!id)
        return ctx.fail(id.error());
    auto conn = store.value()->connection();
    if (!conn)
        return ctx.fail(conn.error(), Failure);
    auto v = audit::verify(conn.value(), id.value());
    if (!v)
        return ctx.fail(v.error(), Failure);
    if (!against.isEmpty()) {
        auto head = readSignedHead(against, id.value());
        if (!head)
            return ctx.fail(head.error(), BadInput);
        auto problem = audit::checkAgainst(conn.value(), head.value());
        if (!problem)
            return ctx.fail(problem.error(), Failure);
        if (!problem->isEmpty() && v->intact) {
            v->intact = false;
            v->problem = problem.value();
            v->firstBadSeq = head->entries;
        }
    }
    if (asJson) {
        ctx.printJson({{"case_id", id.value()},
                       {"intact", v->intact},
                       {"entries", v->entries},
                       {"head", js::toStd(v->head)},
                       {"first_bad_seq", v->firstBadSeq},
                       {"problem", js::toStd(v->problem)},
                       {"checked_against", js::toStd(against)}});
    } else if (v->intact) {
        ctx.out() << "audit chain intact: " << v->entries << " entries, head " << v->head
                  << Qt::endl;
        if (!against.isEmpty())
            ctx.out() << "matches the signed head in " << against << Qt::endl;
    } else {
        ctx.out() << "audit chain BROKEN: " << v->problem << Qt::endl;
    }
    return v->intact ? Ok : BadInput;
}

} // namespace causa::cli
