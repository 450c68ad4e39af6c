#pragma once

#include <QDir>
#include <QString>
#include <QWidget>

namespace causa::test {

// Saves a screenshot of a widget when CAUSA_SCREENSHOT_DIR is set (to look at the GUI as a user would).
inline QString saveScreenshot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("CAUSA_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return {};
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
    w->grab().save(path);
    return path;
}

} // namespace causa::test
