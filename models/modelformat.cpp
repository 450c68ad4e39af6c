#include "modelformat.h"

#include <QDateTime>

namespace causa::fmt {

QString severityLabel(Severity s)
{
    QString n = severityName(s);
    if (!n.isEmpty())
        n[0] = n[0].toUpper();
    return n;
}

QColor severityColor(Severity s)
{
    switch (s) {
    case Severity::Critical: return QColor(0x8e, 0x1b, 0x2f);
    case Severity::High: return QColor(0xd1, 0x3b, 0x2e);
    case Severity::Medium: return QColor(0xe0, 0x8e, 0x0b);
    case Severity::Low: return QColor(0x2f, 0x7d, 0xc1);
    case Severity::Informational: return QColor(0x6b, 0x77, 0x85);
    case Severity::Unknown: break;
    }
    return QColor(0x9a, 0xa0, 0xa6);
}

QString stateLabel(QLatin1String state)
{
    return QString(state).replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString statusLabel(const QString &status)
{
    if (status == QLatin1String("new"))
        return QStringLiteral("New");
    if (status == QLatin1String("in_progress"))
        return QStringLiteral("In progress");
    if (status == QLatin1String("closed"))
        return QStringLiteral("Closed");
    return status;
}

QString verdictLabel(const QString &verdict)
{
    if (verdict == QLatin1String("true_positive"))
        return QStringLiteral("True positive");
    if (verdict == QLatin1String("false_positive"))
        return QStringLiteral("False positive");
    if (verdict == QLatin1String("benign"))
        return QStringLiteral("Benign");
    if (verdict == QLatin1String("malicious"))
        return QStringLiteral("Malicious");
    return verdict.isEmpty() ? QStringLiteral("—") : verdict;
}

QString dateTime(qint64 epochMs)
{
    if (epochMs <= 0)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString oneLine(const QString &text, int maxChars)
{
    QString out;
    out.reserve(std::min<qsizetype>(text.size(), maxChars + 1));
    bool space = false;
    for (QChar ch : text) {
        if (out.size() >= maxChars) {
            out += QChar(0x2026);
            break;
        }
        if (ch.isSpace() || ch.category() == QChar::Other_Control) {
            space = !out.isEmpty();
            continue;
        }
        if (space) {
            out += QLatin1Char(' ');
            space = false;
        }
        out += ch;
    }
    return out;
}

QString plainToolTip(const QString &text, int maxChars)
{
    if (text.isEmpty())
        return {};
    QString cut = text.left(maxChars);
    if (text.size() > maxChars)
        cut += QChar(0x2026);
    cut.replace(QChar(0), QChar(0xFFFD));
    return QStringLiteral("<p style='white-space:pre-wrap'>") +
           cut.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")) +
           QStringLiteral("</p>");
}

} // namespace causa::fmt
