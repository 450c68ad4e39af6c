#pragma once

#include "enrichmenttypes.h"

#include <functional>
#include <optional>

namespace causa {

// One source of verdicts about indicators. Local providers answer at once; remote ones answer
// later through the callback, on the thread that called lookup().
class EnrichmentProvider
{
public:
    using Callback = std::function<void(ProviderResult)>;

    virtual ~EnrichmentProvider() = default;
    virtual QString name() const = 0;
    // The grade of this provider's typical answer; a result may carry a finer grade.
    virtual QString reliability() const = 0;
    // Remote providers send the indicator off the machine; the policy decides whether they may.
    virtual bool isRemote() const { return false; }
    virtual int timeoutMs() const { return 0; }
    virtual int ratePerMinute() const { return 0; } // 0 = unlimited
    // How long a result stays valid in the cache; 0 = recomputed on every enrichment.
    virtual qint64 ttlMs() const { return 0; }
    virtual bool supports(const EnrichmentSubject &subject) const = 0;
    // The request a remote provider sends for the subject (headers redacted when asked).
    virtual std::optional<OutboundRequest> request(const EnrichmentSubject &, bool redact) const
    {
        Q_UNUSED(redact);
        return std::nullopt;
    }
    virtual void lookup(const EnrichmentSubject &subject, Callback done) = 0;
};

// A provider that decides from what the store already holds.
class LocalProvider : public EnrichmentProvider
{
public:
    // A result with Score::Unknown and an empty verdict means "nothing to say" and is dropped.
    virtual ProviderResult evaluate(const EnrichmentSubject &subject) const = 0;
    void lookup(const EnrichmentSubject &subject, Callback done) override
    {
        done(evaluate(subject));
    }
};

} // namespace causa
