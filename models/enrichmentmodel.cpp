#include "enrichmentmodel.h"

#include "modelformat.h"

#include <QColor>
#include <QDateTime>

namespace causa {

namespace {

// Internal ids: 0 for indicator rows, parent row + 1 for result rows.
constexpr quintptr kTop = 0;

QColor scoreColor(Score s)
{
    switch (s) {
    case Score::Malicious: return QColor(0xc6, 0x28, 0x28);
    case Score::Suspicious: return QColor(0xef, 0x8f, 0x00);
    case Score::Good: return QColor(0x2e, 0x7d, 0x32);
    case Score::Unknown: break;
    }
    return QColor(0x75, 0x75, 0x75);
}

QString scoreLabel(Score s)
{
    switch (s) {
    case Score::Malicious: return EnrichmentModel::tr("Malicious (3)");
    case Score::Suspicious: return EnrichmentModel::tr("Suspicious (2)");
    case Score::Good: return EnrichmentModel::tr("Good (1)");
    case Score::Unknown: break;
    }
    return EnrichmentModel::tr("Unknown (0)");
}

} // namespace

EnrichmentModel::EnrichmentModel(QObject *parent) : QAbstractItemModel(parent) {}

void EnrichmentModel::setReport(EnrichmentReport report, qint64 now)
{
    beginResetModel();
    m_report = std::move(report);
    m_now = now > 0 ? now : QDateTime::currentMSecsSinceEpoch();
    endResetModel();
}

const IndicatorEnrichment *EnrichmentModel::indicatorAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    const size_t row =
        index.internalId() == kTop ? size_t(index.row()) : size_t(index.internalId() - 1);
    return row < m_report.indicators.size() ? &m_report.indicators[row] : nullptr;
}

QModelIndex EnrichmentModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kTop);
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex EnrichmentModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTop)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kTop);
}

int EnrichmentModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_report.indicators.size());
    if (parent.internalId() != kTop || parent.column() != 0)
        return 0;
    return int(m_report.indicators[size_t(parent.row())].results.size());
}

int EnrichmentModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString EnrichmentModel::ageText(qint64 fetchedAt, qint64 now)
{
    if (fetchedAt <= 0)
        return QStringLiteral("–");
    const qint64 s = std::max<qint64>(0, (now - fetchedAt) / 1000);
    if (s < 60)
        return tr("just now");
    if (s < 3600)
        return tr("%n min ago", nullptr, int(s / 60));
    if (s < 86400)
        return tr("%n h ago", nullptr, int(s / 3600));
    return tr("%n d ago", nullptr, int(s / 86400));
}

QVariant EnrichmentModel::indicatorData(const IndicatorEnrichment &e, int column, int role) const
{
    qint64 newest = 0;
    for (const ProviderResult &r : e.results)
        newest = std::max(newest, r.fetchedAt);
    switch (role) {
    case IndicatorIdRole: return e.indicatorId;
    case ScoreRole: return int(e.mergedScore);
    case TypeRole: return e.type;
    case ValueRole: return e.value;
    case ProviderRole: return QString();
    case FetchedAtRole: return newest;
    case IsResultRole: return false;
    case ErrorRole: return QString();
    default: break;
    }
    if (role == Qt::ForegroundRole && column == VerdictColumn)
        return scoreColor(e.mergedScore);
    if (role == Qt::ToolTipRole && column == IndicatorColumn)
        return fmt::plainToolTip(e.value);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case IndicatorColumn: return QStringLiteral("%1  %2").arg(e.type, fmt::oneLine(e.value, 120));
    case VerdictColumn: return scoreLabel(e.mergedScore);
    case SourceColumn:
        if (e.decidedBy == QLatin1String("manual"))
            return tr("manual (%1)").arg(e.manualBy);
        return e.decidedBy.isEmpty() ? tr("no opinion") : e.decidedBy;
    case AgeColumn: return ageText(newest, m_now);
    case DetailColumn: {
        QStringList parts;
        for (const ProviderResult &r : e.results)
            if (r.provider == e.decidedBy && e.decidedBy != QLatin1String("manual"))
                parts << fmt::oneLine(r.verdict, 200);
        if (e.manualScore >= 0)
            parts << tr("manual: %1").arg(fmt::oneLine(e.manualReason, 200));
        if (e.internal)
            parts << tr("internal");
        for (const Withheld &w : e.withheld)
            parts << tr("not sent to %1 (%2)").arg(w.provider, w.reason);
        return parts.join(QStringLiteral("; "));
    }
    default: break;
    }
    return {};
}

QVariant EnrichmentModel::resultData(const IndicatorEnrichment &e, const ProviderResult &r,
                                     int column, int role) const
{
    switch (role) {
    case IndicatorIdRole: return e.indicatorId;
    case ScoreRole: return int(r.score);
    case TypeRole: return e.type;
    case ValueRole: return e.value;
    case ProviderRole: return r.provider;
    case FetchedAtRole: return r.fetchedAt;
    case IsResultRole: return true;
    case ErrorRole: return r.error;
    default: break;
    }
    if (role == Qt::ForegroundRole && column == VerdictColumn)
        return r.error.isEmpty() ? scoreColor(r.score) : QColor(0xc6, 0x28, 0x28);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case IndicatorColumn: return r.provider;
    case VerdictColumn: return r.error.isEmpty() ? scoreLabel(r.score) : tr("Error");
    case SourceColumn: return tr("reliability %1").arg(r.reliability);
    case AgeColumn:
        return QString(ageText(r.fetchedAt, m_now) + (r.cached ? tr(" (cached)") : QString()));
    case DetailColumn: return fmt::oneLine(r.error.isEmpty() ? r.verdict : r.error, 300);
    default: break;
    }
    return {};
}

QVariant EnrichmentModel::data(const QModelIndex &index, int role) const
{
    const IndicatorEnrichment *e = indicatorAt(index);
    if (!e)
        return {};
    if (index.internalId() == kTop)
        return indicatorData(*e, index.column(), role);
    if (size_t(index.row()) >= e->results.size())
        return {};
    return resultData(*e, e->results[size_t(index.row())], index.column(), role);
}

QVariant EnrichmentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IndicatorColumn: return tr("Indicator / provider");
    case VerdictColumn: return tr("Verdict");
    case SourceColumn: return tr("Decided by / reliability");
    case AgeColumn: return tr("Age");
    case DetailColumn: return tr("Details");
    default: break;
    }
    return {};
}

} // namespace causa
