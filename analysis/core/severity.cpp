#include "severity.h"

namespace causa {

Severity severityFromString(QStringView text)
{
    QString t = text.trimmed().toString().toLower();
    if (t.startsWith(QLatin1String("sev_"))) {
        // SEV_030_MEDIUM -> medium
        const qsizetype last = t.lastIndexOf(QLatin1Char('_'));
        t = t.mid(last + 1);
    }
    if (t == QLatin1String("critical"))
        return Severity::Critical;
    if (t == QLatin1String("high"))
        return Severity::High;
    if (t == QLatin1String("medium") || t == QLatin1String("med"))
        return Severity::Medium;
    if (t == QLatin1String("low"))
        return Severity::Low;
    if (t == QLatin1String("informational") || t == QLatin1String("info"))
        return Severity::Informational;
    bool ok = false;
    const int n = t.toInt(&ok);
    if (ok && n >= 0 && n <= 5)
        return static_cast<Severity>(n);
    return Severity::Unknown;
}

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Informational: return QStringLiteral("informational");
    case Severity::Low: return QStringLiteral("low");
    case Severity::Medium: return QStringLiteral("medium");
    case Severity::High: return QStringLiteral("high");
    case Severity::Critical: return QStringLiteral("critical");
    case Severity::Unknown: break;
    }
    return QStringLiteral("unknown");
}

Tlp tlpFromString(QStringView text, Tlp fallback)
{
    QString t = text.trimmed().toString().toUpper();
    if (t.startsWith(QLatin1String("TLP:")))
        t = t.mid(4);
    if (t == QLatin1String("CLEAR") || t == QLatin1String("WHITE"))
        return Tlp::Clear;
    if (t == QLatin1String("GREEN"))
        return Tlp::Green;
    if (t == QLatin1String("AMBER+STRICT"))
        return Tlp::AmberStrict;
    if (t == QLatin1String("AMBER"))
        return Tlp::Amber;
    if (t == QLatin1String("RED"))
        return Tlp::Red;
    return fallback;
}

QString tlpName(Tlp t)
{
    switch (t) {
    case Tlp::Clear: return QStringLiteral("CLEAR");
    case Tlp::Green: return QStringLiteral("GREEN");
    case Tlp::Amber: return QStringLiteral("AMBER");
    case Tlp::AmberStrict: return QStringLiteral("AMBER+STRICT");
    case Tlp::Red: return QStringLiteral("RED");
    }
    return QStringLiteral("AMBER");
}

QString scoreName(Score s)
{
    switch (s) {
    case Score::Good: return QStringLiteral("good");
    case Score::Suspicious: return QStringLiteral("suspicious");
    case Score::Malicious: return QStringLiteral("malicious");
    case Score::Unknown: break;
    }
    return QStringLiteral("unknown");
}

} // namespace causa
