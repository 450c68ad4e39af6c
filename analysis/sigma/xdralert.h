#pragma once

#include <string>

namespace causa {
struct StoredAlertRow;
}

namespace causa::sigma {

// The channel a stored XDR alert is matched under, read as a Sigma process_creation event (lower
// case, as log targets name channels). No Windows log is called this.
inline constexpr char kXdrAlertChannel[] = "causa/xdr-alert";

// An XDR alert as the store holds it, read as Sigma's Windows process_creation taxonomy: the
// process the alert is about (the action process, else the OS actor, actor or causality owner)
// as Image/CommandLine/ProcessId/User/Hashes, the next role up its chain as
// ParentImage/ParentCommandLine/ParentProcessId, the host as Computer. Fields the store does not
// keep (OriginalFileName, IntegrityLevel, CurrentDirectory...) stay absent and so match no
// value. Returns the flat JSON object SigmaMatcher::match() reads.
std::string xdrAlertEvent(const StoredAlertRow &alert);

} // namespace causa::sigma
