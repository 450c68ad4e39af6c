#include "core/errorcodes.h"
#include "htmlescape.h"
#include "reportexporters.h"
#include "reportformat.h"

#include <QSaveFile>

#include <algorithm>

namespace causa::report {

namespace {

// TLP 2.0 colours (FIRST): coloured text on black.
QString tlpColour(const QString &tlp)
{
    if (tlp.startsWith(QLatin1String("RED")))
        return QStringLiteral("#FF2B2B");
    if (tlp.startsWith(QLatin1String("AMBER")))
        return QStringLiteral("#FFC000");
    if (tlp.startsWith(QLatin1String("GREEN")))
        return QStringLiteral("#33FF00");
    return QStringLiteral("#FFFFFF");
}

const char *kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:10.5pt;color:#1d2430;margin:0 auto;max-width:1100px;padding:0 24px 48px}
header.tlp{display:flex;justify-content:space-between;align-items:center;border-bottom:2px solid #1d2430;padding:12px 0}
.tlpmark{background:#000;font-weight:bold;padding:3px 10px;font-family:monospace}
h1{font-size:20pt;margin:18px 0 4px}h2{font-size:14pt;border-bottom:1px solid #c9d1dc;margin-top:28px}
h3{font-size:11pt;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{border:1px solid #c9d1dc;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#e9eef5}
table.kv th{width:22%;background:#f3f6fa}
.mono,pre{font-family:"DejaVu Sans Mono",monospace;font-size:9pt}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;border:1px solid #d5dbe3;padding:6px}
.note{color:#55606e;font-style:italic}
.bar{display:inline-block;height:10px;margin-right:4px}
.s0{background:#3b6fb6}.s1{background:#e08a2c}.s2{background:#5a9e4b}
nav ol{columns:2}
footer{margin-top:32px;border-top:1px solid #c9d1dc;padding-top:8px;color:#55606e;font-size:9pt}
)";

void appendTable(QString &h, const ReportTable &t)
{
    h += QLatin1String("<table><thead><tr>");
    for (const QString &c : t.columns)
        h += QLatin1String("<th>") + escapeHtml(c) + QLatin1String("</th>");
    h += QLatin1String("</tr></thead><tbody>\n");
    for (const QStringList &row : t.rows) {
        h += QLatin1String("<tr>");
        for (int i = 0; i < row.size(); ++i) {
            QString cell = row.at(i);
            QString attrs;
            if (t.indentColumn.contains(i)) {
                const qsizetype spaces = cell.size() - QStringView(cell).trimmed().size();
                // Deep chains indent a dozen levels, then name their depth (the text keeps its room).
                const qsizetype depth = spaces / 2;
                attrs = QStringLiteral(" style=\"padding-left:%1px\"")
                            .arg(6 + std::min<qsizetype>(depth, 12) * 14);
                cell = cell.trimmed();
                if (depth > 12)
                    cell.prepend(QStringLiteral("[%1] ").arg(depth));
            }
            if (t.monospaceColumns.contains(i))
                attrs += QLatin1String(" class=\"mono\"");
            h += QLatin1String("<td") + attrs + QLatin1Char('>') +
                 escapeHtml(cell).replace(QLatin1Char('\n'), QLatin1String("<br>")) +
                 QLatin1String("</td>");
        }
        h += QLatin1String("</tr>\n");
    }
    h += QLatin1String("</tbody></table>\n");
}

void appendChart(QString &h, const ReportChart &c)
{
    double max = 1;
    for (const auto &s : c.series)
        for (double v : s.second)
            max = std::max(max, v);
    h += QLatin1String("<h3>") + escapeHtml(c.title) +
         QLatin1String("</h3><table><thead><tr><th>") +
         (c.kind == ReportChart::Kind::TimeBuckets ? QStringLiteral("Time")
                                                   : QStringLiteral("Category")) +
         QLatin1String("</th>");
    for (const auto &s : c.series)
        h += QLatin1String("<th>") + escapeHtml(s.first) + QLatin1String("</th>");
    h += QLatin1String("<th></th></tr></thead><tbody>\n");
    for (int i = 0; i < c.categories.size(); ++i) {
        h += QLatin1String("<tr><td>") + escapeHtml(c.categories.at(i)) + QLatin1String("</td>");
        QString bars;
        for (size_t s = 0; s < c.series.size(); ++s) {
            const double v = c.series[s].second[size_t(i)];
            h += QLatin1String("<td>") + QString::number(v) + QLatin1String("</td>");
            bars += QStringLiteral("<span class=\"bar s%1\" style=\"width:%2px\"></span>")
                        .arg(s % 3)
                        .arg(int(v / max * 240));
        }
        h += QLatin1String("<td>") + bars + QLatin1String("</td></tr>\n");
    }
    h += QLatin1String("</tbody></table>\n");
}

} // namespace

QByteArray toHtml(const ReportDocument &doc)
{
    const QString tlp = QStringLiteral("TLP:") + doc.tlp();
    const QString mark = QStringLiteral("<span class=\"tlpmark\" style=\"color:%1\">%2</span>")
                             .arg(tlpColour(doc.tlp()), escapeHtml(tlp));
    QString h;
    h.reserve(1 << 16);
    h += QLatin1String("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                       "style-src 'unsafe-inline'\"><title>") +
         escapeHtml(doc.title()) + QLatin1String("</title><style>") + QLatin1String(kStyle) +
         QLatin1String(
             "</style></head><body>\n<header class=\"tlp\"><span>Causa incident report</span>") +
         mark + QLatin1String("</header>\n<h1>") + escapeHtml(doc.title()) +
         QLatin1String("</h1>\n");
    h += QLatin1String("<nav><h2>Contents</h2><ol>");
    for (const ReportSection &s : doc.sections())
        h += QStringLiteral("<li><a href=\"#%1\">").arg(escapeHtml(s.id)) + escapeHtml(s.heading) +
             QLatin1String("</a></li>");
    h += QLatin1String("</ol></nav>\n");
    for (const ReportSection &s : doc.sections()) {
        h += QStringLiteral("<section id=\"%1\"><h2>").arg(escapeHtml(s.id)) +
             escapeHtml(s.heading) + QLatin1String("</h2>\n");
        for (const ReportBlock &b : s.blocks) {
            switch (b.kind) {
            case ReportBlock::Kind::Paragraph:
                h += QLatin1String("<p>") +
                     escapeHtml(b.text).replace(QLatin1Char('\n'), QLatin1String("<br>")) +
                     QLatin1String("</p>\n");
                break;
            case ReportBlock::Kind::Note:
                h += QLatin1String("<p class=\"note\">") + escapeHtml(b.text) +
                     QLatin1String("</p>\n");
                break;
            case ReportBlock::Kind::Subheading:
                h += QLatin1String("<h3>") + escapeHtml(b.text) + QLatin1String("</h3>\n");
                break;
            case ReportBlock::Kind::Preformatted:
                h += QLatin1String("<pre>") + escapeHtml(b.text) + QLatin1String("</pre>\n");
                break;
            case ReportBlock::Kind::KeyValues:
                h += QLatin1String("<table class=\"kv\">");
                for (const auto &[k, v] : b.pairs)
                    h += QLatin1String("<tr><th>") + escapeHtml(k) + QLatin1String("</th><td>") +
                         escapeHtml(v) + QLatin1String("</td></tr>");
                h += QLatin1String("</table>\n");
                break;
            case ReportBlock::Kind::Table: appendTable(h, b.table); break;
            case ReportBlock::Kind::Chart: appendChart(h, b.chart); break;
            }
        }
        h += QLatin1String("</section>\n");
    }
    h += QLatin1String("<footer>") + mark + QLatin1String(" &middot; ") +
         escapeHtml(displayTime(doc.data().generatedAt)) + QLatin1String(" &middot; ") +
         escapeHtml(doc.data().generator) + QLatin1String("</footer>\n</body></html>\n");
    return h.toUtf8();
}

Result<void> writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(errc::kWrite, f.errorString(), path);
    if (f.write(bytes) != bytes.size() || !f.commit())
        return makeError(errc::kWrite, f.errorString(), path);
    return {};
}

} // namespace causa::report
