#pragma once

// Helpers shared by the event tests: write JSON-lines files, import them, find forest nodes.
#include "forest/processforest.h"
#include "import/importdispatcher.h"
#include "testutils.h"

#include <QFile>
#include <QTemporaryDir>

namespace causa::test {

inline QString writeLines(const QTemporaryDir &dir, const QString &name,
                          const QList<QByteArray> &lines)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    for (const QByteArray &l : lines)
        f.write(l + '\n');
    return path;
}

struct ImportRun
{
    Result<ImportCounts> counts = makeError(QStringLiteral("none"), QString());
    QStringList warnings;
};

inline ImportRun importWithWarnings(CaseStore &store, const QString &path)
{
    ImportRun run;
    ImportOptions options;
    options.warn = [&run](const QString &w) { run.warnings << w; };
    run.counts = ImportDispatcher(store).importFile(path, options);
    return run;
}

// Nodes whose image name matches (case-insensitive).
inline QList<int> nodesNamed(const ProcessForest &f, const QString &image)
{
    QList<int> out;
    for (int i = 0; i < f.size(); ++i)
        if (f.node(i).imageName().compare(image, Qt::CaseInsensitive) == 0)
            out << i;
    return out;
}

inline QString parentImage(const ProcessForest &f, int i)
{
    const int p = f.node(i).parent();
    return p >= 0 ? f.node(p).imageName() : QString();
}

} // namespace causa::test
