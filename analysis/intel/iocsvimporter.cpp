#include "iocsvimporter.h"

#include "core/chunkedreader.h"
#include "core/errorcodes.h"
#include "intelnormalise.h"
#include "store/importsession.h"
#include "store/intelstore.h"

#include <QFileInfo>

namespace causa {

namespace {

constexpr qint64 kMaxLine = 1 << 20; // a longer row is not an IOC; reject it, keep reading

enum class Column
{
    Type,
    Value,
    Score,
    Confidence,
    Tlp,
    Pap,
    Description,
    Creator,
    ValidFrom,
    ValidUntil,
    Kind
};

std::optional<Column> columnOf(const QString &header)
{
    QString h = header.trimmed().toLower();
    h.remove(QLatin1Char('"'));
    h.replace(QLatin1Char(' '), QLatin1Char('_'));
    static const std::pair<const char *, Column> names[] = {
        {"type", Column::Type},
        {"indicator_type", Column::Type},
        {"ioc_type", Column::Type},
        {"observable_type", Column::Type},
        {"value", Column::Value},
        {"indicator", Column::Value},
        {"ioc", Column::Value},
        {"ioc_value", Column::Value},
        {"observable", Column::Value},
        {"indicator_value", Column::Value},
        {"score", Column::Score},
        {"dbot_score", Column::Score},
        {"verdict", Column::Score},
        {"reputation", Column::Score},
        {"confidence", Column::Confidence},
        {"tlp", Column::Tlp},
        {"marking", Column::Tlp},
        {"pap", Column::Pap},
        {"description", Column::Description},
        {"comment", Column::Description},
        {"comments", Column::Description},
        {"notes", Column::Description},
        {"note", Column::Description},
        {"reason", Column::Description},
        {"source", Column::Creator},
        {"creator", Column::Creator},
        {"author", Column::Creator},
        {"reporter", Column::Creator},
        {"valid_from", Column::ValidFrom},
        {"first_seen", Column::ValidFrom},
        {"firstseen", Column::ValidFrom},
        {"valid_until", Column::ValidUntil},
        {"expires", Column::ValidUntil},
        {"expiration", Column::ValidUntil},
        {"expiry", Column::ValidUntil},
        {"kind", Column::Kind},
        {"list", Column::Kind},
    };
    for (const auto &[name, col] : names)
        if (h == QLatin1String(name))
            return col;
    return std::nullopt;
}

char detectDelimiter(const QByteArray &line)
{
    int counts[3] = {0, 0, 0};
    bool quoted = false;
    for (char c : line) {
        if (c == '"')
            quoted = !quoted;
        else if (!quoted)
            counts[0] += c == ',', counts[1] += c == ';', counts[2] += c == '\t';
    }
    if (counts[2] > counts[0] && counts[2] >= counts[1])
        return '\t';
    if (counts[1] > counts[0])
        return ';';
    return ',';
}

bool nameSaysAllowlist(const QString &path)
{
    const QString n = QFileInfo(path).fileName().toLower();
    return n.contains(QLatin1String("allowlist")) || n.contains(QLatin1String("allow-list")) ||
           n.contains(QLatin1String("whitelist")) || n.contains(QLatin1String("safelist")) ||
           n.contains(QLatin1String("allow_list"));
}

bool isHeader(const QStringList &fields)
{
    for (const QString &f : fields)
        if (columnOf(f) == Column::Value)
            return true;
    return false;
}

// One row's fields by meaning, as written (a plain list has only a value).
struct RawRow
{
    QString type, value, score, confidence, tlp, pap, from, until, kind;
};

RawRow rawRow(const QStringList &fields, const std::vector<std::optional<Column>> &columns,
              IntelEntry &e)
{
    RawRow raw;
    if (columns.empty()) {
        raw.value = fields.value(0);
        return raw;
    }
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const auto col = columns.at(size_t(i));
        if (!col)
            continue;
        const QString &v = fields.at(i);
        switch (*col) {
        case Column::Type: raw.type = v; break;
        case Column::Value: raw.value = v; break;
        case Column::Score: raw.score = v; break;
        case Column::Confidence: raw.confidence = v; break;
        case Column::Tlp: raw.tlp = v; break;
        case Column::Pap: raw.pap = v; break;
        case Column::Description: e.description = v; break;
        case Column::Creator: e.creator = v; break;
        case Column::ValidFrom: raw.from = v; break;
        case Column::ValidUntil: raw.until = v; break;
        case Column::Kind: raw.kind = v.trimmed().toLower(); break;
        }
    }
    return raw;
}

// Why a row is refused: the field (empty for the whole row) and the problem.
struct RowProblem
{
    QString field;
    QString problem;
};

// Kind and score: an allowlist entry scores 1, an IOC list without scores lists bad things.
std::optional<RowProblem> fillKindAndScore(const RawRow &raw, bool allowlist, IntelEntry &e)
{
    const bool rowAllowlist =
        allowlist || raw.kind == QLatin1String("allowlist") || raw.kind == QLatin1String("allow") ||
        raw.kind == QLatin1String("whitelist") || raw.kind == QLatin1String("safelist");
    if (!raw.kind.isEmpty() && !rowAllowlist && raw.kind != QLatin1String("ioc") &&
        raw.kind != QLatin1String("blocklist") && raw.kind != QLatin1String("indicator"))
        return RowProblem{
            QStringLiteral("kind"),
            QStringLiteral("'%1' is neither ioc nor allowlist").arg(raw.kind.left(40))};
    e.kind = rowAllowlist ? QStringLiteral("allowlist") : QStringLiteral("ioc");
    if (rowAllowlist) {
        e.score = 1;
    } else if (raw.score.trimmed().isEmpty()) {
        e.score = 3;
    } else {
        e.score = intel::parseScore(raw.score);
        if (e.score < 0)
            return RowProblem{
                QStringLiteral("score"),
                QStringLiteral("'%1' is not a score (0-3 or malicious/suspicious/good/unknown)")
                    .arg(raw.score.left(40))};
    }
    return std::nullopt;
}

// Confidence, markings and validity, each optional but refused when unreadable.
std::optional<RowProblem> fillQualifiers(const RawRow &raw, IntelEntry &e)
{
    if (!raw.confidence.trimmed().isEmpty()) {
        bool ok = false;
        e.confidence = raw.confidence.trimmed().toInt(&ok);
        if (!ok || e.confidence < 0 || e.confidence > 100)
            return RowProblem{QStringLiteral("confidence"),
                              QStringLiteral("'%1' is not 0-100").arg(raw.confidence.left(40))};
    }
    if (!raw.tlp.trimmed().isEmpty()) {
        e.tlp = intel::parseTlp(raw.tlp);
        if (e.tlp.isEmpty())
            return RowProblem{QStringLiteral("tlp"),
                              QStringLiteral("'%1' is not a TLP marking").arg(raw.tlp.left(40))};
    }
    if (!raw.pap.trimmed().isEmpty()) {
        e.pap = intel::parsePap(raw.pap);
        if (e.pap.isEmpty())
            return RowProblem{QStringLiteral("pap"),
                              QStringLiteral("'%1' is not a PAP marking").arg(raw.pap.left(40))};
    }
    e.validFrom = intel::parseTime(raw.from);
    e.validUntil = intel::parseTime(raw.until);
    if (e.validFrom < 0 || e.validUntil < 0)
        return RowProblem{e.validFrom < 0 ? QStringLiteral("valid_from")
                                          : QStringLiteral("valid_until"),
                          QStringLiteral("not a date")};
    return std::nullopt;
}

// The entry a row describes, or why it is refused.
std::optional<RowProblem> fillEntry(const RawRow &raw, bool allowlist, IntelEntry &e)
{
    QString type = raw.type.trimmed(), problem;
    e.value = intel::normaliseValue(raw.value, &type, &problem);
    if (e.value.isEmpty())
        return RowProblem{raw.type.isEmpty() || problem.startsWith(QLatin1String("'"))
                              ? QStringLiteral("value")
                              : QStringLiteral("type"),
                          problem};
    e.type = type;
    if (auto p = fillKindAndScore(raw, allowlist, e))
        return p;
    return fillQualifiers(raw, e);
}

// What the first line said about the others: the columns its header names (none: a plain list)
// and the delimiter.
struct CsvLayout
{
    std::vector<std::optional<Column>> columns;
    bool headerSeen = false;
    char delimiter = ',';
};

enum class Row
{
    Header,
    Data,
    Bad
};

// Splits a line into fields. The first line may be the header, which sets the layout; a line
// that cannot be read is Bad, with the problem.
Row splitRow(const QByteArray &trimmed, CsvLayout &layout, QStringList &fields, QString &problem)
{
    if (!layout.headerSeen) {
        layout.headerSeen = true;
        layout.delimiter = detectDelimiter(trimmed);
        if (IocCsvImporter::splitLine(trimmed, layout.delimiter, &fields) && isHeader(fields)) {
            for (const QString &f : fields)
                layout.columns.push_back(columnOf(f));
            return Row::Header;
        }
    }
    if (!IocCsvImporter::splitLine(trimmed, layout.columns.empty() ? ',' : layout.delimiter,
                                   &fields)) {
        problem = QStringLiteral("a quoted field is not closed");
        return Row::Bad;
    }
    if (!layout.columns.empty() && fields.size() > qsizetype(layout.columns.size())) {
        problem = QStringLiteral("%1 fields where the header names %2")
                      .arg(fields.size())
                      .arg(layout.columns.size());
        return Row::Bad;
    }
    return Row::Data;
}

} // namespace

bool IocCsvImporter::splitLine(const QByteArray &line, char delimiter, QStringList *fields)
{
    fields->clear();
    QByteArray cur;
    bool quoted = false;
    bool wasQuoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char c = line.at(i);
        if (quoted) {
            if (c == '"') {
                if (i + 1 < line.size() && line.at(i + 1) == '"') {
                    cur.append('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cur.append(c);
            }
        } else if (c == '"' && cur.trimmed().isEmpty() && !wasQuoted) {
            quoted = true;
            wasQuoted = true;
            cur.clear();
        } else if (c == delimiter) {
            fields->append(wasQuoted ? QString::fromUtf8(cur) : QString::fromUtf8(cur).trimmed());
            cur.clear();
            wasQuoted = false;
        } else {
            cur.append(c);
        }
    }
    if (quoted)
        return false;
    fields->append(wasQuoted ? QString::fromUtf8(cur) : QString::fromUtf8(cur).trimmed());
    return true;
}

bool IocCsvImporter::looksLike(const QString &path, const QByteArray &head)
{
    if (head.trimmed().startsWith('{') || head.trimmed().startsWith('['))
        return false;
    // First non-comment line: a header with a value column, or a plain list of indicators in a
    // .csv/.txt/.lst file.
    qsizetype pos = head.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    int listLines = 0;
    while (pos < head.size() && listLines < 5) {
        qsizetype nl = head.indexOf('\n', pos);
        if (nl < 0)
            nl = head.size();
        const QByteArray line = head.mid(pos, nl - pos).trimmed();
        pos = nl + 1;
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        QStringList fields;
        if (listLines == 0 && splitLine(line, detectDelimiter(line), &fields) && isHeader(fields))
            return true;
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix != QLatin1String("csv") && suffix != QLatin1String("txt") &&
            suffix != QLatin1String("lst"))
            return false;
        QString type, problem;
        if (intel::normaliseValue(QString::fromUtf8(line.split(',').first()), &type, &problem)
                .isEmpty() ||
            (type == QLatin1String("domain") && !line.contains('.')))
            return false;
        ++listLines;
    }
    return listLines > 0;
}

Result<void> IocCsvImporter::importFile(ImportSession &session, const QString &path,
                                        const ImportOptions &options)
{
    ChunkedReader reader(path);
    if (auto r = reader.open(); !r)
        return r;
    const QString feed = QFileInfo(path).fileName();
    const QString origin = path;
    bool allowlist = nameSaysAllowlist(path);
    IntelWriter writer(session);
    CsvLayout layout;
    qint64 lineNo = 0;
    QByteArray line;
    bool truncated = false;
    auto reject = [&](const QString &field, const QString &problem) {
        ++session.counts().rejected;
        if (options.warn)
            options.warn(
                QStringLiteral("%1: line %2: %3%4")
                    .arg(origin)
                    .arg(lineNo)
                    .arg(field.isEmpty() ? QString() : QStringLiteral("field '%1': ").arg(field),
                         problem));
    };
    while (reader.readLine(line, kMaxLine, &truncated)) {
        ++lineNo;
        if (options.cancelled())
            return makeError(errc::kCancelled, QStringLiteral("the import was cancelled"),
                             QStringLiteral("%1: line %2").arg(origin).arg(lineNo));
        if (options.progress && lineNo % 4096 == 0)
            options.progress(reader.offset(), reader.size());
        if (lineNo == 1 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3);
        if (truncated) {
            reject({}, QStringLiteral("the line is longer than %1 bytes").arg(kMaxLine));
            continue;
        }
        const QByteArray trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (trimmed.startsWith('#')) {
            if (!layout.headerSeen && trimmed.toLower().contains("allowlist"))
                allowlist = true;
            continue;
        }
        if (line.contains('\0')) {
            reject({}, QStringLiteral("the line holds a NUL byte"));
            continue;
        }
        QStringList fields;
        QString problem;
        const Row row = splitRow(trimmed, layout, fields, problem);
        if (row == Row::Header)
            continue;
        if (row == Row::Bad) {
            reject({}, problem);
            continue;
        }
        IntelEntry e;
        e.feed = feed;
        if (auto problem = fillEntry(rawRow(fields, layout.columns, e), allowlist, e)) {
            reject(problem->field, problem->problem);
            continue;
        }
        if (auto r = writer.add(e); !r)
            return makeError(r.error().code, r.error().message,
                             QStringLiteral("%1: line %2").arg(origin).arg(lineNo));
    }
    if (layout.columns.empty() && !layout.headerSeen)
        return makeError(errc::kEmpty, QStringLiteral("the file holds no indicators"), origin);
    if (options.progress)
        options.progress(reader.size(), reader.size());
    return {};
}

} // namespace causa
