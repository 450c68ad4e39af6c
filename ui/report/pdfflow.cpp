#include "pdfflow.h"

#include <QPainter>

#include <algorithm>

namespace causa::pdf {

qreal TextBlock::lineBottom(int i) const
{
    const QTextLine l = layout.lineAt(i);
    return l.y() + l.height();
}

std::shared_ptr<TextBlock> layoutText(const QString &raw, const QFont &font, QPaintDevice *device,
                                      qreal width, QColor colour, QTextOption::WrapMode wrap,
                                      Qt::Alignment align)
{
    QString text = raw;
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    for (QChar &c : text) {
        const char16_t u = c.unicode();
        if (u == u'\n' || u == u'\r')
            c = QChar::LineSeparator;
        else if (u < 0x20 && u != u'\t')
            // U+2400.. Control Pictures: NUL shows as a visible symbol
            c = QChar(char16_t(0x2400 + u));
        else if (u == 0x7f)
            c = QChar(char16_t(0x2421));
    }
    auto block = std::make_shared<TextBlock>();
    block->colour = colour;
    QTextLayout &l = block->layout;
    l.setText(text);
    l.setFont(QFont(font, device));
    QTextOption o;
    o.setWrapMode(wrap);
    o.setAlignment(align);
    l.setTextOption(o);
    l.setCacheEnabled(true);
    l.beginLayout();
    qreal y = 0;
    for (;;) {
        QTextLine line = l.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        line.setPosition(QPointF(0, y));
        y += line.height();
    }
    l.endLayout();
    return block;
}

qreal Band::height() const
{
    switch (kind) {
    case Kind::Image: return imageHeight;
    case Kind::Custom: return customHeight;
    case Kind::Cells: break;
    }
    qreal h = 0;
    for (const Cell &c : cells)
        if (c.text)
            h = std::max(h, c.text->span(c.first, c.last));
    return h + 2 * padY;
}

bool Band::splittable() const
{
    if (kind != Kind::Cells)
        return false;
    for (const Cell &c : cells)
        if (c.text && c.last - c.first > 1)
            return true;
    return false;
}

namespace {

// Cuts a band of cells so that its first part fits in `avail`; false when not even one line does.
bool splitBand(const Band &b, qreal avail, Band &top, Band &rest)
{
    top = b;
    rest = b;
    bool any = false, remains = false;
    for (size_t i = 0; i < b.cells.size(); ++i) {
        const Cell &c = b.cells[i];
        if (!c.text)
            continue;
        int k = c.first;
        while (k < c.last && c.text->span(c.first, k + 1) + 2 * b.padY <= avail)
            ++k;
        top.cells[i].last = k;
        rest.cells[i].first = k;
        any = any || k > c.first;
        remains = remains || k < c.last;
    }
    if (!any || !remains)
        return false;
    top.keepWithNext = false;
    top.spaceAfter = 0;
    rest.spaceBefore = 0;
    rest.pageBreakBefore = false;
    rest.anchor = -1;
    return true;
}

} // namespace

// Short rows and blocks move to the next page whole; only tall ones are cut between lines.
bool Flow::canSplit(const Band &b) const
{
    return b.splittable() && b.height() > m_height * 0.25;
}

int Flow::add(Band band)
{
    m_bands.push_back(std::move(band));
    return int(m_bands.size()) - 1;
}

// Room a band needs at a page position: itself and, when it keeps with the next band, the start
// of that one (a heading with at least the first rows under it). Capped at a page.
qreal Flow::chainNeed(size_t i) const
{
    qreal need = 0;
    for (size_t j = i; j < m_bands.size(); ++j) {
        const Band &b = m_bands[j];
        const qreal h = b.height();
        if (j > i)
            need += b.spaceBefore + m_bands[j - 1].spaceAfter;
        if (!b.keepWithNext || j + 1 == m_bands.size()) {
            // The chain ends with the first piece of this band: a few lines of a splittable block.
            need += j == i ? h : (canSplit(b) ? std::min(h, m_height * 0.12) : h);
            break;
        }
        need += h;
    }
    return std::min(need, m_height);
}

std::vector<Page> Flow::paginate(std::vector<int> *anchorPages) const
{
    std::vector<Page> pages(1);
    qreal y = 0;
    qreal pendingSpace = 0; // the previous band's space after
    auto newPage = [&] {
        pages.emplace_back();
        y = 0;
        pendingSpace = 0;
    };
    auto place = [&](const Band &b) {
        Page &page = pages.back();
        const qreal gap = page.empty() ? 0 : pendingSpace + b.spaceBefore;
        y += gap;
        PlacedBand pb{b, y, false};
        pb.topBorder = b.table >= 0 && (page.empty() || page.back().band.table != b.table);
        page.push_back(std::move(pb));
        y += b.height();
        pendingSpace = b.spaceAfter;
        if (anchorPages && b.anchor >= 0) {
            if (int(anchorPages->size()) <= b.anchor)
                anchorPages->resize(size_t(b.anchor) + 1, 0);
            (*anchorPages)[size_t(b.anchor)] = int(pages.size()) - 1;
        }
    };
    // A continuation of a table starts with its column titles again.
    auto startContinuation = [&](const Band &b) {
        if (b.header >= 0 && !b.isHeader)
            place(m_bands[size_t(b.header)]);
    };

    for (size_t i = 0; i < m_bands.size(); ++i) {
        Band b = m_bands[i];
        if (b.pageBreakBefore && !pages.back().empty())
            newPage();
        const auto gapHere = [&] {
            return pages.back().empty() ? 0 : pendingSpace + b.spaceBefore;
        };
        if (!pages.back().empty() && y + gapHere() + chainNeed(i) > m_height &&
            (b.keepWithNext || !canSplit(b))) {
            newPage();
            startContinuation(b);
        }
        // Place the band, splitting it between lines over as many pages as it needs.
        for (;;) {
            const qreal avail = m_height - y - gapHere();
            if (b.height() <= avail + 0.01) {
                place(b);
                break;
            }
            Band top, rest;
            if (canSplit(b) && splitBand(b, avail, top, rest)) {
                place(top);
                newPage();
                startContinuation(rest);
                b = std::move(rest);
                continue;
            }
            const bool onlyHeader = pages.back().size() == 1 && pages.back().front().band.isHeader;
            if (pages.back().empty() || onlyHeader) {
                place(b); // taller than a page and indivisible (images are capped below a page)
                break;
            }
            newPage();
            startContinuation(b);
        }
    }
    return pages;
}

void paintPage(QPainter &p, const Page &page, QPointF origin, qreal bodyWidth, const Style &style)
{
    const QPen rulePen(style.rule, style.ruleWidth);
    for (const PlacedBand &pb : page) {
        const Band &b = pb.band;
        const qreal h = b.height();
        const QPointF at = origin + QPointF(0, pb.y);
        switch (b.kind) {
        case Band::Kind::Image:
            p.drawImage(QRectF(at.x() + (bodyWidth - b.imageHeight * b.image.width() /
                                                         std::max(1, b.image.height())) /
                                            2,
                               at.y(),
                               b.imageHeight * b.image.width() / std::max(1, b.image.height()),
                               b.imageHeight),
                        b.image);
            continue;
        case Band::Kind::Custom:
            if (b.custom)
                b.custom(p, QRectF(at, QSizeF(bodyWidth, h)));
            continue;
        case Band::Kind::Cells: break;
        }
        for (const Cell &c : b.cells)
            if (c.fill.isValid())
                p.fillRect(QRectF(at.x() + c.x, at.y(), c.width, h), c.fill);
        for (const Cell &c : b.cells) {
            if (!c.text || c.last <= c.first)
                continue;
            p.setPen(c.text->colour.isValid() ? c.text->colour : style.ink);
            const QPointF o(at.x() + c.x + b.padX + c.indent,
                            at.y() + b.padY - c.text->lineTop(c.first));
            for (int i = c.first; i < c.last; ++i)
                c.text->layout.lineAt(i).draw(&p, o);
        }
        if (b.rule > 0) {
            p.setPen(QPen(style.rule, b.rule));
            p.drawLine(QPointF(at.x(), at.y() + h), QPointF(at.x() + bodyWidth, at.y() + h));
        }
    }
    // Table rules last, so that no cell fill covers them. One line per edge: each row draws its
    // bottom and its cells' left edges, the last cell its right edge, and the first row on a page
    // the top: no edge is drawn twice.
    p.setPen(rulePen);
    for (const PlacedBand &pb : page) {
        const Band &b = pb.band;
        if (b.kind != Band::Kind::Cells || b.table < 0 || b.cells.empty())
            continue;
        const QPointF at = origin + QPointF(0, pb.y);
        const qreal top = at.y(), bottom = at.y() + b.height();
        if (pb.topBorder)
            p.drawLine(QPointF(at.x(), top), QPointF(at.x() + bodyWidth, top));
        p.drawLine(QPointF(at.x(), bottom), QPointF(at.x() + bodyWidth, bottom));
        for (const Cell &c : b.cells)
            p.drawLine(QPointF(at.x() + c.x, top), QPointF(at.x() + c.x, bottom));
        p.drawLine(QPointF(at.x() + bodyWidth, top), QPointF(at.x() + bodyWidth, bottom));
    }
}

} // namespace causa::pdf
