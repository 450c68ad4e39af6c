// The report's lateral-movement section: source host → victim, hop by hop.
#include "reportcomposer.h"
#include "reportformat.h"
#include "reportparts.h"

namespace causa::report {

namespace {

ReportBlock textBlock(ReportBlock::Kind kind, const QString &text)
{
    ReportBlock b;
    b.kind = kind;
    b.text = text;
    return b;
}

ReportBlock hopTable(const LateralChain &c)
{
    ReportBlock t;
    t.kind = ReportBlock::Kind::Table;
    t.table.columns = {QStringLiteral("Hop"), QStringLiteral("Host"), QStringLiteral("When (UTC)"),
                       QStringLiteral("User"), QStringLiteral("What the logs show")};
    for (const ChainHop &h : c.hops) {
        const QString when = !h.found            ? QStringLiteral("unknown")
                             : h.first == h.last ? displayTime(h.first)
                                                 : displayTime(h.first) + QStringLiteral(" – ") +
                                                       displayTime(h.last);
        t.table.rows.push_back({hopKindTitle(h.kind),
                                h.host.isEmpty() ? QStringLiteral("unknown") : h.host, when,
                                h.user.isEmpty() ? QStringLiteral("-") : h.user,
                                h.found ? h.detail : QStringLiteral("UNKNOWN: ") + h.unknown});
    }
    return t;
}

ReportBlock eventTable(const LateralChain &c)
{
    ReportBlock t;
    t.kind = ReportBlock::Kind::Table;
    t.table.columns = {QStringLiteral("Hop"), QStringLiteral("Event"), QStringLiteral("ID"),
                       QStringLiteral("Time (UTC)"), QStringLiteral("Summary")};
    t.table.monospaceColumns = {2};
    for (const ChainHop &h : c.hops) {
        size_t shown = 0;
        for (const ChainEvent &e : h.events) {
            if (++shown > 12) { // the report names the first events; the CLI and the view list all
                t.table.rows.push_back({hopKindTitle(h.kind), QString(), QString(), QString(),
                                        QStringLiteral("… %1 more").arg(h.events.size() - 12)});
                break;
            }
            t.table.rows.push_back({hopKindTitle(h.kind), QString::number(e.code),
                                    QString::number(e.id), displayTime(e.ts), e.summary});
        }
    }
    return t;
}

} // namespace

ReportSection lateralChainSection(const ReportData &d)
{
    ReportSection s{reportsection::kLateralChain, QStringLiteral("Lateral movement chain"), {}};
    if (!d.lateralChainNote.isEmpty())
        s.blocks.push_back(textBlock(ReportBlock::Kind::Note, d.lateralChainNote));
    if (d.lateralChains.empty() && d.lateralChainNote.isEmpty())
        s.blocks.push_back(
            textBlock(ReportBlock::Kind::Note,
                      QStringLiteral("No PsExec-like service installation was found in the events "
                                     "stored for the case's hosts.")));
    for (const LateralChain &c : d.lateralChains) {
        s.blocks.push_back(textBlock(
            ReportBlock::Kind::Subheading,
            QStringLiteral("%1 → %2 (%3)")
                .arg(c.sourceHost.isEmpty() ? QStringLiteral("unknown source") : c.sourceHost,
                     c.victimHost, c.tool)));
        ReportBlock kv;
        kv.kind = ReportBlock::Kind::KeyValues;
        kv.pairs = {
            {QStringLiteral("Source"),
             (c.sourceHost.isEmpty() ? QStringLiteral("unknown") : c.sourceHost) +
                 (c.sourceIp.isEmpty() ? QString()
                                       : QStringLiteral(" (") + c.sourceIp + QLatin1Char(')'))},
            {QStringLiteral("Victim"), c.victimHost},
            {QStringLiteral("Account"), c.user.isEmpty() ? QStringLiteral("unknown") : c.user},
            {QStringLiteral("Service"), c.serviceName + QStringLiteral(": ") + c.serviceImage},
            {QStringLiteral("Time span"),
             displayTime(c.start) + QStringLiteral(" – ") + displayTime(c.end)},
            {QStringLiteral("Source host's logs"), c.sourceLogsPresent
                                                       ? QStringLiteral("in the store")
                                                       : QStringLiteral("not in the store")}};
        s.blocks.push_back(kv);
        for (const QString &n : c.notes)
            s.blocks.push_back(textBlock(ReportBlock::Kind::Note, n));
        s.blocks.push_back(hopTable(c));
        s.blocks.push_back(eventTable(c));
    }
    return s;
}

} // namespace causa::report
