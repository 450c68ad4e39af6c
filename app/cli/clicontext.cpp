#include "clicontext.h"

#include "core/errorcodes.h"

#include <cstdio>

namespace causa::cli {

CliContext::CliContext(QStringList args, QString storeSpec)
    : m_args(std::move(args)), m_storeSpec(std::move(storeSpec)), m_out(stdout), m_err(stderr)
{}

bool CliContext::takeFlag(const QString &flag)
{
    return m_args.removeAll(flag) > 0;
}

QString CliContext::takeOption(const QString &opt, bool *present)
{
    if (present)
        *present = false;
    for (int i = 0; i < m_args.size(); ++i) {
        const QString &a = m_args.at(i);
        if (a == opt) {
            if (present)
                *present = true;
            if (i + 1 < m_args.size()) {
                const QString v = m_args.at(i + 1);
                m_args.remove(i, 2);
                return v;
            }
            m_args.remove(i);
            return {};
        }
        if (a.startsWith(opt + QLatin1Char('='))) {
            if (present)
                *present = true;
            const QString v = a.mid(opt.size() + 1);
            m_args.remove(i);
            return v;
        }
    }
    return {};
}

Result<std::shared_ptr<CaseStore>> CliContext::store()
{
    if (m_store)
        return m_store;
    StoreLocation loc = StoreLocation::defaultLocation();
    if (!m_storeSpec.isEmpty()) {
        auto parsed = StoreLocation::parse(m_storeSpec);
        if (!parsed)
            return parsed.error();
        loc = parsed.value();
    }
    auto s = CaseStore::open(loc);
    if (!s)
        return s.error();
    m_store = s.value();
    return m_store;
}

void CliContext::printJson(const nlohmann::json &j)
{
    m_out << QString::fromStdString(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace))
          << Qt::endl;
}

int CliContext::fail(const Error &e, int code)
{
    m_err << "causa-cli: " << e.toString() << Qt::endl;
    return code;
}

int CliContext::usage(const QString &message)
{
    m_err << "causa-cli: " << message << "\nRun 'causa-cli --help' for usage." << Qt::endl;
    return Usage;
}

Result<qint64> resolveCase(CaseStore &store, const QString &ref)
{
    bool ok = false;
    const qint64 id = ref.toLongLong(&ok);
    if (ok) {
        auto c = store.caseSummary(id);
        if (!c)
            return c.error();
        return id;
    }
    const qsizetype colon = ref.indexOf(QLatin1Char(':'));
    if (colon > 0) {
        auto found = store.findCase(ref.left(colon), ref.mid(colon + 1));
        if (!found)
            return found.error();
        if (found.value() > 0)
            return found.value();
    }
    return makeError(errc::kNoCase,
                     QStringLiteral("no case '%1' (use an id from 'causa-cli cases')").arg(ref));
}

} // namespace causa::cli
