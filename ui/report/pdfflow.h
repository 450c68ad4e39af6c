#pragma once

#include <QColor>
#include <QFont>
#include <QImage>
#include <QRectF>
#include <QString>
#include <QTextLayout>

#include <functional>
#include <memory>
#include <vector>

class QPainter;
class QPaintDevice;

namespace causa::pdf {

// One wrapped piece of text, laid out once with QTextLayout (lines positioned from y = 0).
// Drawing a page replays its lines; nothing is laid out again while painting.
struct TextBlock
{
    QTextLayout layout;
    QColor colour;
    int lineCount() const { return layout.lineCount(); }
    qreal lineTop(int i) const { return layout.lineAt(i).y(); }
    qreal lineBottom(int i) const;
    // Height of lines [first, last).
    qreal span(int first, int last) const
    {
        return last > first ? lineBottom(last - 1) - lineTop(first) : 0;
    }
};

// Lays out text for the device: '\n' becomes a line break, other control characters their
// visible Control Pictures symbol (data is always shown literally).
std::shared_ptr<TextBlock>
layoutText(const QString &text, const QFont &font, QPaintDevice *device, qreal width, QColor colour,
           QTextOption::WrapMode wrap = QTextOption::WrapAtWordBoundaryOrAnywhere,
           Qt::Alignment align = Qt::AlignLeft);

struct Cell
{
    std::shared_ptr<TextBlock> text; // null: empty cell
    qreal x = 0;                     // from the body's left edge
    qreal width = 0;
    // text starts this far right of the cell's padding (tree depth)
    qreal indent = 0;
    QColor fill;   // invalid: none
    int first = 0; // lines [first, last) shown in this band
    int last = 0;
};

// A horizontal strip of the body: text cells side by side (a paragraph, a table row), an image,
// or a custom painter. Bands of text split between lines when they do not fit a page.
struct Band
{
    enum class Kind
    {
        Cells,
        Image,
        Custom
    };
    Kind kind = Kind::Cells;
    std::vector<Cell> cells;
    qreal padY = 0; // above and below the text of each cell
    // left and right inside each cell (already subtracted from text width)
    qreal padX = 0;
    int table = -1;        // table id: rows of one table share borders; -1 = no grid
    bool isHeader = false; // a table's column titles, repeated on every page the table spans
    int header = -1;       // index (in the flow) of this row's table header
    bool keepWithNext = false;
    bool pageBreakBefore = false;
    qreal spaceBefore = 0; // dropped at the top of a page
    qreal spaceAfter = 0;
    int anchor = -1; // table-of-contents entry this band starts
    qreal rule = 0;  // > 0: a rule of that width under the band (headings)
    QImage image;
    qreal imageHeight = 0;
    qreal customHeight = 0;
    std::function<void(QPainter &, const QRectF &)> custom;

    qreal height() const;
    bool splittable() const;
};

struct PlacedBand
{
    Band band;
    qreal y = 0;
    bool topBorder = false; // first row of its table on this page
};

using Page = std::vector<PlacedBand>;

// Breaks bands into pages of the given body height: headings stay with what follows them,
// table headers repeat, tall rows and blocks split between lines.
class Flow final
{
public:
    explicit Flow(qreal bodyHeight) : m_height(bodyHeight) {}
    int add(Band band);
    std::vector<Band> &bands() { return m_bands; }
    std::vector<Page> paginate(std::vector<int> *anchorPages) const;

private:
    qreal chainNeed(size_t i) const;
    bool canSplit(const Band &b) const;
    qreal m_height;
    std::vector<Band> m_bands;
};

struct Style
{
    QColor rule;
    qreal ruleWidth = 1;
    QColor ink;
};

// Paints one page's bands with the body's top-left at origin.
void paintPage(QPainter &p, const Page &page, QPointF origin, qreal bodyWidth, const Style &style);

} // namespace causa::pdf
