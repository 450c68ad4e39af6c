#include "casesearch.h"

#include "sqlutil.h"

#include <QSqlQuery>

#include <algorithm>

namespace causa {

namespace {

// More terms than this for one prefix ("a") and the prefix query stays: the expansion would
// cost more than it saves.
constexpr int kMaxTermsPerWord = 16;

// A word the tokenizer (unicode61, tokenchars "-_.") keeps as one token and folds by ASCII case
// only: its prefix is then exactly the range [word, word with its last character + 1) of the
// vocabulary. Anything else (punctuation, non-ASCII letters the tokenizer folds) keeps the
// FTS5 prefix query.
bool isPlainToken(const QString &word)
{
    if (word.isEmpty() || word.size() > 128)
        return false;
    return std::all_of(word.cbegin(), word.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
               u == u'-' || u == u'_' || u == u'.';
    });
}

QString quoted(QString word)
{
    word.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + word + QLatin1Char('"');
}

} // namespace

Result<CaseSearch> planCaseSearch(const QSqlDatabase &db, const SqlDialect &dialect,
                                  const QString &text)
{
    CaseSearch s;
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return s;
    if (dialect.kind() != SqlDialect::Kind::Sqlite) {
        QStringList parts;
        for (const QString &w : words) {
            parts << QStringLiteral(
                "(title ILIKE ? OR hosts ILIKE ? OR users ILIKE ? OR source_ref ILIKE ? "
                "OR status ILIKE ? OR verdict ILIKE ?)");
            for (int i = 0; i < 6; ++i)
                s.binds.append(QString(QLatin1Char('%') + w + QLatin1Char('%')));
        }
        s.where = QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
        return s;
    }

    QStringList prefixes;
    for (const QString &w : words)
        prefixes << quoted(w) + QLatin1Char('*');
    s.match = prefixes.join(QLatin1Char(' '));
    if (std::all_of(words.cbegin(), words.cend(), isPlainToken)) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.prepare(
                QStringLiteral(
                    "SELECT term, doc FROM cases_vocab WHERE term >= ? AND term < ? LIMIT %1")
                    .arg(kMaxTermsPerWord + 1)))
            return sql::errorOf(q, QStringLiteral("reading the search vocabulary"));
        QStringList groups;
        bool expanded = true;
        for (const QString &w : words) {
            const QString low = w.toLower();
            QString high = low;
            high.back() = QChar(char16_t(high.back().unicode() + 1));
            q.bindValue(0, low);
            q.bindValue(1, high);
            if (!q.exec())
                return sql::errorOf(q, QStringLiteral("reading the search vocabulary"));
            QStringList terms;
            qint64 mostDocs = 0;
            while (q.next()) {
                terms << quoted(q.value(0).toString());
                mostDocs = std::max(mostDocs, q.value(1).toLongLong());
            }
            if (terms.isEmpty()) {
                // No case holds a token starting with this word: the filter matches nothing.
                s.matchesNothing = true;
                s.exactCount = 0;
                s.binds.append(s.match);
                s.where = QStringLiteral(
                    " WHERE id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)");
                return s;
            }
            if (terms.size() > kMaxTermsPerWord) {
                expanded = false;
                break;
            }
            groups << (terms.size() == 1 ? terms.front()
                                         : QLatin1Char('(') + terms.join(QStringLiteral(" OR ")) +
                                               QLatin1Char(')'));
            if (words.size() == 1) {
                s.atLeast = mostDocs; // the cases holding its most frequent term all match
                if (terms.size() == 1)
                    s.exactCount = mostDocs;
            }
        }
        if (expanded) {
            s.match = groups.join(QStringLiteral(" AND "));
            s.exactTerms = true;
        } else {
            s.atLeast = 0;
            s.exactCount = -1;
        }
    }
    s.binds.append(s.match);
    s.where = QStringLiteral(" WHERE id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)");
    return s;
}

} // namespace causa
