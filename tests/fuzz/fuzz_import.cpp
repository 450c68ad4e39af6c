// libFuzzer harness for the importers (issue 18). One source, one target per format: the build
// defines CAUSA_FUZZ_FORMAT as xdr, events, evtx, zip, ioccsv, stix or misp. Each input is
// imported into a real SQLite store (one per process) inside a session that is rolled back, so
// the store stays small; the ZIP target goes through ImportDispatcher (unpacking, member names,
// the archive's one transaction). Run through scripts/run-fuzz.sh.
#include "events/eventimporter.h"
#include "import/importdispatcher.h"
#include "intel/iocsvimporter.h"
#include "intel/mispimporter.h"
#include "intel/stiximporter.h"
#include "store/casestore.h"
#include "store/importsession.h"
#include "xdr/xdrimporter.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#ifndef CAUSA_FUZZ_FORMAT
#error "define CAUSA_FUZZ_FORMAT"
#endif

namespace {

struct Harness
{
    std::unique_ptr<QCoreApplication> app;
    QTemporaryDir dir;
    std::shared_ptr<causa::CaseStore> store;
    QString input;
};

Harness *harness = nullptr;

QString extension(const QString &format)
{
    if (format == QLatin1String("events"))
        return QStringLiteral("jsonl");
    if (format == QLatin1String("ioccsv"))
        return QStringLiteral("csv");
    if (format == QLatin1String("evtx") || format == QLatin1String("zip"))
        return format;
    return QStringLiteral("json");
}

causa::Result<void> runOne(causa::ImportSession &session, const QString &format,
                           const QByteArray &bytes, const causa::ImportOptions &options)
{
    if (format == QLatin1String("xdr"))
        return causa::XdrImporter().importBytes(session, bytes, QStringLiteral("fuzz"), options);
    if (format == QLatin1String("events") || format == QLatin1String("evtx"))
        return causa::EventImporter().importFile(session, harness->input, options);
    if (format == QLatin1String("ioccsv"))
        return causa::IocCsvImporter().importFile(session, harness->input, options);
    if (format == QLatin1String("stix"))
        return causa::StixImporter().importFile(session, harness->input, options);
    return causa::MispImporter().importFile(session, harness->input, options);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    harness = new Harness;
    harness->app = std::make_unique<QCoreApplication>(*argc, *argv);
    causa::StoreLocation loc;
    loc.path = harness->dir.filePath(QStringLiteral("fuzz.sqlite"));
    auto store = causa::CaseStore::open(loc);
    if (!store)
        std::abort();
    harness->store = store.value();
    harness->input = harness->dir.filePath(QStringLiteral("input.") +
                                           extension(QStringLiteral(CAUSA_FUZZ_FORMAT)));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString format = QStringLiteral(CAUSA_FUZZ_FORMAT);
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (format != QLatin1String("xdr")) {
        QFile f(harness->input);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
            std::abort();
    }
    causa::ImportOptions options;
    options.warn = [](const QString &) {};
    if (format == QLatin1String("zip")) {
        // Whatever the archive holds, it must be refused or imported whole, never crash.
        (void)causa::ImportDispatcher(*harness->store).importFile(harness->input, options);
        return 0;
    }
    causa::ImportSession session(*harness->store);
    if (!session.begin())
        std::abort();
    (void)runOne(session, format, bytes, options);
    session.rollback();
    return 0;
}
