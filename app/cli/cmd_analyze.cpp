// analyze: static command-line analysis (SPEC §6, §11).
#include "commands.h"

#include "cmdline/storeanalyzer.h"
#include "core/errorcodes.h"

#include "cmdline/analysisjson.h"
#include "cmdline/commandlineanalyzer.h"
#include "core/jsonutil.h"

#include <QFile>

#include <cstdio>

namespace causa::cli {

namespace {

constexpr qsizetype kShownChars = 4000;

QString shown(const QString &s)
{
    QString t = s;
    // Control characters would corrupt the terminal; show them as code points.
    for (qsizetype i = 0; i < t.size(); ++i) {
        const char16_t c = t[i].unicode();
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
            t[i] = QChar(0xFFFD);
    }
    if (t.size() > kShownChars)
        t = t.left(kShownChars) +
            QStringLiteral("… (%1 more characters)").arg(s.size() - kShownChars);
    return t;
}

void printReadable(QTextStream &out, const AnalysisResult &r, const CommandLineAnalyzer &analyzer)
{
    out << "Command line: " << shown(r.commandLine) << '\n';
    if (!r.error.isEmpty()) {
        out << "Error: " << r.error << "\n\n";
        return;
    }
    out << "Verdict: " << r.verdict << " (score " << r.score << ", risk " << r.risk
        << "; XSOAR parity score " << r.xsoarScore << ", " << r.xsoarRisk << ")\n";
    if (!r.layers.isEmpty()) {
        out << "Decoded: " << shown(r.decoded) << '\n';
        out << "Layers:\n";
        for (int i = 0; i < r.layers.size(); ++i) {
            const DecodeLayer &l = r.layers[i];
            out << "  " << (i + 1) << ". " << l.transform << "  span [" << l.start << ", " << l.end
                << ") of layer " << i << '\n';
            if (!l.note.isEmpty())
                out << "     note: " << l.note << '\n';
        }
    }
    if (!r.findings.isEmpty()) {
        out << "Findings (points added to the score):\n";
        for (const Finding &f : r.findings) {
            const QString technique =
                analyzer.knowledge() ? analyzer.knowledge()->techniqueName(f.mitre) : QString();
            out << "  +" << f.contribution << "  " << f.category << "  " << f.mitre;
            if (!technique.isEmpty())
                out << " (" << technique << ')';
            out << "  " << f.tactic << "  weight " << f.weight << "  layer " << f.layer << "  \""
                << shown(f.match).left(120) << "\"  [" << f.rule << "]";
            if (!f.note.isEmpty())
                out << "  " << f.note;
            out << '\n';
        }
    }
    if (!r.indicators.isEmpty()) {
        out << "Indicators:\n";
        for (const ExtractedIndicator &i : r.indicators) {
            out << "  " << i.type << "  " << shown(i.value).left(300);
            if (i.obfuscated)
                out << "  (written " << shown(i.asWritten).left(300) << ')';
            if (i.internal)
                out << "  [internal]";
            out << '\n';
        }
    }
    if (!r.lolbins.isEmpty())
        out << "LOLBins: " << r.lolbins.join(QStringLiteral(", ")) << '\n';
    QStringList flags;
    const CommandLineFlags &f = r.flags;
    if (f.base64)
        flags << QStringLiteral("base64");
    if (f.suspiciousParameters)
        flags << QStringLiteral("suspiciousParameters");
    if (f.networkActivity)
        flags << QStringLiteral("networkActivity");
    if (f.maliciousTools)
        flags << QStringLiteral("maliciousTools");
    if (f.amsi)
        flags << QStringLiteral("AMSI");
    if (f.foundIndicators)
        flags << QStringLiteral("foundIndicators");
    if (f.suspiciousLolbinExecution)
        flags << QStringLiteral("SuspiciousLolbinExecution");
    out << "XSOAR flags: "
        << (flags.isEmpty() ? QStringLiteral("none") : flags.join(QStringLiteral(", "))) << "\n\n";
}

// The common input line, a quoted string of printable ASCII with only two-character escapes,
// decoded without building a DOM. Anything else (\u escapes, other bytes, whitespace around
// it) returns false and takes nlohmann's parser, which decides what is valid JSON.
bool decodeSimpleJsonString(const QByteArray &line, QString *out)
{
    const qsizetype n = line.size();
    if (n < 2 || line.front() != '"' || line.back() != '"')
        return false;
    out->resize(n - 2);
    QChar *dst = out->data();
    qsizetype w = 0;
    for (qsizetype i = 1; i < n - 1; ++i) {
        char c = line[i];
        if (c < 0x20 || c > 0x7E || c == '"')
            return false;
        if (c == '\\') {
            if (++i >= n - 1)
                return false;
            switch (line[i]) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case '/': c = '/'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            default: return false;
            }
        }
        dst[w++] = QLatin1Char(c);
    }
    out->truncate(w);
    return true;
}

// One input line to the command line it holds, or the error saying why it holds none.
QString commandLineOf(const QByteArray &line, qint64 lineNo, QString *error)
{
    QString commandLine;
    if (decodeSimpleJsonString(line, &commandLine))
        return commandLine;
    if (js::findExcessiveNesting(line.constData(), line.size(), 64) >= 0) {
        *error = QStringLiteral("line %1: JSON nested too deeply").arg(lineNo);
        return {};
    }
    const nlohmann::json v =
        nlohmann::json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
    if (v.is_discarded())
        *error = QStringLiteral("line %1: not valid JSON").arg(lineNo);
    else if (!v.is_string())
        *error = QStringLiteral("line %1: expected a JSON string, got %2")
                     .arg(lineNo)
                     .arg(QString::fromLatin1(v.type_name()));
    else
        return js::toQString(v);
    return {};
}

bool openInput(QFile *in, const QString &path)
{
    if (path == QLatin1String("-"))
        return in->open(stdin, QIODevice::ReadOnly);
    in->setFileName(path);
    return in->open(QIODevice::ReadOnly);
}

// --jsonl: one JSON string per input line; one JSON object per output line, always. Objects are
// written by appendAnalysisJson (the DOM's exact text) into one buffer flushed in large blocks.
int analyzeJsonLines(CliContext &ctx, const CommandLineAnalyzer &analyzer, const QString &path)
{
    QFile in;
    if (!openInput(&in, path)) {
        if (path == QLatin1String("-"))
            return ctx.fail(makeError(errc::kIo, QStringLiteral("cannot read stdin")), BadInput);
        return ctx.fail(makeError(errc::kIo,
                                  QStringLiteral("cannot open %1: %2").arg(path, in.errorString()),
                                  path),
                        BadInput);
    }
    ctx.out().flush();
    constexpr size_t kFlushBytes = 256 * 1024;
    std::string buffer;
    buffer.reserve(kFlushBytes + 64 * 1024);
    qint64 lineNo = 0;
    int exit = Ok;
    while (!in.atEnd()) {
        QByteArray line = in.readLine();
        if (line.isEmpty() && in.atEnd())
            break; // end of a pipe: no further line
        ++lineNo;
        if (line.endsWith('\n'))
            line.chop(1);
        if (line.endsWith('\r'))
            line.chop(1);
        QString error;
        const QString commandLine = commandLineOf(line, lineNo, &error);
        if (!error.isEmpty()) {
            appendErrorJson(&buffer, QString(), error, lineNo);
            exit = BadInput;
        } else {
            const AnalysisResult r = analyzer.analyze(commandLine);
            appendAnalysisJson(&buffer, r, lineNo);
            if (!r.error.isEmpty())
                exit = BadInput;
        }
        buffer.push_back('\n');
        if (buffer.size() >= kFlushBytes) {
            std::fwrite(buffer.data(), 1, buffer.size(), stdout);
            buffer.clear();
        }
    }
    std::fwrite(buffer.data(), 1, buffer.size(), stdout);
    std::fflush(stdout);
    return exit;
}

} // namespace

int cmdAnalyze(CliContext &ctx)
{
    const bool asJson = ctx.takeFlag(QStringLiteral("--json"));
    bool jsonl = false;
    const QString jsonlPath = ctx.takeOption(QStringLiteral("--jsonl"), &jsonl);
    QStringList lines = ctx.args();
    // "--" ends the options so a command line may start with '-'.
    const qsizetype dashes = lines.indexOf(QStringLiteral("--"));
    if (dashes >= 0)
        lines.removeAt(dashes);
    for (qsizetype i = 0; i < (dashes >= 0 ? dashes : lines.size()); ++i)
        if (lines[i].startsWith(QLatin1String("--")))
            return ctx.usage(QStringLiteral("unknown option '%1'").arg(lines[i]));
    if (jsonl && jsonlPath.isEmpty())
        return ctx.usage(QStringLiteral("--jsonl needs FILE or -"));
    if (!jsonl && lines.isEmpty())
        return ctx.usage(QStringLiteral("analyze needs a CMDLINE or --jsonl FILE|-"));
    // With --db/--store the store's custom patterns and allowlist apply, as in the workbench.
    std::shared_ptr<const CommandLineAnalyzer> shared;
    if (ctx.storeGiven()) {
        auto store = ctx.store();
        if (!store)
            return ctx.fail(store.error(), Failure);
        auto withPatterns = analyzerForStore(*store.value());
        if (!withPatterns)
            return ctx.fail(withPatterns.error(), Failure);
        shared = withPatterns.value();
    } else {
        shared = std::make_shared<const CommandLineAnalyzer>();
    }
    const CommandLineAnalyzer &analyzer = *shared;
    if (!analyzer.loadError().isEmpty())
        return ctx.fail(makeError(errc::kKnowledge, analyzer.loadError()), Failure);
    int exit = Ok;
    if (!lines.isEmpty()) {
        nlohmann::json all = nlohmann::json::array();
        for (const QString &line : lines) {
            const AnalysisResult r = analyzer.analyze(line);
            if (!r.error.isEmpty())
                exit = BadInput;
            if (asJson)
                all.push_back(toJson(r));
            else
                printReadable(ctx.out(), r, analyzer);
        }
        if (asJson)
            ctx.printJson(all.size() == 1 ? all.at(0) : all);
        ctx.out().flush();
    }
    if (jsonl) {
        const int rc = analyzeJsonLines(ctx, analyzer, jsonlPath);
        exit = exit == Ok ? rc : exit;
    }
    return exit;
}

} // namespace causa::cli
