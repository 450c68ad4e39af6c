// causa: the analyst's workbench (SPEC §11: causa [--db PATH | --store URL] [FILE...]).
#include "core/errorcodes.h"
#include "core/platform.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "plainmessage.h"
#include "theme.h"
#include "workbench.h"

#include "panels/casequeuepanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#include <cstdio>

namespace {

// CAUSA_STARTUP_PROBE=1 (used by tests/bench/bench_gui_startup): once the window shows the first
// page of the case queue and has painted it, print the time since main() and quit.
void probeStartup(causa::Workbench *wb, const QElapsedTimer &sinceMain)
{
    QObject::connect(
        wb->window()->queuePanel(), &causa::CaseQueuePanel::queueLoaded, wb,
        [wb, sinceMain](qint64 total) {
            QTimer::singleShot(0, wb, [wb, sinceMain, total] {
                wb->window()->repaint();
                std::printf("startup: usable window with %lld cases after %lld ms\n",
                            static_cast<long long>(total),
                            static_cast<long long>(sinceMain.elapsed()));
                std::fflush(stdout);
                QCoreApplication::quit();
            });
        },
        Qt::SingleShotConnection);
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    // process-wide settings: main() chooses them, not the libraries
    causa::platform::tuneAllocator();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("causa"));
    QApplication::setOrganizationName(QStringLiteral("causa"));
    QApplication::setApplicationDisplayName(QStringLiteral("Causa"));
    QApplication::setApplicationVersion(QStringLiteral(CAUSA_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/causa/icons/causa.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Causa — investigation workbench for SOC analysts"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption db(QStringLiteral("db"), QStringLiteral("SQLite case store."),
                          QStringLiteral("PATH"));
    QCommandLineOption store(QStringLiteral("store"),
                             QStringLiteral("Team store URL (postgresql://user@host:port/db)."),
                             QStringLiteral("URL"));
    parser.addOption(db);
    parser.addOption(store);
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("Files to import on start."),
                                 QStringLiteral("[FILE...]"));
    parser.process(app);

    causa::applyTheme(
        causa::themeFromString(QSettings().value(QStringLiteral("ui/theme")).toString()));
    auto opened =
        causa::Workbench::open(parser.isSet(store) ? parser.value(store) : parser.value(db),
                               causa::Workbench::passwordDialog(nullptr));
    if (!opened) {
        causa::plainCritical(
            nullptr, QStringLiteral("Causa"),
            QStringLiteral("Cannot open the case store:\n%1").arg(opened.error().toString()));
        return opened.error().code == causa::errc::kUsage ? 2 : 1;
    }
    // One workbench at a time: opening another store replaces the window; a store that cannot be
    // opened leaves the current one as it was, with the reason in its message bar.
    std::unique_ptr<causa::Workbench> current = std::move(opened).value();
    std::function<void(causa::Workbench *)> wire = [&](causa::Workbench *wb) {
        QObject::connect(
            wb, &causa::Workbench::openStoreRequested, wb, [&, wb](const QString &spec) {
                auto next =
                    causa::Workbench::open(spec, causa::Workbench::passwordDialog(wb->window()));
                if (!next) {
                    wb->window()->messageBar()->showMessage(
                        causa::MessageBar::Kind::Error,
                        QObject::tr("Cannot open %1: %2").arg(spec, next.error().toString()));
                    return;
                }
                auto replacement = std::move(next).value();
                wire(replacement.get());
                replacement->window()->setGeometry(wb->window()->geometry());
                replacement->window()->show();
                // The old workbench may be inside its own signal: delete it once control returns.
                current.release()->deleteLater();
                current = std::move(replacement);
            });
    };
    wire(current.get());
    if (qEnvironmentVariableIsSet("CAUSA_STARTUP_PROBE"))
        probeStartup(current.get(), sinceMain);
    current->window()->resize(1400, 860);
    current->window()->show();
    current->window()->importFiles(parser.positionalArguments());
    return app.exec();
}
