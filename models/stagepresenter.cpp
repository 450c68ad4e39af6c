#include "stagepresenter.h"

#include "core/jsonutil.h"
#include "modelformat.h"

#include <QDateTime>

#include <QUrl>

namespace causa::stagepresenter {

namespace {

using nlohmann::json;

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString str(const json &j, const char *key)
{
    return js::str(j, key);
}

QString text(const json &j)
{
    if (j.is_string())
        return QString::fromStdString(j.get<std::string>());
    return QString::fromStdString(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

QString badge(const QString &label, const QString &colour)
{
    return QStringLiteral("<span style='background:%1; color:white'>&nbsp;%2&nbsp;</span>")
        .arg(colour, esc(label));
}

QString verdictBadge(const QString &verdict)
{
    if (verdict == QLatin1String("malicious"))
        return badge(verdict, QStringLiteral("#c62828"));
    if (verdict == QLatin1String("suspicious"))
        return badge(verdict, QStringLiteral("#c76b00"));
    if (verdict.isEmpty())
        return QString();
    return badge(verdict, QStringLiteral("#2e7d32"));
}

QString scoreBadge(int score)
{
    static const char *names[] = {"unknown", "good", "suspicious", "malicious"};
    static const char *colours[] = {"#757575", "#2e7d32", "#c76b00", "#c62828"};
    const int s = std::clamp(score, 0, 3);
    return badge(QStringLiteral("%1 %2").arg(s).arg(QLatin1String(names[s])),
                 QLatin1String(colours[s]));
}

QString link(const QString &scheme, const QString &ref, const QString &label)
{
    return QStringLiteral("<a href='causa:%1/%2'>%3</a>")
        .arg(scheme, QString::fromLatin1(QUrl::toPercentEncoding(ref)), esc(label));
}

json toJsonList(const QStringList &items)
{
    json out = json::array();
    for (const QString &i : items)
        out.push_back(js::toStd(i));
    return out;
}

QString elide(const QString &s, int n)
{
    return s.size() > n ? s.left(n - 1) + QChar(0x2026) : s;
}

// A table from rows of already-escaped cells.
QString table(const QStringList &headers, const QList<QStringList> &rows)
{
    QString out =
        QStringLiteral("<table border='0' cellspacing='0' cellpadding='3' width='100%'><tr>");
    for (const QString &h : headers)
        out += QStringLiteral("<th align='left'>%1</th>").arg(esc(h));
    out += QStringLiteral("</tr>");
    for (const QStringList &r : rows) {
        out += QStringLiteral("<tr>");
        for (const QString &c : r)
            out += QStringLiteral("<td valign='top'>%1</td>").arg(c);
        out += QStringLiteral("</tr>");
    }
    return out + QStringLiteral("</table>");
}

// Items as blocks for the narrow detail pane, where a table of five columns leaves each a word
// per line: a head line (already escaped), the item's facts under it joined by " · ", then what
// explains it.
struct Record
{
    QString head;
    QStringList facts;
    QString why;
};

QString records(const QList<Record> &items)
{
    QString out;
    for (const Record &r : items) {
        out += QStringLiteral("<p style='margin-top:6px; margin-bottom:0px'>%1").arg(r.head);
        if (!r.facts.isEmpty())
            out += QStringLiteral("<br>") + r.facts.join(QStringLiteral(" · "));
        if (!r.why.isEmpty())
            out += QStringLiteral("<br><i>%1</i>").arg(r.why);
        out += QStringLiteral("</p>");
    }
    return out;
}

QString list(const json &items)
{
    QString out;
    for (const json &i : items)
        out += QStringLiteral("<li>%1</li>").arg(esc(text(i)));
    return out.isEmpty() ? QString() : QStringLiteral("<ul>%1</ul>").arg(out);
}

QString proposals(const json &o)
{
    QList<Record> items;
    for (const json &p : o.value("proposed", json::array()))
        items << Record{QStringLiteral("<b>%1</b> %2")
                            .arg(esc(str(p, "kind")), esc(elide(str(p, "target"), 80))),
                        {},
                        esc(str(p, "rationale"))};
    return items.isEmpty()
               ? QString()
               : QStringLiteral("<h4>Proposed actions</h4>") + records(items) +
                     QStringLiteral(
                         "<p><i>Each waits for approval on its card unless AutoRemediation.</i></p>");
}

QString triage(const json &o)
{
    const bool blocked = o.value("blocked", false);
    return QStringLiteral("<p>%1 Alert <b>%2</b> %3 on %4 — action <code>%5</code> (%6)</p>")
        .arg(blocked ? badge(QStringLiteral("blocked"), QStringLiteral("#2e7d32"))
                     : badge(QStringLiteral("not blocked"), QStringLiteral("#c62828")),
             esc(str(o, "alert_id")), esc(str(o, "alert_name")),
             link(QStringLiteral("host"), str(o, "host"), str(o, "host")), esc(str(o, "action")),
             esc(str(o, "action_pretty")));
}

QString enrichment(const json &o)
{
    QList<QStringList> rows;
    for (const json &i : o.value("indicators", json::array()))
        rows << QStringList{
            esc(str(i, "type")),
            link(QStringLiteral("indicator"), str(i, "value"), elide(str(i, "value"), 70)),
            scoreBadge(int(js::int64(i, "score"))),
            esc(str(i, "decided_by")) +
                (i.value("internal", false) ? QStringLiteral(" <i>(internal)</i>") : QString())};
    QString out;
    if (o.value("offline", false))
        out += QStringLiteral("<p>%1 Online providers were not asked (offline mode).</p>")
                   .arg(badge(QStringLiteral("offline"), QStringLiteral("#757575")));
    out += rows.isEmpty() ? QStringLiteral("<p>No indicators.</p>")
                          : table({QStringLiteral("Type"), QStringLiteral("Indicator"),
                                   QStringLiteral("Score"), QStringLiteral("Decided by")},
                                  rows);
    return out + list(o.value("notes", json::array()));
}

QString commandLines(const json &o)
{
    QString out;
    int n = 0;
    for (const json &r : o.value("results", json::array())) {
        const json &a = r.value("analysis", json::object());
        out += QStringLiteral("<h4>%1 %2 — score %3 (%4) %5</h4>")
                   .arg(esc(str(r, "role")), verdictBadge(str(a, "verdict")))
                   .arg(js::int64(a, "score"))
                   .arg(esc(str(a, "risk")), link(QStringLiteral("cmdline"), QString::number(n++),
                                                  QStringLiteral("open in Command line")));
        out += QStringLiteral("<pre style='white-space: pre-wrap'>%1</pre>")
                   .arg(esc(elide(str(r, "command_line"), 600)));
        const QString decoded = str(a, "decoded");
        if (!decoded.isEmpty() && decoded != str(r, "command_line"))
            out +=
                QStringLiteral("<p><b>Decoded:</b></p><pre style='white-space: pre-wrap'>%1</pre>")
                    .arg(esc(elide(decoded, 800)));
        QList<QStringList> rows;
        for (const json &f : a.value("findings", json::array()))
            rows << QStringList{esc(str(f, "category")), esc(elide(str(f, "match"), 60)),
                                esc(str(f, "mitre")), QString::number(js::int64(f, "weight"))};
        if (!rows.isEmpty())
            out += table({QStringLiteral("Finding"), QStringLiteral("Match"),
                          QStringLiteral("ATT&CK"), QStringLiteral("Weight")},
                         rows);
    }
    return out.isEmpty() ? QStringLiteral("<p>No command line analysed.</p>") : out;
}

QString endpoint(const json &o)
{
    QString out =
        QStringLiteral(
            "<p>%1 related alert(s): <b>%2 high</b>, <b>%3 critical</b> (window ±%4 min)</p>")
            .arg(js::int64(o, "related_alerts"))
            .arg(js::int64(o, "high"))
            .arg(js::int64(o, "critical"))
            .arg(js::int64(o, "window_ms") / 60000);
    QList<Record> items;
    for (const json &t : o.value("tactics", json::array()))
        for (const json &a : t.value("alerts", json::array()))
            items << Record{QStringLiteral("<b>%1</b>").arg(esc(str(a, "name"))),
                            {esc(str(a, "severity")), esc(str(t, "tactic")),
                             QStringLiteral("on ") +
                                 link(QStringLiteral("host"), str(a, "host"), str(a, "host")),
                             esc(str(a, "relation"))},
                            {}};
    out += records(items);
    if (o.contains("tenant_error"))
        out += QStringLiteral("<p><i>Tenant %1 could not be asked: %2</i></p>")
                   .arg(esc(str(o, "tenant")), esc(str(o, "tenant_error")));
    return out;
}

QString hits(const json &items)
{
    QList<Record> out;
    for (const json &h : items)
        out << Record{
            QStringLiteral("<b>%1</b> %2")
                .arg(esc(str(h, "type")), link(QStringLiteral("indicator"), str(h, "value"),
                                               elide(str(h, "value"), 80))),
            {QStringLiteral("in ") + esc(str(h, "where")),
             QStringLiteral("on ") + link(QStringLiteral("host"), str(h, "host"), str(h, "host"))},
            esc(str(h, "why"))};
    return records(out);
}

QString hunt(const json &o)
{
    const json found = o.value("hits", json::array());
    const json context = o.value("context", json::array());
    QString out =
        found.empty()
            ? QStringLiteral("<p>No additional evidence beyond the alert's own chain.</p>")
            : QStringLiteral("<h4>Additional evidence (%1)</h4>").arg(found.size()) + hits(found);
    if (!context.empty())
        out += QStringLiteral("<h4>Not counted: the case's own activity (%1)</h4>")
                   .arg(context.size()) +
               hits(context);
    const json sig = o.value("sigma", json::object());
    if (sig.contains("error"))
        out += QStringLiteral("<p><i>Sigma rules could not run: %1</i></p>")
                   .arg(esc(str(sig, "error")));
    QList<Record> matches;
    for (const json &m : sig.value("matches", json::array())) {
        QStringList tags;
        for (const json &t : m.value("tags", json::array()))
            tags << text(t);
        Record r{
            QStringLiteral("<b>%1</b>").arg(esc(str(m, "title"))),
            {esc(str(m, "level")),
             QStringLiteral("on ") + link(QStringLiteral("host"), str(m, "host"), str(m, "host")),
             esc(str(m, "ts"))},
            esc(str(m, "credit"))};
        if (!tags.isEmpty())
            r.facts << esc(tags.join(QStringLiteral(", ")));
        matches << r;
    }
    if (sig.contains("rules_loaded"))
        out += QStringLiteral("<h4>Sigma: %1 rule(s), %2 match(es) on the case's hosts</h4>")
                   .arg(js::int64(sig, "rules_loaded"))
                   .arg(matches.size());
    return out + records(matches);
}

QString verdict(const json &o)
{
    QString out = QStringLiteral("<p>%1 (rule: %2)</p>")
                      .arg(verdictBadge(str(o, "verdict") == QLatin1String("malicious")
                                            ? QStringLiteral("malicious")
                                            : QStringLiteral("not malicious")),
                           esc(str(o, "rule")));
    const json reasons = o.value("reasons", json::array());
    if (!reasons.empty())
        out += QStringLiteral("<p><b>Because:</b></p>") + list(reasons);
    QStringList missing;
    for (const json &m : o.value("missing", json::array()))
        missing << QStringLiteral("%1 (%2): %3")
                       .arg(str(m, "stage"), str(m, "state"), str(m, "reason"));
    if (!missing.isEmpty())
        out += QStringLiteral("<p><b>Evidence missing:</b></p>") + list(toJsonList(missing));
    return out;
}

QString remediation(const json &o)
{
    QString out = proposals(o);
    out += QStringLiteral("<p>%1 indicator(s) considered, %2 below the minimum score %3.</p>")
               .arg(js::int64(o, "indicators_considered"))
               .arg(js::int64(o, "below_threshold"))
               .arg(js::int64(o, "minimum_score"));
    QList<QStringList> rows;
    for (const json &c : o.value("checklist", json::array())) {
        const bool done = c.is_object() && c.value("done", false);
        rows << QStringList{done ? QStringLiteral("&#9745;") : QStringLiteral("&#9744;"),
                            esc(c.is_object() ? str(c, "item") : text(c)),
                            c.is_object() && c.contains("by")
                                ? esc(str(c, "by") + (str(c, "note").isEmpty()
                                                          ? QString()
                                                          : QStringLiteral(": ") + str(c, "note")))
                                : QString()};
    }
    if (!rows.isEmpty())
        out += QStringLiteral("<h4>Manual checklist</h4>") +
               table({QString(), QStringLiteral("Task"), QStringLiteral("Ticked by")}, rows);
    return out;
}

QString closing(const json &o)
{
    const QString proposed = str(o, "proposed_resolution");
    QString out =
        proposed.isEmpty()
            ? QStringLiteral(
                  "<p><b>No resolution proposed</b>: evidence is missing, the analyst decides.</p>")
            : QStringLiteral("<p>Proposed resolution: <b>%1</b></p>")
                  .arg(esc(resolutionText(proposed)));
    out += list(o.value("basis", json::array()));
    QStringList missing;
    for (const json &m : o.value("missing", json::array()))
        missing << QStringLiteral("%1: %2").arg(str(m, "stage"), str(m, "reason"));
    if (!missing.isEmpty())
        out += QStringLiteral("<p><b>Missing:</b></p>") + list(toJsonList(missing));
    if (o.contains("decision")) {
        const json &d = o["decision"];
        out += QStringLiteral("<p>Closed by <b>%1</b> as <b>%2</b>: %3</p>")
                   .arg(esc(str(d, "by")), esc(resolutionText(str(d, "resolution"))),
                        esc(str(d, "note")));
    }
    if (o.value("automatic", false))
        out += QStringLiteral("<p>%1 closed by the playbook itself (AutoRemediation)</p>")
                   .arg(badge(QStringLiteral("automatic"), QStringLiteral("#6a1b9a")));
    return out;
}

QString body(const QString &executor, const json &o)
{
    if (o.value("skipped", false))
        return QStringLiteral("<p><i>Skipped: %1</i></p>").arg(esc(str(o, "reason")));
    if (o.contains("error"))
        return QStringLiteral("<p style='color:#c62828'>%1</p>").arg(esc(str(o, "error")));
    if (o.contains("available") && !o.value("available", true))
        return QStringLiteral("<p><i>Unavailable: %1</i></p>").arg(esc(str(o, "reason")));
    if (executor == QLatin1String("triage"))
        return triage(o);
    if (executor == QLatin1String("containment"))
        return proposals(o);
    if (executor == QLatin1String("enrichment"))
        return enrichment(o);
    if (executor == QLatin1String("cmdline"))
        return commandLines(o);
    if (executor == QLatin1String("endpoint"))
        return endpoint(o);
    if (executor == QLatin1String("hunt"))
        return hunt(o);
    if (executor == QLatin1String("verdict"))
        return verdict(o);
    if (executor == QLatin1String("remediation"))
        return remediation(o);
    if (executor == QLatin1String("close"))
        return closing(o);
    return QString();
}

QString overrides(const json &o)
{
    QString out;
    const json all = o.value("overrides", json::object()); // items() needs a live object
    for (const auto &[key, v] : all.items())
        out += QStringLiteral("<li><b>%1</b> overridden by %2 (was %3): %4</li>")
                   .arg(esc(QString::fromStdString(key)), esc(str(v, "by")),
                        esc(elide(text(v.value("previous", json())), 80)), esc(str(v, "reason")));
    return out.isEmpty() ? QString() : QStringLiteral("<ul>%1</ul>").arg(out);
}

QString when(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))
                  : QString();
}

} // namespace

QString resolutionText(const QString &resolution)
{
    return QString(resolution).replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString html(const StageDefinition &def, const StageStateRecord &st)
{
    QString out = QStringLiteral("<h3>%1 %2</h3>").arg(esc(def.number), esc(def.title));
    out +=
        QStringLiteral("<p><b>%1</b>%2%3 — %4</p>")
            .arg(esc(fmt::stateLabel(toText(st.state))),
                 st.actor.isEmpty() ? QString() : QStringLiteral(" by ") + esc(st.actor),
                 st.finishedAt > 0 ? QStringLiteral(" at ") + esc(when(st.finishedAt)) : QString(),
                 esc(st.reason));
    if (st.state == StageState::Pending)
        return out + QStringLiteral("<p><i>%1</i></p>").arg(esc(def.description));
    out += overrides(st.outputs);
    out += body(def.executor, st.outputs);
    return out + QStringLiteral("<p><a href='causa:raw'>Raw JSON</a></p>");
}

QString rawHtml(const StageDefinition &def, const StageStateRecord &st)
{
    auto pretty = [](const json &j) {
        return esc(QString::fromStdString(j.dump(2, ' ', false, json::error_handler_t::replace)));
    };
    return QStringLiteral(
               "<h3>%1 %2 — raw</h3><p><a href='causa:readable'>Readable view</a></p><h4>Outputs</h4>"
               "<pre style='white-space: pre-wrap'>%3</pre><h4>Inputs</h4><pre style='white-space: pre-wrap'>%4</pre>")
        .arg(esc(def.number), esc(def.title), pretty(st.outputs), pretty(st.inputs));
}

} // namespace causa::stagepresenter
