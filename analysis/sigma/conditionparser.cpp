#include "ruleparser.h"

#include <QRegularExpression>

namespace causa::sigma::detail {

namespace {

// Recursive descent over: or > and > not > primary; primary is a search name, "(expr)",
// or "1|any|all of NAME*|them".
class ConditionParser
{
public:
    ConditionParser(QStringList tokens, const std::vector<Search> &searches)
        : m_tokens(std::move(tokens)), m_searches(searches)
    {}

    bool parse(CondNode &out, QString *reason)
    {
        if (!orExpr(out, 0) || m_pos != m_tokens.size()) {
            *reason = m_error.isEmpty() ? QStringLiteral("condition: unexpected '%1'").arg(peek())
                                        : m_error;
            return false;
        }
        return true;
    }

private:
    static constexpr int kMaxDepth = 64;

    QString peek() const { return m_pos < m_tokens.size() ? m_tokens.at(m_pos) : QString(); }
    bool isWord(const char *w) const
    {
        return peek().compare(QLatin1String(w), Qt::CaseInsensitive) == 0;
    }

    bool fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("condition: ") + message;
        return false;
    }

    bool binary(CondNode &out, int depth, CondNode::Op op, const char *word)
    {
        CondNode first;
        if (!(op == CondNode::Op::Or ? andExpr(first, depth) : notExpr(first, depth)))
            return false;
        if (!isWord(word)) {
            out = std::move(first);
            return true;
        }
        out = CondNode{op, -1, {}};
        out.kids.push_back(std::move(first));
        while (isWord(word)) {
            ++m_pos;
            CondNode next;
            if (!(op == CondNode::Op::Or ? andExpr(next, depth) : notExpr(next, depth)))
                return false;
            out.kids.push_back(std::move(next));
        }
        return true;
    }

    bool orExpr(CondNode &out, int depth)
    {
        if (depth > kMaxDepth)
            return fail(QStringLiteral("nested too deep"));
        return binary(out, depth, CondNode::Op::Or, "or");
    }
    bool andExpr(CondNode &out, int depth) { return binary(out, depth, CondNode::Op::And, "and"); }

    bool notExpr(CondNode &out, int depth)
    {
        if (depth > kMaxDepth)
            return fail(QStringLiteral("nested too deep"));
        if (isWord("not")) {
            ++m_pos;
            out = CondNode{CondNode::Op::Not, -1, {}};
            out.kids.emplace_back();
            return notExpr(out.kids.back(), depth + 1);
        }
        return primary(out, depth);
    }

    bool primary(CondNode &out, int depth)
    {
        const QString t = peek();
        if (t.isEmpty())
            return fail(QStringLiteral("ends too early"));
        if (t == QLatin1String("(")) {
            ++m_pos;
            if (!orExpr(out, depth + 1))
                return false;
            if (peek() != QLatin1String(")"))
                return fail(QStringLiteral("missing ')'"));
            ++m_pos;
            return true;
        }
        if (m_pos + 1 < m_tokens.size() &&
            m_tokens.at(m_pos + 1).compare(QLatin1String("of"), Qt::CaseInsensitive) == 0)
            return quantifier(out);
        ++m_pos;
        for (size_t i = 0; i < m_searches.size(); ++i)
            if (m_searches[i].name == t) {
                out = CondNode{CondNode::Op::Search, int(i), {}};
                return true;
            }
        return fail(QStringLiteral("names no detection item '%1'").arg(t));
    }

    bool quantifier(CondNode &out)
    {
        const QString q = m_tokens.at(m_pos).toLower();
        const QString target = m_pos + 2 < m_tokens.size() ? m_tokens.at(m_pos + 2) : QString();
        m_pos += 3;
        if (q != QLatin1String("1") && q != QLatin1String("any") && q != QLatin1String("all"))
            return fail(QStringLiteral("'%1 of' (only 1/any/all of are Sigma)").arg(q));
        if (target.isEmpty() || target == QLatin1String("(") || target == QLatin1String(")"))
            return fail(QStringLiteral("'of' without a name"));
        out = CondNode{q == QLatin1String("all") ? CondNode::Op::And : CondNode::Op::Or, -1, {}};
        const bool them = target.compare(QLatin1String("them"), Qt::CaseInsensitive) == 0;
        QStringList parts = target.split(QLatin1Char('*'));
        for (QString &p : parts)
            p = QRegularExpression::escape(p);
        const QRegularExpression pattern(
            QRegularExpression::anchoredPattern(parts.join(QStringLiteral(".*"))));
        for (size_t i = 0; i < m_searches.size(); ++i) {
            const QString &name = m_searches[i].name;
            if (them ? !name.startsWith(QLatin1Char('_')) : pattern.match(name).hasMatch())
                out.kids.push_back(CondNode{CondNode::Op::Search, int(i), {}});
        }
        if (out.kids.empty())
            return fail(QStringLiteral("'%1' names no detection item").arg(target));
        return true;
    }

    QStringList m_tokens;
    const std::vector<Search> &m_searches;
    qsizetype m_pos = 0;
    QString m_error;
};

QStringList tokenize(const QString &text)
{
    QStringList out;
    QString cur;
    for (const QChar c : text) {
        if (c.isSpace() || c == QLatin1Char('(') || c == QLatin1Char(')')) {
            if (!cur.isEmpty())
                out << cur;
            cur.clear();
            if (!c.isSpace())
                out << QString(c);
        } else {
            cur += c;
        }
    }
    if (!cur.isEmpty())
        out << cur;
    return out;
}

} // namespace

bool parseCondition(const QString &text, const std::vector<Search> &searches, CondNode &out,
                    QString *reason)
{
    ConditionParser p(tokenize(text), searches);
    return p.parse(out, reason);
}

} // namespace causa::sigma::detail
