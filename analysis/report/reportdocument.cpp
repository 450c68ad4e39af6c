#include "reportdocument.h"

namespace causa {

bool ReportChart::isEmpty() const
{
    for (const auto &s : series)
        for (double v : s.second)
            if (v != 0)
                return false;
    return true;
}

ReportDocument::ReportDocument(std::shared_ptr<const ReportData> data, QString title, QString tlp,
                               std::vector<ReportSection> sections)
    : m_data(std::move(data)), m_title(std::move(title)), m_tlp(std::move(tlp)),
      m_sections(std::move(sections))
{}

const ReportSection *ReportDocument::section(const QString &id) const
{
    for (const ReportSection &s : m_sections)
        if (s.id == id)
            return &s;
    return nullptr;
}

} // namespace causa
