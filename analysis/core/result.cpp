#include "result.h"

namespace causa {

QString Error::toString() const
{
    if (location.isEmpty())
        return message;
    return location + QStringLiteral(": ") + message;
}

} // namespace causa
