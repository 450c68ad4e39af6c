#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QStyleOptionButton>

namespace causa {

namespace {

// Fusion with two changes. Fusion outlines a check box in the window colour made darker: on a
// dark list (the Decision box's checklist) an unticked box vanished into the list's background.
// Check boxes inside item views on a dark base get the outline of the muted text colour instead.
// Tabs are padded less (below).
class WorkbenchStyle final : public QProxyStyle
{
public:
    using QProxyStyle::QProxyStyle;
    // Fusion pads each tab by 24 px: with the workbench's eleven case pages that asked 930 px of
    // the 850 the pages have beside the queue, and the last tabs hid behind scroll arrows.
    int pixelMetric(PixelMetric metric, const QStyleOption *option,
                    const QWidget *widget) const override
    {
        const int base = QProxyStyle::pixelMetric(metric, option, widget);
        return metric == PM_TabBarTabHSpace ? base * 7 / 12 : base;
    }
    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        if (element != PE_IndicatorItemViewItemCheck ||
            option->palette.color(QPalette::Base).lightness() >= 128) {
            QProxyStyle::drawPrimitive(element, option, painter, widget);
            return;
        }
        // What Fusion draws for an item view's check, with a lighter "window" for the outline.
        QStyleOptionButton box;
        box.QStyleOption::operator=(*option);
        box.state &= ~State_MouseOver;
        box.palette.setColor(QPalette::Window, option->palette.color(QPalette::Mid));
        QProxyStyle::drawPrimitive(PE_IndicatorCheckBox, &box, painter, widget);
    }
};

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x23, 0x27, 0x2e), base(0x1b, 0x1e, 0x23), text(0xe6, 0xe9, 0xef);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x25, 0x29, 0x30));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2d, 0x32, 0x3a));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb5));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb7, 0xff));
    p.setColor(QPalette::Mid, QColor(0x8a, 0x93, 0xa0));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x93, 0xa0));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6b, 0x72, 0x7c));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6b, 0x72, 0x7c));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6b, 0x72, 0x7c));
    return p;
}

QPalette lightPalette()
{
    QPalette p = QApplication::style()->standardPalette();
    p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
    p.setColor(QPalette::AlternateBase, QColor(0xf6, 0xf8, 0xfa));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb5));
    p.setColor(QPalette::Mid, QColor(0x6b, 0x72, 0x80));
    return p;
}

} // namespace

Theme themeFromString(const QString &name)
{
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    if (name == QLatin1String("light"))
        return Theme::Light;
    return Theme::System;
}

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::Light: return QStringLiteral("light");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

bool applyTheme(Theme theme)
{
    static const QPalette systemPalette = QApplication::palette();
    static const bool systemDark =
        systemPalette.color(QPalette::Window).lightness() < 128 ||
        qEnvironmentVariable("GTK_THEME").contains(QLatin1String("dark"), Qt::CaseInsensitive);
    QApplication::setStyle(new WorkbenchStyle(QStyleFactory::create(QStringLiteral("Fusion"))));
    const bool dark = theme == Theme::Dark || (theme == Theme::System && systemDark);
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
    return dark;
}

} // namespace causa
