// causa-cli: the headless face of Causa's engine (SPEC §11).
#include "commands.h"
#include "core/platform.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

using namespace causa::cli;

namespace {

const char *kHelp = R"(Usage: causa-cli [--db PATH | --store URL] COMMAND [ARGS]

Commands:
  import FILE...                 import Cortex XDR JSON (incident extra data, fetched incident,
                                 get_alerts, get_alerts_by_filter_data), Windows event logs
                                 (Sysmon/Security/System JSON lines, .evtx) and threat intel
                                 (IOC CSV, allowlists, MISP event/feed JSON, STIX 2.1 bundles),
                                 or a ZIP of such files (one transaction); prints counts.
                                 Exit 0 ok, 1 bad input (store unchanged), 2 usage.
  cases [--json] [--filter TEXT] list cases: id, source incident id, title, severity, status,
                                 verdict, assignee, hosts, users, alert count
  show CASE [--json]             one case with its alerts, processes and indicators
  assign CASE USER [--by NAME] [--force] [--if-version N] [--json]
                                 give the case to an analyst (audited). Fails with exit 1
                                 when another analyst owns it (--force reassigns) or when the
                                 case changed since row_version N (optimistic locking)
  unassign CASE [--by NAME] [--if-version N] [--json]
                                 clear the case's assignee
  stats --json                   {"cases", "alerts", "endpoints", "processes", "events",
                                  "indicators", "actions"}
  verify-audit CASE [--against REPORT.json] [--json]
                                 check the case's audit hash chain and its head (exit 1 when
                                 broken); --against: the chain still holds the head signed
                                 into that report JSON (report --json)
  tree (CASE | --host NAME) [--json]
                                 process tree of the case's endpoints (the trees holding its
                                 alert processes) or of one host; --json prints nested nodes
                                 {image, pid, user, start_time, command_line, signature_status,
                                 signature_vendor, badges[], alerts[], network[], pipes[],
                                 files[], services[], children[]}
  hunt --sigma PATH... [--case CASE | --host NAME] [--json]
                                 run Sigma rules (files or folders of .yml) over the stored
                                 events of the case's endpoints, one host, or every event;
                                 prints {"rules_loaded", "rules_skipped": [{path, reason}],
                                 "matches": [{rule_id, title, level, tags, host, ts, event,
                                 fields[], credit}]}. Rules it cannot run are skipped with a
                                 reason. SigmaHQ rules: credit their authors (DRL 1.1).
  chain (CASE | --host NAME) [--json]
                                 the PsExec-like lateral-movement chain, source host -> victim,
                                 stitched from the stored events of the case's hosts (or one
                                 host): one chain per remote service install (7045/4697, or
                                 PsExec pipes without them), each with seven hops in order:
                                 source_process, logon, share_access, service_binary,
                                 service_install, pipes, service_children. A hop the logs cannot
                                 show is "found": false with the reason in "unknown".
                                 --json prints {"scope", "victims": [host], "chains": [{
                                 "victim": {host, endpoint_id, process_key}, "source": {host|null,
                                 ip|null, endpoint_id|null, process_key|null, logs_present},
                                 "user"|null, "service": {name, image, tool}, "start", "end",
                                 "notes": [text], "unknown": [hop id], "hops": [{hop, title,
                                 host, found, first, last, user, detail, unknown|null,
                                 process_key|null, events: [{id, code, ts, host, user, summary,
                                 process_key|null}]}]}]}. Times are epoch ms as stored; process
                                 keys name nodes of 'tree' on that host.
  enrich CASE [--offline] [--json] [--preview] [--cached]
                                 look every indicator of the case up (local intel, built-in
                                 knowledge, WildFire, VirusTotal, AbuseIPDB) and merge the
                                 verdicts into a score 0-3; --preview prints the requests that
                                 would leave the machine (keys redacted) without sending them;
                                 --cached shows stored results only. Keys: 'secret set', else
                                 CAUSA_VT_API_KEY, CAUSA_ABUSEIPDB_API_KEY; CAUSA_OFFLINE=1 = --offline.
  analyze [--json] [--jsonl FILE|-] [--] [CMDLINE...]
                                 static command-line analysis: decoded layers, findings with
                                 ATT&CK ids and score contributions, indicators, XSOAR flags,
                                 score/risk/verdict. Each CMDLINE argument is one command line
                                 (quote it). --json prints one object (an array for several).
                                 --jsonl reads one JSON string per line from FILE or stdin and
                                 writes one JSON object per line; a line that cannot be
                                 analysed yields {"error": ..., "line": n}. Exit 1 if any failed.
                                 With --db/--store the store's custom patterns and allowlist apply.
  report CASE --pdf OUT.pdf [--html OUT] [--json OUT] [--stix OUT] [--csv OUT] [--page-size A4|Letter]
         [--tlp LEVEL] [--pap LEVEL]  (default: the case's own marking, see 'mark')
                                 the incident report; any subset of the outputs may be given.
                                 PDF is painted on Qt's offscreen platform (no display needed).
  run CASE [--auto-remediation] [--step] [--json] [--input NAME=VALUE]... [--by NAME]
                                 run the Remote PsExec/LOLBin playbook (resumes the case's
                                 unfinished run); stops at approvals unless --auto-remediation.
                                 Inputs: AutoRemediation, HighAlertsThreshold,
                                 CriticalAlertsThreshold, RelatedAlertsWindow (2h), TwoPersonRule,
                                 MinimumScoreToBlock, VerdictRule (score|xsoar-flags).
                                 --rerun STAGE | --skip STAGE --reason T |
                                 --override STAGE.KEY=VALUE --reason T
  close CASE --resolution (true_positive|false_positive|benign_true_positive|duplicate|other)
        --note T [--by NAME]     the analyst closes the case (stage 7 only proposes a resolution);
                                 refused while actions await a decision
  reopen CASE --note REASON [--by NAME]
                                 reopen a closed case (audited); stage 7 waits again
  checklist CASE [--tick N | --untick N] [--note T] [--by NAME] [--json]
                                 the remediation checklist of the latest run; ticks are audited
  propose CASE --kind KIND --target VALUE --reason T [--by NAME] [--json]
                                 an ad-hoc action (block_hash, block_ip, block_url, block_domain,
                                 disable_user, isolate_endpoint) that waits for approval
  pattern add NAME --match TEXT [--category C] [--weight N] | pattern list [--all] [--json] |
  pattern disable NAME           custom command-line patterns (versioned; "a && b" needs both)
  allow add NAME --match TEXT | allow list [--all] [--json] | allow remove NAME
                                 allowlist entries that discount matching command lines
                                 (used by analyze, run, report and the workbench)
  mark CASE [--tlp LEVEL] [--pap LEVEL] [--indicator ID|VALUE] [--by NAME]
                                 TLP 2.0 / PAP of a case or one of its indicators: RED is never
                                 sent to online providers; the case's marking is the report default
  actions CASE [--json] [--preview]
                                 list response actions: id, kind, target, state, approvals
                                 (who, when, note), connector result; --preview = dry run
  approve ID --by NAME [--note T]  approve an action; once approved it executes (exactly once)
  reject ID --by NAME --note T   reject an action with a reason
    Connector options (run/actions/approve/reject): --connector export|xdr (or CAUSA_CONNECTOR;
    default export), --xdr-url URL (or CAUSA_XDR_URL), --xdr-advanced-key, --export-dir DIR.
    The XDR API key comes only from CAUSA_XDR_API_KEY / CAUSA_XDR_API_KEY_ID.
    run also takes --tenant NAME (or the default tenant) for stages 4b/4c, or --local.
  tenant add NAME --url URL --key-id ID [--key-type standard|advanced] (--key-stdin | --key-env VAR)
         [--ca-file PEM] [--allow-self-signed] [--timeout SEC] [--default]
                                 a Cortex XDR tenant profile (kept in the store's settings); the
                                 key goes to the secret store (OS keychain, or an owner-only file)
  tenant edit NAME [same options, --verify-tls] | list [--json] | test NAME | remove NAME | default NAME|none
                                 test makes one cheap authenticated call: OK, UNAUTHORIZED (401)
                                 or UNREACHABLE; exit 3 unless OK
  pull INCIDENT_ID [--related] [--window 2h] [--tenant NAME] [--json]
                                 fetch the incident (get_incident_extra_data) and with --related
                                 every alert on its hosts within the window (paged); imported in
                                 one transaction through the XDR importer. Exit 3 on network/API
                                 errors (401, 429 after retries, 5xx, timeout), 1 on a bad reply.
  secret set|remove|status [virustotal|abuseipdb]
                                 provider API keys in the secret store (set reads stdin); the
                                 environment variables stay a fallback

CASE is a store id (see 'cases') or SOURCE:REF such as xdr:1234.
Options:
  --db PATH        SQLite case store (default: $XDG_DATA_HOME/causa/cases.sqlite)
  --store URL      postgresql://user@host:port/db for a team store
  --version        print the version
  --help           this text

JSON output (stable): 'cases --json' prints an array of objects with keys id, source,
source_ref, title, severity, status, verdict, assignee, tlp, hosts[], users[], alert_count,
created_at, updated_at (epoch ms), row_version. 'show --json' prints {"case": {...}, "alerts": [...],
"processes": [...], "indicators": [...]}.
)";

} // namespace

int main(int argc, char *argv[])
{
    // process-wide settings: main() chooses them, not the libraries
    causa::platform::tuneAllocator();
    // Only 'report' needs the GUI libraries' application object (PDF painting); peek at the
    // command before any application exists, skipping the store options.
    bool isReport = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--db") || !std::strcmp(argv[i], "--store")) {
            ++i;
            continue;
        }
        if (argv[i][0] == '-')
            continue;
        isReport = !std::strcmp(argv[i], "report");
        break;
    }
    std::unique_ptr<QCoreApplication> appHolder(isReport ? createReportApplication(argc, argv)
                                                         : nullptr);
    if (!appHolder)
        appHolder = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication &app = *appHolder;
    QCoreApplication::setApplicationName(QStringLiteral("causa"));
    QCoreApplication::setOrganizationName(QStringLiteral("causa"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CAUSA_VERSION));

    QStringList args = app.arguments().mid(1);
    QString storeSpec;
    for (int i = 0; i < args.size();) {
        const QString a = args.at(i);
        if ((a == QLatin1String("--db") || a == QLatin1String("--store")) && i + 1 < args.size()) {
            storeSpec = args.at(i + 1);
            args.remove(i, 2);
        } else if (a.startsWith(QLatin1String("--db=")) ||
                   a.startsWith(QLatin1String("--store="))) {
            storeSpec = a.mid(a.indexOf(QLatin1Char('=')) + 1);
            args.remove(i);
        } else if (a == QLatin1String("--db") || a == QLatin1String("--store")) {
            std::fprintf(stderr, "causa-cli: %s needs a value\n", qPrintable(a));
            return Usage;
        } else {
            ++i;
        }
    }
    if (args.contains(QLatin1String("--version"))) {
        std::printf("causa-cli %s\n", CAUSA_VERSION);
        return Ok;
    }
    if (args.isEmpty() || args.first() == QLatin1String("--help") ||
        args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        std::fputs(kHelp, args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? Usage : Ok;
    }
    const QString command = args.takeFirst();
    static const std::map<QString, int (*)(CliContext &)> commands = {
        {QStringLiteral("import"), cmdImport},
        {QStringLiteral("cases"), cmdCases},
        {QStringLiteral("show"), cmdShow},
        {QStringLiteral("stats"), cmdStats},
        {QStringLiteral("verify-audit"), cmdVerifyAudit},
        {QStringLiteral("tree"), cmdTree},
        {QStringLiteral("chain"), cmdChain},
        {QStringLiteral("enrich"), cmdEnrich},
        {QStringLiteral("analyze"), cmdAnalyze},
        {QStringLiteral("report"), cmdReport},
        {QStringLiteral("run"), cmdRun},
        {QStringLiteral("actions"), cmdActions},
        {QStringLiteral("approve"), cmdApprove},
        {QStringLiteral("reject"), cmdReject},
        {QStringLiteral("close"), cmdClose},
        {QStringLiteral("reopen"), cmdReopen},
        {QStringLiteral("checklist"), cmdChecklist},
        {QStringLiteral("propose"), cmdPropose},
        {QStringLiteral("pattern"), cmdPattern},
        {QStringLiteral("allow"), cmdAllow},
        {QStringLiteral("mark"), cmdMark},
        {QStringLiteral("tenant"), cmdTenant},
        {QStringLiteral("pull"), cmdPull},
        {QStringLiteral("secret"), cmdSecret},
        {QStringLiteral("assign"), cmdAssign},
        {QStringLiteral("unassign"), cmdUnassign},
        {QStringLiteral("hunt"), cmdHunt},
    };
    const auto it = commands.find(command);
    CliContext ctx(args, storeSpec);
    if (it == commands.end())
        return ctx.usage(QStringLiteral("unknown command '%1'").arg(command));
    return it->second(ctx);
}
