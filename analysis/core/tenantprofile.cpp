#include "tenantprofile.h"

#include <QRegularExpression>
#include <QUrl>

namespace causa {

bool TenantProfile::validName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(name).hasMatch();
}

QString TenantProfile::validate() const
{
    if (!validName(name))
        return QStringLiteral("tenant name '%1' must be 1-64 letters, digits, '.', '-' or '_'")
            .arg(name);
    const QUrl url(apiUrl);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
        return QStringLiteral("API URL '%1' is not an http(s) URL").arg(apiUrl);
    if (keyId.trimmed().isEmpty())
        return QStringLiteral("the API key id is missing");
    if (timeoutMs < 1000 || timeoutMs > 600000)
        return QStringLiteral("timeout must be between 1 and 600 seconds");
    return {};
}

} // namespace causa
