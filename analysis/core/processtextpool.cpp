#include "processtextpool.h"

namespace causa {

void ProcessTextPool::share(QString &text)
{
    if (text.isEmpty())
        return;
    const auto it = m_texts.constFind(text);
    if (it != m_texts.cend())
        text = *it;
    else
        m_texts.insert(text);
}

void ProcessTextPool::share(ProcessRecord &r)
{
    share(r.endpointKey);
    share(r.source);
    share(r.imageName);
    share(r.imagePath);
    share(r.user);
    share(r.md5);
    share(r.sha1);
    share(r.sha256);
    share(r.signatureStatus);
    share(r.signatureVendor);
}

} // namespace causa
