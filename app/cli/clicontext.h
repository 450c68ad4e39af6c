#pragma once

#include "store/casestore.h"

#include <QStringList>
#include <QTextStream>

#include <memory>
#include <nlohmann/json.hpp>

namespace causa::cli {

enum ExitCode
{
    Ok = 0,
    BadInput = 1,
    Usage = 2,
    Failure = 3
};

// What every command gets: its arguments, the chosen store, and the output streams.
class CliContext
{
public:
    CliContext(QStringList args, QString storeSpec);

    QStringList &args() { return m_args; }
    // Removes "--flag" from the arguments and says whether it was there.
    bool takeFlag(const QString &flag);
    // Removes "--opt VALUE" (or --opt=VALUE); returns VALUE or empty. Sets *missing if no value.
    QString takeOption(const QString &opt, bool *present = nullptr);
    Result<std::shared_ptr<CaseStore>> store();
    // Whether --db / --store named a store (analyze then uses its custom patterns).
    bool storeGiven() const { return !m_storeSpec.isEmpty(); }

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
    void printJson(const nlohmann::json &j);
    int fail(const Error &e, int code = BadInput);
    int usage(const QString &message);

private:
    QStringList m_args;
    QString m_storeSpec;
    std::shared_ptr<CaseStore> m_store;
    QTextStream m_out;
    QTextStream m_err;
};

// Parses a case reference: a store id ("3") or "xdr:<incident id>".
Result<qint64> resolveCase(CaseStore &store, const QString &ref);

} // namespace causa::cli
