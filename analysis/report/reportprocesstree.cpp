#include "reportformat.h"
#include "reportparts.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <tuple>

namespace causa::report {

namespace {

// "action@4242-1" -> "action": the table shows which part a process plays, not in which alert.
QString roleNames(const QStringList &roles)
{
    QStringList names;
    for (const QString &r : roles) {
        const QString n = r.section(QLatin1Char('@'), 0, 0);
        if (!names.contains(n))
            names << n;
    }
    return names.join(QStringLiteral(", "));
}

// The table row of a process, its name indented two spaces per level.
QStringList processRow(const StoredProcess &sp, int depth)
{
    const ProcessRecord &p = sp.process;
    const QString name = p.imageName.isEmpty() ? p.imagePath : p.imageName;
    QString signature = p.signatureStatus;
    if (!p.signatureVendor.isEmpty())
        signature += (signature.isEmpty() ? QString() : QStringLiteral(", ")) + p.signatureVendor;
    return {QString(qsizetype(std::min(depth, 1000)) * 2, QLatin1Char(' ')) + name,
            p.pid >= 0 ? QString::number(p.pid) : QStringLiteral("-"),
            p.user.isEmpty() ? QStringLiteral("-") : p.user,
            displayTime(p.startedAt),
            signature.isEmpty() ? QStringLiteral("-") : signature,
            roleNames(sp.roles),
            p.sha256.isEmpty() ? QStringLiteral("-") : p.sha256};
}

} // namespace

ReportSection processTreeSection(const ReportData &d)
{
    ReportSection s{QStringLiteral("process-tree"), QStringLiteral("Process tree"), {}};
    if (d.processes.empty()) {
        ReportBlock n;
        n.kind = ReportBlock::Kind::Note;
        n.text = QStringLiteral("No process is linked to the case's alerts.");
        s.blocks.push_back(n);
        return s;
    }
    QHash<QString, size_t> byKey;
    for (size_t i = 0; i < d.processes.size(); ++i)
        byKey.insert(d.processes[i].process.key, i);
    QHash<QString, std::vector<size_t>> children;
    std::vector<size_t> roots;
    for (size_t i = 0; i < d.processes.size(); ++i) {
        const ProcessRecord &p = d.processes[i].process;
        if (!p.parentKey.isEmpty() && p.parentKey != p.key && byKey.contains(p.parentKey))
            children[p.parentKey].push_back(i);
        else
            roots.push_back(i);
    }
    auto byStart = [&d](size_t a, size_t b) {
        const ProcessRecord &x = d.processes[a].process, &y = d.processes[b].process;
        return std::tie(x.startedAt, x.key) < std::tie(y.startedAt, y.key);
    };
    std::sort(roots.begin(), roots.end(), byStart);
    for (auto &c : children)
        std::sort(c.begin(), c.end(), byStart);

    ReportBlock t;
    t.kind = ReportBlock::Kind::Table;
    t.table.columns = {QStringLiteral("Process"),   QStringLiteral("PID"),
                       QStringLiteral("User"),      QStringLiteral("Started"),
                       QStringLiteral("Signature"), QStringLiteral("Role"),
                       QStringLiteral("SHA-256")};
    t.table.monospaceColumns = {6};
    t.table.indentColumn = {0};
    QSet<size_t> emitted;
    // Iterative depth-first walk; a parent-link cycle cannot loop because each node shows once.
    auto emitTree = [&](size_t root) {
        std::vector<std::pair<size_t, int>> stack{{root, 0}};
        while (!stack.empty()) {
            const auto [i, depth] = stack.back();
            stack.pop_back();
            if (emitted.contains(i))
                continue;
            emitted.insert(i);
            t.table.rows.push_back(processRow(d.processes[i], depth));
            const auto kids = children.value(d.processes[i].process.key);
            for (auto it = kids.rbegin(); it != kids.rend(); ++it)
                stack.push_back({*it, depth + 1});
        }
    };
    for (size_t r : roots)
        emitTree(r);
    // Members of a pure cycle have no root; show them rather than drop them.
    for (size_t i = 0; i < d.processes.size(); ++i)
        if (!emitted.contains(i))
            emitTree(i);
    s.blocks.push_back(std::move(t));
    ReportBlock n;
    n.kind = ReportBlock::Kind::Note;
    n.text =
        QStringLiteral(
            "%1 processes; children are indented under their parent and ordered by start time.")
            .arg(d.processes.size());
    s.blocks.push_back(n);
    return s;
}

} // namespace causa::report
