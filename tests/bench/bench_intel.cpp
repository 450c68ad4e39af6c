// Intel import and offline enrichment throughput: prints figures, asserts nothing.
#include "testutils.h"

#include "enrichment/enrichmentservice.h"
#include "import/importdispatcher.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace causa;

namespace {

QByteArray sha(int i)
{
    return QCryptographicHash::hash(QByteArray::number(i), QCryptographicHash::Sha256).toHex();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int rows = argc > 1 ? std::atoi(argv[1]) : 200000;
    QTemporaryDir dir;
    const QString csv = dir.path() + QStringLiteral("/bench-iocs.csv");
    const QString stix = dir.path() + QStringLiteral("/bench-stix.json");
    {
        QFile f(csv);
        f.open(QIODevice::WriteOnly);
        f.write("type,value,score,confidence,tlp,description\n");
        for (int i = 0; i < rows; ++i)
            f.write("sha256," + sha(i) + ",3,80,AMBER,bench row " + QByteArray::number(i) + "\n");
    }
    {
        QFile f(stix);
        f.open(QIODevice::WriteOnly);
        f.write(R"({"type": "bundle", "id": "bundle--bench", "objects": [)");
        for (int i = 0; i < rows; ++i) {
            if (i)
                f.write(",");
            f.write(
                R"({"type": "indicator", "spec_version": "2.1", "id": "indicator--)" +
                QByteArray::number(i) +
                R"(", "indicator_types": ["malicious-activity"], "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z", "pattern": "[file:hashes.'SHA-256' = ')" +
                sha(rows + i) + R"(']"})");
        }
        f.write("]}");
    }
    test::TempStore ts;
    for (const QString &file : {csv, stix}) {
        QElapsedTimer t;
        t.start();
        auto r = ImportDispatcher(ts.store()).importFile(file);
        const double s = t.nsecsElapsed() / 1e9;
        if (!r) {
            std::printf("import failed: %s\n", qPrintable(r.error().toString()));
            return 1;
        }
        std::printf("%-16s %d entries in %.2f s = %.0f entries/s\n",
                    qPrintable(QFileInfo(file).fileName()), int(r->intel), s, r->intel / s);
    }
    const QString sample =
        test::sourceDir() + QStringLiteral("/resources/samples/fin-ws-042-incident.json");
    if (auto r = ImportDispatcher(ts.store()).importFile(sample); !r)
        return 1;
    EnrichmentSettings settings;
    settings.offline = true;
    EnrichmentService service(ts.store(), settings);
    const qint64 caseId =
        ts.store().findCase(QStringLiteral("xdr"), QStringLiteral("4242")).value();
    QElapsedTimer t;
    t.start();
    const int runs = 50;
    size_t indicators = 0;
    for (int i = 0; i < runs; ++i) {
        auto rep = service.enrichCase(caseId);
        if (!rep)
            return 1;
        indicators = rep->indicators.size();
    }
    std::printf(
        "offline enrichCase of the sample case (%zu indicators, %d intel entries in store): %.2f ms per run\n",
        indicators, 2 * rows, t.nsecsElapsed() / 1e6 / runs);
    return 0;
}
