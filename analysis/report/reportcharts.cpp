#include "core/jsonutil.h"
#include "reportparts.h"

#include <QDateTime>
#include <QMap>
#include <QSet>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <limits>

namespace causa::report {

namespace {

// Bucket widths a reader can take in at a glance, smallest first.
constexpr std::array<qint64, 12> kBucketsMs = {60'000,     300'000,    600'000,     900'000,
                                               1'800'000,  3'600'000,  7'200'000,   21'600'000,
                                               43'200'000, 86'400'000, 604'800'000, 2'592'000'000};
constexpr int kMaxBuckets = 24;

QString tacticName(QString t)
{
    // "TA0002 - Execution" and "Execution" are the same tactic.
    const qsizetype dash = t.indexOf(QLatin1String(" - "));
    if (t.startsWith(QLatin1String("TA")) && dash > 0)
        t = t.mid(dash + 3);
    // The analyser writes "Credential access", XDR "Credential Access" or "credential-access":
    // one bar each would split a tactic in two. ATT&CK's own spelling capitalises every word
    // but "and".
    QStringList words = t.trimmed()
                            .toLower()
                            .replace(QLatin1Char('-'), QLatin1Char(' '))
                            .split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (QString &w : words)
        if (w != QLatin1String("and"))
            w[0] = w[0].toUpper();
    return words.join(QLatin1Char(' '));
}

// The analysis in one line instead of a key/value table: a large case has a thousand of these.
ReportBlock verdictLine(const nlohmann::json &an)
{
    auto num = [&](const char *key) {
        const auto it = an.find(key);
        return it != an.end() && it->is_number() ? QString::number(it->get<double>())
                                                 : QStringLiteral("-");
    };
    QString verdict = QStringLiteral("Verdict: %1 · score %2 (%3) · XSOAR %4 (%5)")
                          .arg(js::str(an, "verdict"), num("score"), js::str(an, "risk"),
                               num("xsoar_score"), js::str(an, "xsoar_risk"));
    const QStringList lolbins = js::list(an, "lolbins");
    if (!lolbins.isEmpty())
        verdict += QStringLiteral(" · LOLBins: ") + lolbins.join(QStringLiteral(", "));
    ReportBlock line;
    line.kind = ReportBlock::Kind::Paragraph;
    line.text = verdict;
    return line;
}

ReportBlock layersTable(const nlohmann::json &layers)
{
    auto spanText = [](const nlohmann::json &o) {
        const auto it = o.find("span");
        if (it == o.end() || !it->is_array() || it->size() != 2)
            return QStringLiteral("-");
        return QStringLiteral("%1-%2").arg(js::toQString((*it)[0]), js::toQString((*it)[1]));
    };
    ReportBlock t;
    t.kind = ReportBlock::Kind::Table;
    t.table.columns = {QStringLiteral("Layer"), QStringLiteral("Transform"), QStringLiteral("Span"),
                       QStringLiteral("Decoded text")};
    t.table.monospaceColumns = {3};
    int i = 0;
    for (const auto &l : layers)
        t.table.rows.push_back(
            {QString::number(++i), js::str(l, "transform"), spanText(l), js::str(l, "text")});
    return t;
}

ReportBlock findingsTable(const nlohmann::json &findings)
{
    ReportBlock t;
    t.kind = ReportBlock::Kind::Table;
    t.table.columns = {QStringLiteral("Category"), QStringLiteral("Match"),
                       QStringLiteral("Layer"),    QStringLiteral("ATT&CK"),
                       QStringLiteral("Tactic"),   QStringLiteral("Weight")};
    t.table.monospaceColumns = {1};
    // A rule that fires twice on the same text of the same layer is one finding to the reader.
    QSet<QString> seen;
    for (const auto &f : findings) {
        const QString match = js::str(f, "match");
        const QString key = js::str(f, "layer") + QChar(0) + js::str(f, "category") + QChar(0) +
                            js::str(f, "mitre") + QChar(0) + match;
        if (seen.contains(key))
            continue;
        seen.insert(key);
        // The whole match is in the command line or layer printed above (its span says where);
        // a long one (a base64 blob) is abbreviated here, saying by how much.
        constexpr qsizetype kMatchShown = 96;
        const QString shown =
            match.size() <= kMatchShown
                ? match
                : match.left(kMatchShown) +
                      QStringLiteral("… [+%1 chars]").arg(match.size() - kMatchShown);
        t.table.rows.push_back({js::str(f, "category"), shown, js::str(f, "layer"),
                                js::str(f, "mitre"), js::str(f, "tactic"), js::str(f, "weight")});
    }
    return t;
}

} // namespace

ReportChart timelineChart(const ReportData &d)
{
    ReportChart c;
    c.kind = ReportChart::Kind::TimeBuckets;
    c.title = QStringLiteral("Alerts and endpoint events over time (UTC)");
    c.valueLabel = QStringLiteral("count");
    std::vector<qint64> alertTimes, eventTimes;
    for (const StoredAlert &a : d.alerts)
        if (a.alert.detectedAt > 0)
            alertTimes.push_back(a.alert.detectedAt);
    for (const ReportEventPoint &e : d.events)
        if (e.ts > 0)
            eventTimes.push_back(e.ts);
    if (alertTimes.empty() && eventTimes.empty())
        return c;
    qint64 lo = std::numeric_limits<qint64>::max(), hi = 0;
    for (const auto *v : {&alertTimes, &eventTimes})
        for (qint64 t : *v) {
            lo = std::min(lo, t);
            hi = std::max(hi, t);
        }
    qint64 width = kBucketsMs.back();
    for (qint64 w : kBucketsMs)
        if ((hi / w) - (lo / w) + 1 <= kMaxBuckets) {
            width = w;
            break;
        }
    const qint64 start = (lo / width) * width;
    const int n = int((hi / width) - (lo / width) + 1);
    const bool multiDay =
        hi - lo >= 86'400'000 || QDateTime::fromMSecsSinceEpoch(lo, Qt::UTC).date() !=
                                     QDateTime::fromMSecsSinceEpoch(hi, Qt::UTC).date();
    const QString format = width >= 86'400'000 ? QStringLiteral("yyyy-MM-dd")
                           : multiDay          ? QStringLiteral("MM-dd HH:mm")
                                               : QStringLiteral("HH:mm");
    for (int i = 0; i < n; ++i)
        c.categories << QDateTime::fromMSecsSinceEpoch(start + i * width, Qt::UTC).toString(format);
    auto count = [&](const std::vector<qint64> &times) {
        std::vector<double> v(size_t(n), 0.0);
        for (qint64 t : times)
            v[size_t((t - start) / width)] += 1;
        return v;
    };
    c.series.push_back({QStringLiteral("Alerts"), count(alertTimes)});
    c.series.push_back({QStringLiteral("Events"), count(eventTimes)});
    return c;
}

ReportChart tacticChart(const ReportData &d)
{
    ReportChart c;
    c.kind = ReportChart::Kind::Categories;
    c.valueLabel = QStringLiteral("count");
    QMap<QString, double> findings, alerts;
    bool analysed = false;
    for (const ReportCommandLine &cl : d.commandLines) {
        if (cl.analysis.is_null())
            continue;
        analysed = true;
        const auto it = cl.analysis.find("findings");
        if (it == cl.analysis.end() || !it->is_array())
            continue;
        for (const auto &f : *it) {
            const QString t = tacticName(js::str(f, "tactic"));
            findings[t.isEmpty() ? QStringLiteral("Unmapped") : t] += 1;
        }
    }
    for (const StoredAlert &a : d.alerts)
        for (const QString &t : a.alert.mitreTactics)
            alerts[tacticName(t)] += 1;
    QStringList names = alerts.keys();
    for (const QString &k : findings.keys())
        if (!names.contains(k))
            names << k;
    names.sort();
    c.categories = names;
    std::vector<double> a, f;
    for (const QString &k : names) {
        a.push_back(alerts.value(k));
        f.push_back(findings.value(k));
    }
    if (analysed) {
        c.title = QStringLiteral("Command-line findings and alerts by ATT&CK tactic");
        c.series.push_back({QStringLiteral("Findings"), f});
    } else {
        c.title = QStringLiteral("Alerts by ATT&CK tactic");
    }
    c.series.push_back({QStringLiteral("Alerts"), a});
    return c;
}

void appendAnalysisBlocks(const nlohmann::json &an, std::vector<ReportBlock> &blocks)
{
    if (!an.is_object())
        return;
    blocks.push_back(verdictLine(an));
    // The last layer is the decoded text: it is shown once, in the layers table. Without layers
    // the "decoded" text is the command line itself, already printed above.
    const QString decoded = js::str(an, "decoded");
    const auto layers = an.find("layers");
    const bool hasLayers = layers != an.end() && layers->is_array() && !layers->empty();
    if (!hasLayers && !decoded.isEmpty() && decoded != js::str(an, "command_line")) {
        ReportBlock p;
        p.kind = ReportBlock::Kind::Paragraph;
        p.text = QStringLiteral("Decoded:");
        blocks.push_back(p);
        ReportBlock pre;
        pre.kind = ReportBlock::Kind::Preformatted;
        pre.text = decoded;
        blocks.push_back(pre);
    }
    if (hasLayers)
        blocks.push_back(layersTable(*layers));
    if (const auto it = an.find("findings"); it != an.end() && it->is_array() && !it->empty()) {
        blocks.push_back(findingsTable(*it));
    } else {
        ReportBlock p;
        p.kind = ReportBlock::Kind::Note;
        p.text = QStringLiteral("The analyser reported no findings for this command line.");
        blocks.push_back(p);
    }
}

} // namespace causa::report
