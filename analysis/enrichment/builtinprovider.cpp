#include "builtinprovider.h"

#include "core/indicatorutil.h"

namespace causa {

namespace {

bool isHashType(const QString &t)
{
    return t == QLatin1String("sha256") || t == QLatin1String("sha1") || t == QLatin1String("md5");
}

QString baseName(const QString &image)
{
    QString n = image.section(QLatin1Char('\\'), -1).section(QLatin1Char('/'), -1).toLower();
    return n;
}

} // namespace

bool BuiltinProvider::isPsexecLikeService(const QString &imageName)
{
    const QString n = baseName(imageName);
    static const char *names[] = {"psexesvc.exe",  "paexec.exe", "remcomsvc.exe", "remcom.exe",
                                  "csexecsvc.exe", "csexec.exe", "xcmdsvc.exe",   "winexesvc.exe",
                                  "rexecsvc.exe",  "smbexec.exe"};
    for (const char *s : names)
        if (n == QLatin1String(s))
            return true;
    // PAExec names its service binary PAExec-<pid>-<host>.exe.
    return n.startsWith(QLatin1String("paexec-")) && n.endsWith(QLatin1String(".exe"));
}

bool BuiltinProvider::isWellKnownSigner(const QString &vendor)
{
    const QString v = vendor.trimmed().toLower();
    static const char *signers[] = {"microsoft corporation",
                                    "microsoft windows",
                                    "microsoft windows publisher",
                                    "google llc",
                                    "google inc",
                                    "mozilla corporation",
                                    "adobe inc.",
                                    "adobe systems incorporated",
                                    "apple inc.",
                                    "oracle america, inc.",
                                    "intel corporation",
                                    "vmware, inc.",
                                    "cisco systems, inc.",
                                    "citrix systems, inc.",
                                    "palo alto networks",
                                    "crowdstrike, inc.",
                                    "dell inc",
                                    "hp inc."};
    for (const char *s : signers)
        if (v == QLatin1String(s))
            return true;
    return false;
}

bool BuiltinProvider::isReservedDomain(const QString &domain)
{
    const QString d = domain.toLower();
    static const char *suffixes[] = {".local", ".localhost", ".internal", ".lan", ".home.arpa",
                                     ".test",  ".invalid",   ".example",  ".corp"};
    for (const char *s : suffixes)
        if (d.endsWith(QLatin1String(s)) || d == QLatin1String(s).mid(1))
            return true;
    return d == QLatin1String("example.com") || d.endsWith(QLatin1String(".example.com")) ||
           d == QLatin1String("example.org") || d == QLatin1String("example.net");
}

bool BuiltinProvider::supports(const EnrichmentSubject &s) const
{
    return isHashType(s.type) || s.type == QLatin1String("ipv4") ||
           s.type == QLatin1String("ipv6") || s.type == QLatin1String("domain");
}

ProviderResult BuiltinProvider::evaluate(const EnrichmentSubject &s) const
{
    ProviderResult r;
    r.provider = name();
    r.reliability = reliability();
    if (s.type == QLatin1String("ipv4") || s.type == QLatin1String("ipv6")) {
        if (s.internal || indicator::isInternalIp(s.value)) {
            r.score = Score::Good;
            r.verdict = QStringLiteral("internal address (private or reserved range)");
        }
        return r;
    }
    if (s.type == QLatin1String("domain")) {
        if (isReservedDomain(s.value)) {
            r.score = Score::Good;
            r.verdict = QStringLiteral("reserved or internal domain name");
        }
        return r;
    }
    for (const EnrichmentSubject::Process &p : s.processes) {
        if (isPsexecLikeService(p.imageName.isEmpty() ? p.imagePath : p.imageName)) {
            r.score = Score::Suspicious;
            r.verdict = QStringLiteral("PsExec-like remote execution service (%1)")
                            .arg(baseName(p.imageName));
            return r;
        }
    }
    for (const EnrichmentSubject::Process &p : s.processes) {
        const QString status = p.signatureStatus.toUpper();
        const bool signedOk = status.contains(QLatin1String("SIGNED")) &&
                              !status.contains(QLatin1String("UNSIGNED")) &&
                              !status.contains(QLatin1String("INVALID"));
        if (signedOk && isWellKnownSigner(p.signatureVendor)) {
            r.score = Score::Good;
            r.verdict = QStringLiteral("signed by %1").arg(p.signatureVendor);
            return r;
        }
    }
    return r;
}

bool WildfireProvider::supports(const EnrichmentSubject &s) const
{
    return isHashType(s.type);
}

ProviderResult WildfireProvider::evaluate(const EnrichmentSubject &s) const
{
    ProviderResult r;
    r.provider = name();
    r.reliability = reliability();
    for (const QString &v : s.wildfireVerdicts) {
        const QString u = v.toUpper();
        Score score = Score::Unknown;
        if (u == QLatin1String("MALWARE") || u == QLatin1String("MALICIOUS") ||
            u == QLatin1String("PHISHING"))
            score = Score::Malicious;
        else if (u == QLatin1String("GRAYWARE"))
            score = Score::Suspicious;
        else if (u == QLatin1String("BENIGN"))
            score = Score::Good;
        if (int(score) > int(r.score)) {
            r.score = score;
            r.verdict = QStringLiteral("WildFire verdict %1").arg(u);
        }
    }
    if (r.score == Score::Unknown && !s.wildfireVerdicts.isEmpty())
        r.verdict = QStringLiteral("WildFire verdict %1").arg(s.wildfireVerdicts.first().toUpper());
    return r;
}

} // namespace causa
