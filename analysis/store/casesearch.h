#pragma once

#include "core/result.h"
#include "sqldialect.h"

#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

namespace causa {

// How one queue filter text is searched. On SQLite every word is a prefix in the FTS5 index;
// when each word stands for a few terms of the index's vocabulary (cases_vocab), the prefixes are
// replaced by those exact terms: the number of matches is then known or bounded before counting,
// and a single row can be checked cheaply (a prefix check costs a merge of doclists per row).
// On PostgreSQL every word is an ILIKE over the searched columns.
struct CaseSearch
{
    QString where;               // " WHERE …" over cases, or empty when there is no text
    QVariantList binds;          // bound values of `where` (user text is never spliced into SQL)
    QString match;               // SQLite: the FTS5 expression bound in `where`
    bool matchesNothing = false; // a word that no term starts with: no case can match
    bool exactTerms = false;     // `match` names exact terms (cheap per-row checks)
    qint64 exactCount = -1;      // the number of matching cases when known without counting
    qint64 atLeast = 0;          // a lower bound of the number of matching cases

    // The correlated form of `match` for one row of cases (exact terms only).
    static QString rowCheck()
    {
        return QStringLiteral(" WHERE EXISTS (SELECT 1 FROM cases_fts WHERE cases_fts MATCH ? "
                              "AND cases_fts.rowid = cases.id)");
    }
};

// Reads the vocabulary when needed; user text is quoted, never spliced into the query.
Result<CaseSearch> planCaseSearch(const QSqlDatabase &db, const SqlDialect &dialect,
                                  const QString &text);

} // namespace causa
