#pragma once

#include <QString>

namespace causa {

// Light and dark palettes on the Fusion style; "system" follows the desktop's palette.
enum class Theme
{
    System,
    Light,
    Dark
};

Theme themeFromString(const QString &name);
QString themeName(Theme theme);
// Applies the theme to the whole application; returns whether the result is dark.
bool applyTheme(Theme theme);

} // namespace causa
