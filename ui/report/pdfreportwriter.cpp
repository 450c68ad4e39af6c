#include "pdfreportwriter.h"

#include "core/errorcodes.h"
#include "pdfflow.h"
#include "reportchartimage.h"

#include "report/reportformat.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <QPdfWriter>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace causa {

namespace {

using pdf::Band;
using pdf::Cell;

// Text advances for sizing table columns. Shaping each cell's words (QFontMetricsF) was most of
// a large report's build time, and column widths are an estimate with slack: printable ASCII is
// summed from per-character advances (no kerning, so never narrower than shaped), anything else
// is shaped.
class Advances
{
public:
    explicit Advances(const QFontMetricsF &fm) : m_fm(fm) { m_ascii.fill(-1); }

    qreal operator()(QStringView text)
    {
        qreal sum = 0;
        for (QChar ch : text) {
            const char16_t u = ch.unicode();
            if (u < 0x20 || u > 0x7e)
                return m_fm.horizontalAdvance(text.toString());
            qreal &a = m_ascii[u];
            if (a < 0)
                a = m_fm.horizontalAdvance(ch);
            sum += a;
        }
        return sum;
    }

private:
    const QFontMetricsF &m_fm;
    std::array<qreal, 0x7f> m_ascii;
};

// TLP 2.0 (FIRST): coloured label on black.
QColor tlpColour(const QString &tlp)
{
    if (tlp.startsWith(QLatin1String("RED")))
        return QColor(0xFF, 0x2B, 0x2B);
    if (tlp.startsWith(QLatin1String("AMBER")))
        return QColor(0xFF, 0xC0, 0x00);
    if (tlp.startsWith(QLatin1String("GREEN")))
        return QColor(0x33, 0xFF, 0x00);
    return QColor(Qt::white);
}

const QColor kInk(0x1d, 0x24, 0x30);
const QColor kMuted(0x55, 0x60, 0x6e);
const QColor kRule(0xb4, 0xbe, 0xcb);
const QColor kHeaderFill(0xe9, 0xee, 0xf5);
const QColor kCodeFill(0xf4, 0xf6, 0xf9);

QFont sans(qreal pt, bool bold = false, bool italic = false)
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(pt);
    f.setBold(bold);
    f.setItalic(italic);
    return f;
}

QFont mono(qreal pt, bool bold = false)
{
    QFont f(QStringLiteral("DejaVu Sans Mono"));
    f.setStyleHint(QFont::Monospace);
    f.setPointSizeF(pt);
    f.setBold(bold);
    return f;
}

// Turns ReportDocument blocks into bands of laid-out text: every string is data, laid out as
// plain text with QTextLayout (never parsed as markup).
class BandBuilder
{
public:
    BandBuilder(pdf::Flow &flow, QPaintDevice *device, qreal width, qreal dpi)
        : m_flow(flow), m_device(device), m_width(width), m_dpi(dpi)
    {}

    qreal mm(qreal v) const { return v / 25.4 * m_dpi; }
    static constexpr int kMaxIndentLevels = 4;
    qreal indentRoom() const { return mm(1.4) * (kMaxIndentLevels - 1) + mm(3); }

    void heading(const QString &text, int anchor)
    {
        Band b = textBand(text, sans(14, true), kInk, 0, m_width, mm(0.6));
        b.spaceBefore = mm(7);
        b.spaceAfter = mm(2.5);
        b.rule = mm(0.3);
        b.keepWithNext = true;
        b.anchor = anchor;
        m_flow.add(std::move(b));
    }

    void subheading(const QString &text)
    {
        Band b = textBand(text, sans(9.5, true), kInk, 0, m_width, mm(0.3));
        b.spaceBefore = mm(2.8);
        b.spaceAfter = mm(0.5);
        b.keepWithNext = true;
        m_flow.add(std::move(b));
    }

    void paragraph(const QString &text, bool isNote)
    {
        Band b =
            textBand(text, sans(9, false, isNote), isNote ? kMuted : kInk, 0, m_width, mm(0.3));
        b.spaceBefore = mm(1);
        b.spaceAfter = mm(1);
        // "Decoded:" introduces what follows: never the last line of a page.
        b.keepWithNext = text.trimmed().endsWith(QLatin1Char(':'));
        m_flow.add(std::move(b));
    }

    void preformatted(const QString &text)
    {
        // Monospace, wrapped at spaces or anywhere inside a long token, never past the margin.
        Band b = textBand(text, mono(7.5), kInk, mm(1.5), m_width, mm(1));
        b.cells.front().fill = kCodeFill;
        b.spaceBefore = mm(1);
        b.spaceAfter = mm(1.5);
        m_flow.add(std::move(b));
    }

    void keyValues(const std::vector<std::pair<QString, QString>> &pairs)
    {
        const int table = m_tables++;
        const qreal pad = mm(1.2);
        const qreal keyW = std::round(m_width * 0.24);
        for (size_t i = 0; i < pairs.size(); ++i) {
            Band b;
            b.table = table;
            b.padX = pad;
            b.padY = mm(0.7);
            b.cells.push_back(cell(pairs[i].first, sans(8.5, true), kInk, 0, keyW, pad));
            b.cells.back().fill = kHeaderFill;
            b.cells.push_back(cell(pairs[i].second, sans(8.5), kInk, keyW, m_width - keyW, pad));
            b.spaceBefore = i == 0 ? mm(1) : 0;
            b.spaceAfter = i + 1 == pairs.size() ? mm(2) : 0;
            m_flow.add(std::move(b));
        }
    }

    void table(const ReportTable &tab)
    {
        const int cols = int(tab.columns.size());
        if (cols == 0)
            return;
        const int table = m_tables++;
        const qreal pad = mm(0.9);
        const QFont headFont = sans(7.5, true), bodyFont = sans(7.5), monoFont = mono(6.5);
        const std::vector<qreal> widths = columnWidths(tab, pad, headFont, bodyFont, monoFont);
        std::vector<qreal> xs(size_t(cols), 0);
        for (int c = 1; c < cols; ++c)
            xs[size_t(c)] = xs[size_t(c - 1)] + widths[size_t(c - 1)];

        Band head;
        head.table = table;
        head.isHeader = true;
        head.keepWithNext = !tab.rows.empty();
        head.padX = pad;
        head.padY = mm(0.6);
        head.spaceBefore = mm(1);
        for (int c = 0; c < cols; ++c) {
            head.cells.push_back(cell(tab.columns.at(c), headFont, kInk, xs[size_t(c)],
                                      widths[size_t(c)], pad,
                                      QTextOption::WrapAtWordBoundaryOrAnywhere));
            head.cells.back().fill = kHeaderFill;
        }
        if (tab.rows.empty())
            head.spaceAfter = mm(2);
        const int headIndex = m_flow.add(std::move(head));
        const qreal indentStep = mm(1.4);
        for (size_t r = 0; r < tab.rows.size(); ++r) {
            const QStringList &row = tab.rows[r];
            Band b;
            b.table = table;
            b.header = headIndex;
            b.padX = pad;
            b.padY = mm(0.55);
            if (r + 1 == tab.rows.size())
                b.spaceAfter = mm(2);
            for (int c = 0; c < cols; ++c) {
                QString text = c < row.size() ? row.at(c) : QString();
                qreal indent = 0;
                if (tab.indentColumn.contains(c)) {
                    const qsizetype spaces = text.size() - QStringView(text).trimmed().size();
                    const int depth = int(spaces / 2);
                    text = text.trimmed();
                    // Deep chains indent a few levels, then say the depth: the name keeps its room.
                    const int shown = std::min(depth, kMaxIndentLevels);
                    if (depth > kMaxIndentLevels)
                        text.prepend(QStringLiteral("\u2514%1\u2009").arg(depth));
                    else if (depth > 0)
                        text.prepend(QStringLiteral("\u2514\u2009"));
                    indent = std::min(indentStep * qreal(std::max(shown - 1, 0)),
                                      widths[size_t(c)] * 0.3);
                }
                const bool isMono = tab.monospaceColumns.contains(c);
                Cell cl =
                    cell(text, isMono ? monoFont : bodyFont, kInk, xs[size_t(c)], widths[size_t(c)],
                         pad, QTextOption::WrapAtWordBoundaryOrAnywhere, indent);
                b.cells.push_back(std::move(cl));
            }
            m_flow.add(std::move(b));
        }
    }

    void chart(const ReportChart &c)
    {
        const QSizeF logical(720, c.kind == ReportChart::Kind::Categories
                                      ? std::clamp(110.0 + 26.0 * c.categories.size(), 180.0, 420.0)
                                      : 300.0);
        Band b;
        b.kind = Band::Kind::Image;
        b.image = renderReportChart(c, logical, 2.5);
        b.imageHeight = std::min(m_width * 0.92 * logical.height() / logical.width(), mm(110));
        b.spaceBefore = mm(2);
        b.spaceAfter = mm(2);
        m_flow.add(std::move(b));
    }

    Band textBand(const QString &text, const QFont &font, QColor colour, qreal padX, qreal width,
                  qreal padY)
    {
        Band b;
        b.padX = padX;
        b.padY = padY;
        b.cells.push_back(cell(text, font, colour, 0, width, padX));
        return b;
    }

    Cell cell(const QString &text, const QFont &font, QColor colour, qreal x, qreal width,
              qreal padX, QTextOption::WrapMode wrap = QTextOption::WrapAtWordBoundaryOrAnywhere,
              qreal indent = 0)
    {
        Cell c;
        c.x = x;
        c.width = width;
        c.indent = indent;
        if (!text.isEmpty()) {
            c.text =
                pdf::layoutText(text, font, m_device,
                                std::max<qreal>(width - 2 * padX - indent, mm(3)), colour, wrap);
            c.last = c.text->lineCount();
        }
        return c;
    }

private:
    // Column widths from measured content: each column gets at least its longest word (ids, hosts
    // and times stay whole; titles never break inside a word) and the rest of the width goes to the
    // columns whose text is longer than that, in proportion (the HTML auto table layout).
    std::vector<qreal> columnWidths(const ReportTable &tab, qreal pad, const QFont &headFont,
                                    const QFont &bodyFont, const QFont &monoFont) const
    {
        const int cols = int(tab.columns.size());
        const QFontMetricsF headFm(headFont, m_device), bodyFm(bodyFont, m_device),
            monoFm(monoFont, m_device);
        Advances head(headFm), body(bodyFm), mono(monoFm);
        const qreal avail = m_width - cols * 2 * pad;
        std::vector<qreal> minW(size_t(cols), 0), natW(size_t(cols), 0);
        // Long tables: a sample of rows decides (evenly spread, the widths are a heuristic).
        const size_t step = std::max<size_t>(1, tab.rows.size() / 400);
        // The sampled cells' lines, measured once: [column][sampled row] -> advances.
        std::vector<std::vector<std::vector<qreal>>> cells(
            size_t(cols), std::vector<std::vector<qreal>>((tab.rows.size() + step - 1) / step));
        for (int c = 0; c < cols; ++c) {
            const bool isMono = tab.monospaceColumns.contains(c);
            Advances &fm = isMono ? mono : body;
            // A long token (hash, base64) may wrap: its minimum is capped.
            const qreal wordCap = isMono ? fm(QString(16, QLatin1Char('0'))) : m_width * 0.22;
            for (QStringView w : QStringView(tab.columns.at(c)).tokenize(u' ', Qt::SkipEmptyParts))
                minW[size_t(c)] = std::max(minW[size_t(c)], head(w));
            natW[size_t(c)] = head(tab.columns.at(c));
            for (size_t r = 0; r < tab.rows.size(); r += step) {
                const QStringList &row = tab.rows[r];
                if (c >= row.size())
                    continue;
                const QString text = tab.indentColumn.contains(c)
                                         ? row.at(c).trimmed() + QStringLiteral("\u2514 ")
                                         : row.at(c);
                std::vector<qreal> &advances = cells[size_t(c)][r / step];
                for (QStringView line : QStringView(text).tokenize(u'\n')) {
                    const qreal advance = fm(line);
                    // As the widths below: shaped text comes out a little wider than measured.
                    advances.push_back(
                        (advance + (tab.indentColumn.contains(c) ? indentRoom() : 0)) * 1.06 +
                        mm(0.4));
                    natW[size_t(c)] = std::max(natW[size_t(c)], std::min(advance, avail));
                    for (QStringView w : line.tokenize(u' ', Qt::SkipEmptyParts))
                        minW[size_t(c)] = std::max(minW[size_t(c)], std::min(fm(w), wordCap));
                }
            }
            if (tab.indentColumn.contains(c)) {
                natW[size_t(c)] += indentRoom();
                minW[size_t(c)] += indentRoom();
            }
            // Shaped text comes out a little wider than the measured advances: leave some slack.
            minW[size_t(c)] = std::max(minW[size_t(c)] * 1.06 + mm(0.4), mm(4));
            natW[size_t(c)] = natW[size_t(c)] * 1.06 + mm(0.4);
            natW[size_t(c)] = std::max(natW[size_t(c)], minW[size_t(c)]);
        }
        const qreal sumMin = std::accumulate(minW.begin(), minW.end(), 0.0);
        const qreal sumNat = std::accumulate(natW.begin(), natW.end(), 0.0);
        std::vector<qreal> w(static_cast<size_t>(cols));
        if (sumNat <= avail) {
            for (size_t i = 0; i < w.size(); ++i)
                w[i] = natW[i] + (avail - sumNat) * natW[i] / sumNat;
        } else if (sumMin >= avail) {
            const qreal cap = capToFit(minW, avail); // the widest minimums give way
            for (size_t i = 0; i < w.size(); ++i)
                w[i] = std::min(minW[i], cap);
        } else {
            w = fillByHeight(minW, natW, cells, avail);
        }
        for (size_t i = 0; i < w.size(); ++i)
            w[i] = std::floor(w[i] + 2 * pad);
        // Rounding leftovers go to the widest column so the table spans the body exactly.
        const qreal used = std::accumulate(w.begin(), w.end(), 0.0);
        *std::max_element(w.begin(), w.end()) += m_width - used;
        return w;
    }

    // Lines one line of text of width `need` takes in a column of width w: one when it fits,
    // else about need / w, plus what breaking at words wastes.
    static constexpr qreal kWrapSlack = 1.06;
    static int wrappedLines(qreal need, qreal w)
    {
        return need <= w ? 1 : std::max(2, int(std::ceil(need * kWrapSlack / w)));
    }
    // The least width at which that line takes one line fewer than at w.
    static qreal widthForFewerLines(qreal need, qreal w)
    {
        const int n = wrappedLines(need, w);
        return n <= 2 ? need : need * kWrapSlack / (n - 1);
    }
    static int cellLines(const std::vector<qreal> &needs, qreal w)
    {
        int n = 0;
        for (qreal need : needs)
            n += wrappedLines(need, w);
        return std::max(n, 1);
    }

    // The least width in [lo, hi] at which a cell takes at most `target` lines (or one line per
    // line it has, when it has more).
    static qreal widthForLines(const std::vector<qreal> &needs, int target, qreal lo, qreal hi)
    {
        const int allowed = std::max(target, int(needs.size()));
        if (needs.empty() || cellLines(needs, lo) <= allowed)
            return lo;
        hi = std::max(hi, *std::max_element(needs.begin(), needs.end()));
        for (int i = 0; i < 24 && hi - lo > 0.25; ++i) {
            const qreal mid = (lo + hi) / 2;
            (cellLines(needs, mid) <= allowed ? hi : lo) = mid;
        }
        return hi;
    }

    // Widths between the minimums and the natural widths that make the table short: from the
    // widths that give every row the fewest lines at once, the width left goes step by step to
    // the column whose next step saves the most lines of text per point (a row is as tall as its
    // tallest cell, so widening a column that is never the tallest saves nothing). What is left
    // when no column can shorten a row goes as described at the end.
    static std::vector<qreal>
    fillByHeight(const std::vector<qreal> &minW, const std::vector<qreal> &natW,
                 const std::vector<std::vector<std::vector<qreal>>> &cells, qreal avail)
    {
        const size_t cols = minW.size();
        const size_t rows = cols ? cells[0].size() : 0;
        // First the fewest lines L that every row can have at once (a cell of more lines than L
        // keeps one line per line it has): each column as narrow as its cells allow at L.
        std::vector<qreal> w = minW;
        for (int target = 1; target <= 64; ++target) {
            std::vector<qreal> atTarget = minW;
            for (size_t c = 0; c < cols; ++c)
                for (size_t r = 0; r < rows; ++r)
                    atTarget[c] =
                        std::max(atTarget[c], widthForLines(cells[c][r], target, minW[c], natW[c]));
            if (std::accumulate(atTarget.begin(), atTarget.end(), 0.0) <= avail) {
                w = std::move(atTarget);
                break;
            }
        }
        qreal budget = avail - std::accumulate(w.begin(), w.end(), 0.0);
        std::vector<std::vector<int>> lines(cols, std::vector<int>(rows));
        for (size_t c = 0; c < cols; ++c)
            for (size_t r = 0; r < rows; ++r)
                lines[c][r] = cellLines(cells[c][r], w[c]);
        // Per row: its height, how many cells are that tall, and the tallest of the others.
        std::vector<int> tallest(rows), tallCount(rows), second(rows);
        auto measureRows = [&] {
            for (size_t r = 0; r < rows; ++r) {
                int top = 1, count = 0, below = 1;
                for (size_t c = 0; c < cols; ++c) {
                    const int n = lines[c][r];
                    if (n > top) {
                        below = top;
                        top = n;
                        count = 1;
                    } else if (n == top) {
                        ++count;
                    } else {
                        below = std::max(below, n);
                    }
                }
                tallest[r] = top;
                tallCount[r] = count;
                second[r] = count > 1 ? top : below;
            }
        };
        measureRows();
        // Steps of at least half a percent of the width: a long table cannot take thousands.
        const qreal minStep = std::max<qreal>(avail * 0.005, 1);
        while (budget > 0.5) {
            size_t best = cols;
            qreal bestGain = 0, bestStep = 0;
            for (size_t c = 0; c < cols; ++c) {
                if (w[c] >= natW[c])
                    continue;
                // The least widening that takes a line off one of the column's cells.
                qreal next = natW[c];
                for (size_t r = 0; r < rows; ++r)
                    for (qreal need : cells[c][r])
                        if (need > w[c])
                            next = std::min(next, widthForFewerLines(need, w[c]));
                const qreal stepW = std::min(std::max(next - w[c], minStep), budget);
                // Only a row's one tallest cell can make it shorter.
                int saved = 0;
                for (size_t r = 0; r < rows; ++r)
                    if (lines[c][r] == tallest[r] && tallCount[r] == 1)
                        saved +=
                            tallest[r] - std::max(second[r], cellLines(cells[c][r], w[c] + stepW));
                if (saved > 0 && saved / stepW > bestGain) {
                    best = c;
                    bestGain = saved / stepW;
                    bestStep = stepW;
                }
            }
            if (best == cols)
                break;
            w[best] += bestStep;
            budget -= bestStep;
            for (size_t r = 0; r < rows; ++r)
                lines[best][r] = cellLines(cells[best][r], w[best]);
            measureRows();
        }
        // What is left lets the columns that need least to fit on one line do so (a time stays
        // whole); the others share the rest in proportion to what they lack.
        std::vector<size_t> order(cols);
        std::iota(order.begin(), order.end(), size_t(0));
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return natW[a] - w[a] < natW[b] - w[b]; });
        size_t k = 0;
        for (; k < cols && natW[order[k]] - w[order[k]] <= budget; ++k) {
            budget -= std::max<qreal>(natW[order[k]] - w[order[k]], 0);
            w[order[k]] = std::max(w[order[k]], natW[order[k]]);
        }
        qreal shortfall = 0;
        for (size_t j = k; j < cols; ++j)
            shortfall += natW[order[j]] - w[order[j]];
        for (size_t j = k; j < cols && budget > 0; ++j)
            w[order[j]] += budget * (natW[order[j]] - w[order[j]]) / shortfall;
        return w;
    }

    // The largest cap c with sum(min(v, c)) <= total: short columns keep their width and only the
    // widest give way (a hash wraps rather than a PID or a column title breaking inside a word).
    static qreal capToFit(std::vector<qreal> v, qreal total)
    {
        std::sort(v.begin(), v.end());
        qreal below = 0;
        for (size_t i = 0; i < v.size(); ++i) {
            const qreal cap = (total - below) / qreal(v.size() - i);
            if (cap <= v[i])
                return std::max<qreal>(cap, 1);
            below += v[i];
        }
        return v.empty() ? total : v.back();
    }

    pdf::Flow &m_flow;
    QPaintDevice *m_device;
    qreal m_width;
    qreal m_dpi;
    int m_tables = 0;
};

// Draws a TLP label (coloured text on black) with its top-left at pos; returns its width.
qreal drawTlp(QPainter &p, const QString &tlp, QPointF pos, qreal height)
{
    const QString label = QStringLiteral("TLP:") + tlp;
    QFont f(QStringLiteral("DejaVu Sans Mono"));
    f.setBold(true);
    f.setPixelSize(int(height * 0.62));
    p.setFont(f);
    const qreal w = QFontMetricsF(f, p.device()).horizontalAdvance(label) + height * 0.8;
    const QRectF box(pos, QSizeF(w, height));
    p.fillRect(box, Qt::black);
    p.setPen(tlpColour(tlp));
    p.drawText(box, Qt::AlignCenter, label);
    return w;
}

} // namespace

Result<PdfReportStats> PdfReportWriter::write(const ReportDocument &doc, const QString &path) const
{
    QElapsedTimer timer;
    timer.start();
    // Qt's PDF engine allocates two fresh 10 MB buffers per page: fast only with the allocator
    // settings the process's main() chose (platform::tuneAllocator), not changed from here.
    const QFileInfo target(path);
    if (!target.absoluteDir().exists())
        return makeError(errc::kWrite, QStringLiteral("the folder does not exist"), path);
    QPdfWriter writer(path);
    writer.setResolution(m_options.resolution);
    writer.setPageSize(QPageSize(m_options.pageSize));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setTitle(doc.title());
    writer.setCreator(doc.data().generator);
    const qreal dpi = m_options.resolution;
    auto mm = [dpi](qreal v) { return v / 25.4 * dpi; };
    // The writer's own device size: the page has no margins, so this is the whole sheet.
    const QRectF page(0, 0, writer.width(), writer.height());
    const QRectF body = page.adjusted(mm(16), mm(22), -mm(16), -mm(20));

    // Body: every block laid out once, then cut into pages.
    pdf::Flow content(body.height());
    {
        BandBuilder b(content, &writer, body.width(), dpi);
        int anchor = 0;
        for (const ReportSection &s : doc.sections()) {
            b.heading(s.heading, anchor++);
            for (const ReportBlock &blk : s.blocks) {
                switch (blk.kind) {
                case ReportBlock::Kind::Paragraph: b.paragraph(blk.text, false); break;
                case ReportBlock::Kind::Note: b.paragraph(blk.text, true); break;
                case ReportBlock::Kind::Subheading: b.subheading(blk.text); break;
                case ReportBlock::Kind::Preformatted: b.preformatted(blk.text); break;
                case ReportBlock::Kind::KeyValues: b.keyValues(blk.pairs); break;
                case ReportBlock::Kind::Table: b.table(blk.table); break;
                case ReportBlock::Kind::Chart: b.chart(blk.chart); break;
                }
            }
        }
    }
    const qint64 buildMs = timer.elapsed();
    std::vector<int> headingPages;
    const std::vector<pdf::Page> bodyPages = content.paginate(&headingPages);
    headingPages.resize(doc.sections().size(), 0);

    // Cover and contents; the contents' page numbers are painted once the front's length is known.
    int frontPageCount = 1;
    pdf::Flow front(body.height());
    {
        BandBuilder b(front, &writer, body.width(), dpi);
        Band kicker =
            b.textBand(QStringLiteral("Incident report"), sans(10), kMuted, 0, body.width(), 0);
        kicker.spaceBefore = mm(8);
        front.add(std::move(kicker));
        Band title = b.textBand(doc.title(), sans(doc.title().size() > 90 ? 15 : 19, true), kInk, 0,
                                body.width(), mm(1));
        title.spaceBefore = mm(2);
        title.spaceAfter = mm(3);
        front.add(std::move(title));
        const CaseSummary &c = doc.data().summary;
        for (const QString &line :
             {QStringLiteral("Case #%1 · %2:%3").arg(c.id).arg(c.source, c.sourceRef),
              QStringLiteral("Hosts: %1 · Users: %2")
                  .arg(c.hosts.join(QStringLiteral(", ")), c.users.join(QStringLiteral(", "))),
              QStringLiteral("Severity: %1 · Verdict: %2 · TLP:%3")
                  .arg(severityName(c.severity),
                       c.verdict.isEmpty() ? QStringLiteral("not yet decided") : c.verdict,
                       doc.tlp()),
              QStringLiteral("Generated %1 by %2")
                  .arg(report::displayTime(doc.data().generatedAt), doc.data().generator)}) {
            Band l = b.textBand(line, sans(10), kMuted, 0, body.width(), 0);
            l.spaceAfter = mm(1);
            front.add(std::move(l));
        }
        Band contents =
            b.textBand(QStringLiteral("Contents"), sans(14, true), kInk, 0, body.width(), mm(0.6));
        contents.spaceBefore = mm(10);
        contents.spaceAfter = mm(3);
        contents.rule = mm(0.3);
        contents.keepWithNext = true;
        front.add(std::move(contents));
        const QFont entry = sans(11);
        const qreal numberW = mm(18);
        for (size_t i = 0; i < doc.sections().size(); ++i) {
            Band e = b.textBand(doc.sections()[i].heading, entry, kInk, 0, body.width() - numberW,
                                mm(0.9));
            // The page number: a custom band would split the entry, so a second cell painted later.
            Cell number;
            number.x = body.width() - numberW;
            number.width = numberW;
            e.cells.push_back(number);
            e.anchor = int(i);
            front.add(std::move(e));
        }
    }
    std::vector<pdf::Page> frontPages = front.paginate(nullptr);
    frontPageCount = int(frontPages.size());
    // The numbers are known now: fill the contents' number cells.
    for (pdf::Page &pg : frontPages)
        for (pdf::PlacedBand &pb : pg)
            if (pb.band.anchor >= 0 && pb.band.cells.size() == 2) {
                const int n = frontPageCount + headingPages[size_t(pb.band.anchor)] + 1;
                pdf::Cell &num = pb.band.cells[1];
                num.text = pdf::layoutText(QString::number(n), sans(11), &writer, num.width, kInk,
                                           QTextOption::NoWrap, Qt::AlignRight);
                num.last = num.text->lineCount();
                pb.band.padY = mm(0.9);
            }
    const qint64 layoutMs = timer.elapsed() - buildMs;
    const int total = frontPageCount + int(bodyPages.size());

    QPainter p;
    if (!p.begin(&writer))
        return makeError(errc::kWrite, QStringLiteral("cannot write the PDF"), path);
    const QString runningTitle = doc.title();
    const qreal bandH = mm(5.5);
    QFont small = sans(8);
    small.setPixelSize(int(mm(2.9)));
    const QFontMetricsF smallFm(small, &writer);
    const qreal tlpW = [&] {
        QFont tf(QStringLiteral("DejaVu Sans Mono"));
        tf.setBold(true);
        tf.setPixelSize(int(bandH * 0.62));
        return QFontMetricsF(tf, &writer).horizontalAdvance(QStringLiteral("TLP:") + doc.tlp()) +
               bandH * 0.8;
    }();
    const qreal hy = mm(9);
    const QRectF titleRect(body.left(), hy, body.width() - tlpW - mm(4), bandH);
    const QString header =
        smallFm.elidedText(QStringLiteral("Causa incident report · ") + runningTitle,
                           Qt::ElideRight, titleRect.width());
    const QString generated =
        QStringLiteral("Generated %1").arg(report::displayTime(doc.data().generatedAt));
    auto decorate = [&](int pageNo) {
        // Header: report title on the left, TLP on the right, a rule below.
        p.setPen(kMuted);
        p.setFont(small);
        p.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, header);
        drawTlp(p, doc.tlp(), QPointF(body.right() - tlpW, hy), bandH);
        p.setPen(QPen(kRule, mm(0.25)));
        p.drawLine(QPointF(body.left(), hy + bandH + mm(2)),
                   QPointF(body.right(), hy + bandH + mm(2)));
        // Footer: TLP left, generation centre, page N of M right.
        const qreal fy = page.height() - mm(13);
        p.drawLine(QPointF(body.left(), fy - mm(2)), QPointF(body.right(), fy - mm(2)));
        drawTlp(p, doc.tlp(), QPointF(body.left(), fy), bandH);
        p.setFont(small);
        p.setPen(kMuted);
        p.drawText(QRectF(body.left(), fy, body.width(), bandH),
                   Qt::AlignHCenter | Qt::AlignVCenter, generated);
        p.drawText(QRectF(body.left(), fy, body.width(), bandH), Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("page %1 of %2").arg(pageNo).arg(total));
    };
    const pdf::Style style{kRule, mm(0.18), kInk};
    int pageNo = 0;
    const std::vector<pdf::Page> *const parts[] = {&frontPages, &bodyPages};
    for (const std::vector<pdf::Page> *pages : parts) {
        for (const pdf::Page &pg : *pages) {
            if (pageNo > 0)
                writer.newPage();
            ++pageNo;
            pdf::paintPage(p, pg, body.topLeft(), body.width(), style);
            decorate(pageNo);
        }
    }
    if (!p.end())
        return makeError(errc::kWrite, QStringLiteral("cannot finish the PDF"), path);
    const qint64 elapsed = timer.elapsed();
    return PdfReportStats{total, elapsed, buildMs, layoutMs, elapsed - buildMs - layoutMs};
}

} // namespace causa
