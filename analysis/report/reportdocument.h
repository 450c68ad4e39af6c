#pragma once

#include "reportdata.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <utility>
#include <vector>

namespace causa {

// Series of numbers over shared categories (time buckets or tactic names).
struct ReportChart
{
    enum class Kind
    {
        TimeBuckets,
        Categories
    };
    Kind kind = Kind::Categories;
    QString title;
    QString valueLabel;
    QStringList categories;
    std::vector<std::pair<QString, std::vector<double>>> series; // name, one value per category
    bool isEmpty() const;
};

struct ReportTable
{
    QStringList columns;
    std::vector<QStringList> rows;
    QList<int> monospaceColumns; // hashes, keys: shown in a fixed-width font
    QList<int> indentColumn;     // {column} whose leading spaces are tree indentation
};

// One piece of a section's content. All strings are untrusted data, to be escaped by the writer.
struct ReportBlock
{
    enum class Kind
    {
        Paragraph,
        Note,
        KeyValues,
        Table,
        Preformatted,
        Chart,
        Subheading
    };
    Kind kind = Kind::Paragraph;
    QString text;                                   // Paragraph, Note, Preformatted, Subheading
    std::vector<std::pair<QString, QString>> pairs; // KeyValues
    ReportTable table;                              // Table
    ReportChart chart;                              // Chart
};

struct ReportSection
{
    QString id;      // stable: "summary", "process-tree", ...
    QString heading; // "1. Summary"
    std::vector<ReportBlock> blocks;
};

// The composed incident report: content only, no painting (STYLE: an immutable value that
// crosses threads). Built by composeReport(); writers (HTML here, PDF in causa_ui) render it.
class ReportDocument final
{
public:
    ReportDocument() = default;
    ReportDocument(std::shared_ptr<const ReportData> data, QString title, QString tlp,
                   std::vector<ReportSection> sections);

    const ReportData &data() const { return *m_data; }
    const QString &title() const { return m_title; }
    const QString &tlp() const { return m_tlp; }
    const std::vector<ReportSection> &sections() const { return m_sections; }
    const ReportSection *section(const QString &id) const;

private:
    std::shared_ptr<const ReportData> m_data = std::make_shared<ReportData>();
    QString m_title;
    QString m_tlp;
    std::vector<ReportSection> m_sections;
};

} // namespace causa
