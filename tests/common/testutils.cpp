#include "testutils.h"

#include "store/auditlog.h"
#include "testasserts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace causa::test {

QString sharedDataDir()
{
    const QString env = qEnvironmentVariable("CAUSA_SHARED_DATA");
    const QString dir = env.isEmpty() ? QStringLiteral(CAUSA_SHARED_DATA_DIR) : env;
    return QFileInfo(dir).isDir() ? QFileInfo(dir).canonicalFilePath() : QString();
}

QString sourceDir()
{
    return QStringLiteral(CAUSA_SOURCE_DIR);
}

QString fixturesDir()
{
    return sourceDir() + QStringLiteral("/tests/fixtures");
}

bool dropAuditGuards(const QSqlDatabase &db)
{
    const bool pg = db.driverName() == QLatin1String("QPSQL");
    const QStringList statements =
        pg ? QStringList{QStringLiteral(
                             "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"),
                         QStringLiteral(
                             "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log"),
                         QStringLiteral(
                             "DROP TRIGGER IF EXISTS audit_heads_forward ON audit_heads"),
                         QStringLiteral(
                             "DROP TRIGGER IF EXISTS audit_heads_no_truncate ON audit_heads")}
           : QStringList{QStringLiteral("DROP TRIGGER IF EXISTS audit_log_no_update"),
                         QStringLiteral("DROP TRIGGER IF EXISTS audit_log_no_delete"),
                         QStringLiteral("DROP TRIGGER IF EXISTS audit_heads_no_delete"),
                         QStringLiteral("DROP TRIGGER IF EXISTS audit_heads_forward")};
    for (const QString &st : statements) {
        QSqlQuery q(db);
        if (!q.exec(st)) {
            qWarning("%s: %s", qPrintable(st), qPrintable(q.lastError().text()));
            return false;
        }
    }
    return true;
}

QString postgresServerUrl()
{
    const QString file = qEnvironmentVariable("CAUSA_TEST_STORE_URL_FILE");
    if (file.isEmpty())
        return {};
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("PostgreSQL fixture URL file %s is missing: did postgres_start run?",
               qPrintable(file));
    return QString::fromUtf8(f.readAll()).trimmed();
}

namespace {

// Runs one statement on the server's maintenance database (CREATE/DROP DATABASE).
void adminExec(const QString &serverUrl, const QString &statement)
{
    const auto loc = StoreLocation::parse(serverUrl).value();
    const QString name = QStringLiteral("causa-test-admin");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(loc.host);
        db.setPort(loc.port);
        db.setUserName(loc.user);
        db.setDatabaseName(QStringLiteral("postgres"));
        if (!db.open())
            qFatal("cannot reach the PostgreSQL test server: %s",
                   qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        if (!q.exec(statement))
            qWarning("%s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

TempStore::TempStore()
{
    m_path = m_dir.path() + QStringLiteral("/cases.sqlite");
    StoreLocation loc;
    loc.path = m_path;
    if (const QString server = postgresServerUrl(); !server.isEmpty()) {
        static int counter = 0;
        m_pgDatabase =
            QStringLiteral("causa_t%1_%2").arg(QCoreApplication::applicationPid()).arg(++counter);
        adminExec(server, QStringLiteral("CREATE DATABASE ") + m_pgDatabase);
        m_url = server.left(server.lastIndexOf(QLatin1Char('/')) + 1) + m_pgDatabase;
        loc = StoreLocation::parse(m_url).value();
    }
    auto s = CaseStore::open(loc);
    if (!s)
        qFatal("cannot open temporary store: %s", qPrintable(s.error().toString()));
    m_store = s.value();
}

TempStore::~TempStore()
{
    m_store.reset();
    if (!m_pgDatabase.isEmpty())
        adminExec(postgresServerUrl(),
                  QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_pgDatabase));
}

QStringList TempStore::cliArgs() const
{
    if (!m_url.isEmpty())
        return {QStringLiteral("--store"), m_url};
    return {QStringLiteral("--db"), m_path};
}

QString printModel(const QAbstractItemModel *model, const QModelIndex &parent, int depth,
                   int maxColumns)
{
    QString out;
    const int rows = model->rowCount(parent);
    int cols = model->columnCount(parent);
    if (maxColumns >= 0)
        cols = std::min(cols, maxColumns);
    for (int r = 0; r < rows; ++r) {
        QStringList cells;
        for (int c = 0; c < cols; ++c)
            cells << model->index(r, c, parent).data(Qt::DisplayRole).toString();
        out += QString(depth * 2, QLatin1Char(' ')) + cells.join(QStringLiteral(" | ")) +
               QLatin1Char('\n');
        const QModelIndex idx = model->index(r, 0, parent);
        if (model->hasChildren(idx)) {
            if (model->canFetchMore(idx))
                const_cast<QAbstractItemModel *>(model)->fetchMore(idx);
            out += printModel(model, idx, depth + 1, maxColumns);
        }
    }
    return out;
}

QString cliPath()
{
    return QStringLiteral(CAUSA_BINARY_DIR_FOR_TESTS "/app/causa-cli");
}

CliResult runCli(const QStringList &args, const QByteArray &stdinData, int timeoutMs)
{
    QProcess p;
    p.setProgram(cliPath());
    p.setArguments(args);
    p.start();
    CliResult r;
    if (!p.waitForStarted(10000)) {
        r.err = "cannot start causa-cli: " + p.errorString().toUtf8();
        return r;
    }
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        r.err = "causa-cli timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

int countAuditKind(CaseStore &store, qint64 caseId, const QString &kind)
{
    auto conn = store.connection();
    if (!conn)
        return -1;
    const auto list = audit::entries(conn.value(), caseId);
    if (!list)
        return -1;
    int n = 0;
    for (const AuditEntry &e : list.value())
        n += e.kind == kind ? 1 : 0;
    return n;
}

} // namespace causa::test
