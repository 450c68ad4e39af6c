#pragma once

#include "enrichmentprovider.h"

namespace causa {

// Knowledge shipped with Causa: private and reserved address ranges and reserved domain names
// are internal (score 1); a binary of the case signed by a well-known vendor is good (1); a
// binary running under a PsExec-like service name (PSEXESVC, PAExec, RemCom, CSExec...) is a
// dual-use remote-execution tool (2). Grade C: these are strong hints, not proof, so feed intel
// (B) overrides them.
class BuiltinProvider final : public LocalProvider
{
public:
    QString name() const override { return QStringLiteral("builtin"); }
    QString reliability() const override { return QStringLiteral("C"); }
    bool supports(const EnrichmentSubject &subject) const override;
    ProviderResult evaluate(const EnrichmentSubject &subject) const override;

    static bool isPsexecLikeService(const QString &imageName);
    static bool isWellKnownSigner(const QString &vendor);
    static bool isReservedDomain(const QString &domain);
};

// The alert source's own sandbox verdicts (Cortex XDR WildFire: MALWARE, GRAYWARE, BENIGN, and
// is_malicious), found in the case's alerts as received. Grade B.
class WildfireProvider final : public LocalProvider
{
public:
    QString name() const override { return QStringLiteral("wildfire"); }
    QString reliability() const override { return QStringLiteral("B"); }
    bool supports(const EnrichmentSubject &subject) const override;
    ProviderResult evaluate(const EnrichmentSubject &subject) const override;
};

} // namespace causa
