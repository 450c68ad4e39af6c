#pragma once

#include <QLatin1String>

// The stable codes of causa::Error. They are part of the CLI's contract (`--json` errors and the
// exit status derived from them) and of what tests assert, so a code is never renamed; compare
// and create errors with these names, never with a spelled-out string.
namespace causa::errc {

// Any command or API
inline constexpr QLatin1String kUsage("usage");
inline constexpr QLatin1String kIo("io");
inline constexpr QLatin1String kCancelled("cancelled");
inline constexpr QLatin1String kEmpty("empty");
inline constexpr QLatin1String kExists("exists");
inline constexpr QLatin1String kNotFound("not-found");
inline constexpr QLatin1String kWrite("write");
inline constexpr QLatin1String kWriteFailed("write-failed");
inline constexpr QLatin1String kBadInput("bad-input");
inline constexpr QLatin1String kBadSetting("bad-setting");
inline constexpr QLatin1String kUnknownFormat("unknown-format");
inline constexpr QLatin1String kTooLarge("too-large");
inline constexpr QLatin1String kTooDeep("too-deep");
inline constexpr QLatin1String kNoPath("no-path");
inline constexpr QLatin1String kMissingField("missing-field");

// The case store (SQLite or PostgreSQL). store-connection and store-busy are retried by CaseStore:
// the connection dropped (reconnect, then retry), or the server aborted the transaction to break a
// deadlock or a serialisation failure (retry as is).
inline constexpr QLatin1String kSql("sql");
inline constexpr QLatin1String kConflict("conflict");
inline constexpr QLatin1String kMigration("migration");
inline constexpr QLatin1String kNoDriver("no-driver");
inline constexpr QLatin1String kStoreOpen("store-open");
inline constexpr QLatin1String kStoreAuth("store-auth");
inline constexpr QLatin1String kStorePath("store-path");
inline constexpr QLatin1String kStoreTls("store-tls");
inline constexpr QLatin1String kStoreConnection("store-connection");
inline constexpr QLatin1String kStoreBusy("store-busy");
inline constexpr QLatin1String kBadStorePath("bad-store-path");
inline constexpr QLatin1String kBadStoreUrl("bad-store-url");
inline constexpr QLatin1String kNoCase("no-case");
inline constexpr QLatin1String kImport("import");

// Importers and their formats
inline constexpr QLatin1String kBadJson("bad-json");
inline constexpr QLatin1String kEvtx("evtx");
inline constexpr QLatin1String kEvtxXml("evtx-xml");
inline constexpr QLatin1String kEvtxUnsupported("evtx-unsupported");
inline constexpr QLatin1String kZip("zip");
inline constexpr QLatin1String kBadMisp("bad-misp");
inline constexpr QLatin1String kBadStix("bad-stix");
inline constexpr QLatin1String kNotXdr("not-xdr");
inline constexpr QLatin1String kBadField("bad-field");

// The XDR connector and tenants
inline constexpr QLatin1String kXdrAuth("xdr-auth");
inline constexpr QLatin1String kXdrBadReply("xdr-bad-reply");
inline constexpr QLatin1String kXdrHttp("xdr-http");
inline constexpr QLatin1String kXdrNoKey("xdr-no-key");
inline constexpr QLatin1String kXdrNoTenant("xdr-no-tenant");
inline constexpr QLatin1String kXdrRateLimited("xdr-rate-limited");
inline constexpr QLatin1String kXdrRefused("xdr-refused");
inline constexpr QLatin1String kXdrRequest("xdr-request");
inline constexpr QLatin1String kXdrServer("xdr-server");
inline constexpr QLatin1String kXdrTimeout("xdr-timeout");
inline constexpr QLatin1String kXdrUnreachable("xdr-unreachable");
inline constexpr QLatin1String kXdrUnsupported("xdr-unsupported");
inline constexpr QLatin1String kXdrTenantUnconfirmed("xdr-tenant-unconfirmed");
inline constexpr QLatin1String kBadTenant("bad-tenant");
inline constexpr QLatin1String kTenantPins("tenant-pins");

// Playbook runs, decisions and response actions
inline constexpr QLatin1String kPlaybook("playbook");
inline constexpr QLatin1String kPlaybookDefinition("playbook-definition");
inline constexpr QLatin1String kPlaybookInput("playbook-input");
inline constexpr QLatin1String kNoPlaybook("no-playbook");
inline constexpr QLatin1String kNoRun("no-run");
inline constexpr QLatin1String kNoStage("no-stage");
inline constexpr QLatin1String kNotRun("not-run");
inline constexpr QLatin1String kNothingToRun("nothing-to-run");
inline constexpr QLatin1String kOwnRun("own-run");
inline constexpr QLatin1String kNoAction("no-action");
inline constexpr QLatin1String kNoConnector("no-connector");
inline constexpr QLatin1String kNotApproved("not-approved");
inline constexpr QLatin1String kNotAwaiting("not-awaiting");
inline constexpr QLatin1String kNotExecuting("not-executing");
inline constexpr QLatin1String kNotClosed("not-closed");
inline constexpr QLatin1String kAlreadyClosed("already-closed");
inline constexpr QLatin1String kActionsPending("actions-pending");
inline constexpr QLatin1String kDuplicateApprover("duplicate-approver");
inline constexpr QLatin1String kEmptyNote("empty-note");
inline constexpr QLatin1String kBadEvidence("bad-evidence");

// Analysis knowledge and the analyst's own patterns
inline constexpr QLatin1String kKnowledge("knowledge");
inline constexpr QLatin1String kKnowledgeMissing("knowledge.missing");
inline constexpr QLatin1String kKnowledgeRule("knowledge.rule");
inline constexpr QLatin1String kPatterns("patterns");
inline constexpr QLatin1String kPatternEmpty("pattern.empty");
inline constexpr QLatin1String kPatternKind("pattern.kind");
inline constexpr QLatin1String kPatternWeight("pattern.weight");

// Reports, exports and secrets
inline constexpr QLatin1String kExport("export");
inline constexpr QLatin1String kExportKey("export-key");
inline constexpr QLatin1String kExportUnsupported("export-unsupported");
inline constexpr QLatin1String kExportValue("export-value");
inline constexpr QLatin1String kNoPdf("no-pdf");
inline constexpr QLatin1String kBadSignature("bad-signature");
inline constexpr QLatin1String kKeychain("keychain");
inline constexpr QLatin1String kSecretsIo("secrets-io");
inline constexpr QLatin1String kSecretsCorrupt("secrets-corrupt");

} // namespace causa::errc
