#pragma once

// Comparisons shared by the tests: JSON values, playbook states and audit entries.
#include "store/casestore.h"
#include "store/playbooktypes.h"

#include <QTest>

#include <nlohmann/json.hpp>

namespace causa {
// QCOMPARE prints states by name (found through argument-dependent lookup).
inline char *toString(RunState s)
{
    return QTest::toString(QString(toText(s)));
}
inline char *toString(StageState s)
{
    return QTest::toString(QString(toText(s)));
}
inline char *toString(ActionState s)
{
    return QTest::toString(QString(toText(s)));
}
} // namespace causa

namespace causa::test {
// How many audit entries of the case have this kind (-1 when the log cannot be read).
int countAuditKind(CaseStore &store, qint64 caseId, const QString &kind);
} // namespace causa::test

// QCOMPARE for JSON values: both sides become nlohmann::json and a mismatch prints both dumps.
#define JCOMPARE(a, b)                                                                             \
    do {                                                                                           \
        const nlohmann::json ja_ = (a);                                                            \
        const nlohmann::json jb_ = (b);                                                            \
        QVERIFY2(ja_ == jb_, (ja_.dump() + " != " + jb_.dump()).c_str());                          \
    } while (false)
