#include "pdfreportwriter.h"

#include "reportchartimage.h"

#include "report/reportformat.h"

#include <QAbstractTextDocumentLayout>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextTable>
#include <QUrl>

#include <algorithm>
#include <numeric>

namespace causa {

namespace {

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
const QColor kRule(0xc9, 0xd1, 0xdc);
const QColor kHeaderFill(0xe9, 0xee, 0xf5);
const QColor kCodeFill(0xf4, 0xf6, 0xf9);

// Builds the body QTextDocument through QTextCursor: data goes in with insertText, so it is
// shown literally and can never be read as markup.
class BodyBuilder
{
public:
    BodyBuilder(QTextDocument &doc, QPaintDevice *device, qreal width, qreal dpi)
        : m_doc(doc), m_device(device), m_cursor(&doc), m_width(width), m_dpi(dpi)
    {
        m_text.setFont(font(9.5));
        m_text.setForeground(kInk);
        m_mono = m_text;
        m_mono.setFont(monoFont(8.5));
        m_bold = m_text;
        m_bold.setFontWeight(QFont::Bold);
        m_note = m_text;
        m_note.setFontItalic(true);
        m_note.setForeground(kMuted);
    }

    static QFont font(qreal pt)
    {
        QFont f(QStringLiteral("DejaVu Sans"));
        f.setPointSizeF(pt);
        return f;
    }
    static QFont monoFont(qreal pt)
    {
        QFont f(QStringLiteral("DejaVu Sans Mono"));
        f.setStyleHint(QFont::Monospace);
        f.setPointSizeF(pt);
        return f;
    }
    qreal mm(qreal v) const { return v / 25.4 * m_dpi; }

    // Returns the block of the heading, whose position later gives its page.
    QTextBlock heading(const QString &text, bool first)
    {
        QTextBlockFormat bf;
        bf.setTopMargin(first ? 0 : mm(6));
        bf.setBottomMargin(mm(2));
        bf.setHeadingLevel(1);
        bf.setPageBreakPolicy(QTextFormat::PageBreak_Auto);
        QTextCharFormat cf = m_text;
        cf.setFont(font(15));
        cf.setFontWeight(QFont::Bold);
        newBlock(bf, cf);
        m_cursor.insertText(text);
        QTextBlock b = m_cursor.block();
        // A rule under the heading: an empty thin block with a bottom border is not supported,
        // so a horizontal-rule property on the next block does it.
        QTextBlockFormat rule;
        rule.setProperty(QTextFormat::BlockTrailingHorizontalRulerWidth, QTextLength(QTextLength::PercentageLength, 100));
        rule.setBottomMargin(mm(1.5));
        QTextCharFormat tiny = m_text;
        tiny.setFont(font(2));
        newBlock(rule, tiny);
        return b;
    }

    void subheading(const QString &text)
    {
        QTextBlockFormat bf;
        bf.setTopMargin(mm(3.5));
        bf.setBottomMargin(mm(1));
        QTextCharFormat cf = m_bold;
        cf.setFont(font(11));
        cf.setFontWeight(QFont::Bold);
        newBlock(bf, cf);
        m_cursor.insertText(text);
    }

    void paragraph(const QString &text, bool isNote)
    {
        QTextBlockFormat bf;
        bf.setTopMargin(mm(1));
        bf.setBottomMargin(mm(1.5));
        newBlock(bf, isNote ? m_note : m_text);
        m_cursor.insertText(text);
    }

    void preformatted(const QString &text)
    {
        // Monospace text is cut into lines that exactly fill the width (break anywhere), each its
        // own root-frame block: the layout moves whole blocks to the next page, so no line
        // straddles a page edge and none is painted (or extracted) twice.
        QTextBlockFormat bf;
        bf.setBackground(kCodeFill);
        bf.setLeftMargin(mm(1.5));
        bf.setRightMargin(mm(1.5));
        const qreal advance = QFontMetricsF(m_mono.font(), m_device).horizontalAdvance(QLatin1Char('M'));
        const int perLine = std::max(8, int((m_width - mm(3)) / advance) - 1);
        QStringList lines;
        for (const QString &hard : QString(text).remove(QLatin1Char('\r')).split(QLatin1Char('\n'))) {
            if (hard.isEmpty())
                lines << QString();
            for (qsizetype at = 0; at < hard.size(); at += perLine) {
                qsizetype n = std::min<qsizetype>(perLine, hard.size() - at);
                // Never split a surrogate pair.
                if (at + n < hard.size() && hard.at(at + n - 1).isHighSurrogate() && n > 1)
                    --n;
                lines << hard.mid(at, n);
                at -= perLine - n;
            }
        }
        for (int i = 0; i < lines.size(); ++i) {
            QTextBlockFormat line = bf;
            line.setTopMargin(i == 0 ? mm(1) : 0);
            line.setBottomMargin(i == lines.size() - 1 ? mm(2) : 0);
            newBlock(line, m_mono);
            m_cursor.insertText(lines.at(i), m_mono);
        }
    }

    void keyValues(const std::vector<std::pair<QString, QString>> &pairs)
    {
        QTextTableFormat tf = tableFormat(0);
        tf.setColumnWidthConstraints({QTextLength(QTextLength::PercentageLength, 24),
                                      QTextLength(QTextLength::PercentageLength, 76)});
        QTextTable *t = insertTable(int(pairs.size()), 2, tf);
        for (int r = 0; r < int(pairs.size()); ++r) {
            QTextTableCell k = t->cellAt(r, 0);
            QTextCharFormat kf = m_bold;
            kf.setBackground(kHeaderFill);
            k.setFormat(kf);
            k.firstCursorPosition().insertText(pairs[size_t(r)].first, m_bold);
            t->cellAt(r, 1).firstCursorPosition().insertText(pairs[size_t(r)].second, m_text);
        }
        m_cursor.movePosition(QTextCursor::End);
    }

    void table(const ReportTable &tab)
    {
        const int cols = int(tab.columns.size());
        if (cols == 0)
            return;
        QTextTableFormat tf = tableFormat(1);
        // Column widths follow their content (longest cell, clamped), so that short columns do
        // not steal room from names and a long hash cannot squeeze everything else.
        QList<qreal> weights;
        for (int c = 0; c < cols; ++c) {
            const bool mono = tab.monospaceColumns.contains(c);
            qsizetype longest = tab.columns.at(c).size() + 1, longestWord = longest;
            for (const QStringList &row : tab.rows) {
                if (c >= row.size())
                    continue;
                longest = std::max(longest, row.at(c).trimmed().size());
                for (const QString &word : row.at(c).split(QLatin1Char(' '), Qt::SkipEmptyParts))
                    longestWord = std::max(longestWord, word.size() + 1);
            }
            // Room for the longest word (ids, hosts, times stay whole), then for the text itself.
            // (A proportional word needs more room per character than the running text average.)
            const qreal word = qreal(std::min<qsizetype>(longestWord, mono ? 18 : 22)) * (mono ? 1.0 : 1.6);
            const qreal want = std::max(word, qreal(std::min<qsizetype>(longest, 28)));
            weights << std::max<qreal>(want, 4) * (mono ? 0.85 : 1.0);
        }
        const qreal total = std::accumulate(weights.begin(), weights.end(), 0.0);
        QList<QTextLength> widths;
        for (qreal w : weights)
            widths << QTextLength(QTextLength::PercentageLength, 100.0 * w / total);
        tf.setColumnWidthConstraints(widths);
        QTextTable *t = insertTable(int(tab.rows.size()) + 1, cols, tf);
        QTextCharFormat head = m_bold;
        head.setFont(font(8.5));
        head.setFontWeight(QFont::Bold);
        QTextCharFormat body = m_text;
        body.setFont(font(8.5));
        QTextCharFormat mono = m_mono;
        mono.setFont(monoFont(7.5));
        for (int c = 0; c < cols; ++c) {
            QTextTableCell cell = t->cellAt(0, c);
            QTextCharFormat cf;
            cf.setBackground(kHeaderFill);
            cell.setFormat(cf);
            // Column titles never break inside a word; the column grows to fit them instead.
            QTextCursor hc = cell.firstCursorPosition();
            QTextBlockFormat nb = hc.blockFormat();
            nb.setNonBreakableLines(true);
            hc.setBlockFormat(nb);
            hc.insertText(tab.columns.at(c), head);
        }
        for (int r = 0; r < int(tab.rows.size()); ++r) {
            const QStringList &row = tab.rows[size_t(r)];
            for (int c = 0; c < cols && c < row.size(); ++c) {
                QString text = row.at(c);
                QTextCursor cc = t->cellAt(r + 1, c).firstCursorPosition();
                if (tab.indentColumn.contains(c)) {
                    const qsizetype spaces = text.size() - QStringView(text).trimmed().size();
                    QTextBlockFormat bf = cc.blockFormat();
                    bf.setLeftMargin(mm(1.6) * qreal(spaces / 2));
                    cc.setBlockFormat(bf);
                    text = text.trimmed();
                    if (spaces > 0)
                        text.prepend(QStringLiteral("\u2514 "));
                }
                cc.insertText(text, tab.monospaceColumns.contains(c) ? mono : body);
            }
        }
        m_cursor.movePosition(QTextCursor::End);
    }

    void chart(const ReportChart &c, int index)
    {
        const QSizeF logical(720, c.kind == ReportChart::Kind::Categories
                                      ? std::clamp(110.0 + 26.0 * c.categories.size(), 180.0, 420.0)
                                      : 300.0);
        const QImage image = renderReportChart(c, logical, 3.0);
        const QUrl url(QStringLiteral("causa-chart://%1").arg(index));
        m_doc.addResource(QTextDocument::ImageResource, url, image);
        QTextBlockFormat bf;
        bf.setAlignment(Qt::AlignHCenter);
        bf.setTopMargin(mm(2));
        bf.setBottomMargin(mm(2));
        newBlock(bf, m_text);
        QTextImageFormat img;
        img.setName(url.toString());
        // QTextImageHandler scales image sizes by the device's dpi / 96, so give them at 96 dpi.
        const qreal w = m_width * 0.96 * 96.0 / m_dpi;
        img.setWidth(w);
        img.setHeight(w * logical.height() / logical.width());
        m_cursor.insertImage(img);
    }

private:
    void newBlock(const QTextBlockFormat &bf, const QTextCharFormat &cf)
    {
        if (m_first || m_afterTable) {
            // The empty block a table leaves behind takes the next content instead of a blank line.
            m_cursor.setBlockFormat(bf);
            m_cursor.setBlockCharFormat(cf);
            m_cursor.setCharFormat(cf);
            m_first = false;
            m_afterTable = false;
        } else {
            m_cursor.insertBlock(bf, cf);
        }
    }

    QTextTableFormat tableFormat(int headerRows) const
    {
        QTextTableFormat tf;
        tf.setWidth(QTextLength(QTextLength::PercentageLength, 100));
        tf.setBorder(mm(0.2));
        tf.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
        tf.setBorderBrush(kRule);
        tf.setBorderCollapse(true);
        tf.setCellSpacing(0);
        tf.setPadding(0);
        tf.setCellPadding(mm(0.7));
        tf.setHeaderRowCount(headerRows);
        tf.setTopMargin(mm(1));
        tf.setBottomMargin(mm(2));
        return tf;
    }

    QTextTable *insertTable(int rows, int cols, const QTextTableFormat &tf)
    {
        m_first = false;
        m_afterTable = true;
        return m_cursor.insertTable(rows, cols, tf);
    }

    QTextDocument &m_doc;
    QPaintDevice *m_device;
    QTextCursor m_cursor;
    qreal m_width;
    qreal m_dpi;
    bool m_first = true;
    bool m_afterTable = false;
    QTextCharFormat m_text, m_mono, m_bold, m_note;
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
    const QFileInfo target(path);
    if (!target.absoluteDir().exists())
        return makeError(QStringLiteral("write"), QStringLiteral("the folder does not exist"), path);
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

    // Body first: its headings' pages feed the table of contents.
    QTextDocument content;
    content.documentLayout()->setPaintDevice(&writer);
    content.setDocumentMargin(0);
    QTextOption wrap = content.defaultTextOption();
    wrap.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    content.setDefaultTextOption(wrap);
    content.setDefaultFont(BodyBuilder::font(9.5));
    content.setPageSize(body.size());
    content.setUndoRedoEnabled(false);
    std::vector<std::pair<QString, QTextBlock>> headings;
    {
        // One edit block: the layout runs once at the end instead of after every insertion
        // (otherwise a 1,000-row table re-lays out the whole document a thousand times).
        QTextCursor batch(&content);
        batch.beginEditBlock();
        BodyBuilder b(content, &writer, body.width(), dpi);
        int charts = 0;
        bool first = true;
        for (const ReportSection &s : doc.sections()) {
            headings.push_back({s.heading, b.heading(s.heading, first)});
            first = false;
            for (const ReportBlock &blk : s.blocks) {
                switch (blk.kind) {
                case ReportBlock::Kind::Paragraph: b.paragraph(blk.text, false); break;
                case ReportBlock::Kind::Note: b.paragraph(blk.text, true); break;
                case ReportBlock::Kind::Subheading: b.subheading(blk.text); break;
                case ReportBlock::Kind::Preformatted: b.preformatted(blk.text); break;
                case ReportBlock::Kind::KeyValues: b.keyValues(blk.pairs); break;
                case ReportBlock::Kind::Table: b.table(blk.table); break;
                case ReportBlock::Kind::Chart: b.chart(blk.chart, charts++); break;
                }
            }
        }
        batch.endEditBlock();
    }
    const qint64 buildMs = timer.elapsed();
    const int bodyPages = content.pageCount();
    const qint64 layoutMs = timer.elapsed() - buildMs;

    // Cover and contents.
    QTextDocument front;
    front.documentLayout()->setPaintDevice(&writer);
    front.setDocumentMargin(0);
    front.setDefaultTextOption(wrap);
    front.setPageSize(body.size());
    QTextCursor fc(&front);
    {
        QTextCharFormat title;
        title.setFont(BodyBuilder::font(doc.title().size() > 90 ? 15 : 19));
        title.setFontWeight(QFont::Bold);
        title.setForeground(kInk);
        QTextCharFormat sub;
        sub.setFont(BodyBuilder::font(10));
        sub.setForeground(kMuted);
        QTextBlockFormat bf;
        bf.setTopMargin(mm(8));
        fc.setBlockFormat(bf);
        fc.insertText(QStringLiteral("Incident report"), sub);
        QTextBlockFormat tb;
        tb.setTopMargin(mm(2));
        tb.setBottomMargin(mm(4));
        fc.insertBlock(tb, title);
        fc.insertText(doc.title(), title);
        const CaseSummary &c = doc.data().summary;
        for (const QString &line :
             {QStringLiteral("Case #%1 · %2:%3").arg(c.id).arg(c.source, c.sourceRef),
              QStringLiteral("Hosts: %1 · Users: %2")
                  .arg(c.hosts.join(QStringLiteral(", ")), c.users.join(QStringLiteral(", "))),
              QStringLiteral("Severity: %1 · Verdict: %2 · TLP:%3")
                  .arg(severityName(c.severity), c.verdict.isEmpty() ? QStringLiteral("not yet decided") : c.verdict, doc.tlp()),
              QStringLiteral("Generated %1 by %2").arg(report::displayTime(doc.data().generatedAt), doc.data().generator)}) {
            QTextBlockFormat lb;
            lb.setBottomMargin(mm(1));
            fc.insertBlock(lb, sub);
            fc.insertText(line, sub);
        }
    }
    // Page numbers need the front's length, which does not depend on the numbers themselves.
    auto buildToc = [&](int frontPages) {
        QTextCharFormat h;
        h.setFont(BodyBuilder::font(14));
        h.setFontWeight(QFont::Bold);
        h.setForeground(kInk);
        QTextBlockFormat hb;
        hb.setTopMargin(mm(10));
        hb.setBottomMargin(mm(3));
        fc.insertBlock(hb, h);
        fc.insertText(QStringLiteral("Contents"), h);
        QTextTableFormat tf;
        tf.setWidth(QTextLength(QTextLength::PercentageLength, 100));
        tf.setBorder(0);
        tf.setCellPadding(mm(0.8));
        tf.setColumnWidthConstraints({QTextLength(QTextLength::PercentageLength, 88),
                                      QTextLength(QTextLength::PercentageLength, 12)});
        QTextTable *t = fc.insertTable(int(headings.size()), 2, tf);
        QTextCharFormat entry;
        entry.setFont(BodyBuilder::font(11));
        entry.setForeground(kInk);
        for (int i = 0; i < int(headings.size()); ++i) {
            const QTextBlock &blk = headings[size_t(i)].second;
            const qreal y = content.documentLayout()->blockBoundingRect(blk).top();
            const int pageNo = frontPages + int(y / body.height()) + 1;
            t->cellAt(i, 0).firstCursorPosition().insertText(headings[size_t(i)].first, entry);
            QTextCursor pc = t->cellAt(i, 1).firstCursorPosition();
            QTextBlockFormat right = pc.blockFormat();
            right.setAlignment(Qt::AlignRight);
            pc.setBlockFormat(right);
            pc.insertText(QString::number(pageNo), entry);
        }
    };
    const int coverPosition = fc.position();
    fc.beginEditBlock();
    buildToc(1);
    fc.endEditBlock();
    int frontPages = front.pageCount();
    if (frontPages != 1) {
        // Rare (hundreds of sections): rebuild with the real offset.
        fc.setPosition(coverPosition);
        fc.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
        fc.removeSelectedText();
        buildToc(frontPages);
        frontPages = front.pageCount();
    }
    const int total = frontPages + bodyPages;

    QPainter p;
    if (!p.begin(&writer))
        return makeError(QStringLiteral("write"), QStringLiteral("cannot write the PDF"), path);
    const QString runningTitle = doc.title();
    auto decorate = [&](int pageNo) {
        const qreal bandH = mm(5.5);
        // Header: report title on the left, TLP on the right, a rule below.
        const qreal hy = mm(9);
        p.setPen(kMuted);
        QFont f = BodyBuilder::font(8);
        f.setPixelSize(int(mm(2.9)));
        p.setFont(f);
        const qreal tlpW = [&] {
            QFont tf(QStringLiteral("DejaVu Sans Mono"));
            tf.setBold(true);
            tf.setPixelSize(int(bandH * 0.62));
            return QFontMetricsF(tf, &writer).horizontalAdvance(QStringLiteral("TLP:") + doc.tlp()) + bandH * 0.8;
        }();
        p.setFont(f);
        const QRectF titleRect(body.left(), hy, body.width() - tlpW - mm(4), bandH);
        p.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(f, &writer).elidedText(QStringLiteral("Causa incident report · ") + runningTitle,
                                                       Qt::ElideRight, titleRect.width()));
        drawTlp(p, doc.tlp(), QPointF(body.right() - tlpW, hy), bandH);
        p.setPen(QPen(kRule, mm(0.25)));
        p.drawLine(QPointF(body.left(), hy + bandH + mm(2)), QPointF(body.right(), hy + bandH + mm(2)));
        // Footer: TLP left, generation centre, page N of M right.
        const qreal fy = page.height() - mm(13);
        p.drawLine(QPointF(body.left(), fy - mm(2)), QPointF(body.right(), fy - mm(2)));
        drawTlp(p, doc.tlp(), QPointF(body.left(), fy), bandH);
        p.setFont(f);
        p.setPen(kMuted);
        p.drawText(QRectF(body.left(), fy, body.width(), bandH), Qt::AlignHCenter | Qt::AlignVCenter,
                   QStringLiteral("Generated %1").arg(report::displayTime(doc.data().generatedAt)));
        p.drawText(QRectF(body.left(), fy, body.width(), bandH), Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("page %1 of %2").arg(pageNo).arg(total));
    };
    auto paintDoc = [&](QTextDocument &d, int pageIndex) {
        p.save();
        p.translate(body.left(), body.top() - pageIndex * body.height());
        QAbstractTextDocumentLayout::PaintContext ctx;
        const QRectF pageRect(0, pageIndex * body.height(), body.width(), body.height());
        // The layout culls whole lines by ctx.clip: a line that only grazes this page's top or
        // bottom edge belongs to the neighbouring page and is not drawn (nor extracted) here.
        // The painter clip is a little taller so that descenders of the last line stay whole.
        ctx.clip = pageRect.adjusted(0, mm(1.2), 0, -mm(1.2));
        ctx.palette.setColor(QPalette::Text, kInk);
        p.setClipRect(pageRect.adjusted(-mm(1), 0, mm(1), mm(3)));
        d.documentLayout()->draw(&p, ctx);
        p.restore();
    };
    int pageNo = 0;
    for (int i = 0; i < frontPages; ++i) {
        if (pageNo > 0)
            writer.newPage();
        ++pageNo;
        paintDoc(front, i);
        decorate(pageNo);
    }
    for (int i = 0; i < bodyPages; ++i) {
        writer.newPage();
        ++pageNo;
        paintDoc(content, i);
        decorate(pageNo);
    }
    if (!p.end())
        return makeError(QStringLiteral("write"), QStringLiteral("cannot finish the PDF"), path);
    const qint64 elapsed = timer.elapsed();
    return PdfReportStats{total, elapsed, buildMs, layoutMs, elapsed - buildMs - layoutMs};
}

} // namespace causa
