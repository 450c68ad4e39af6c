#pragma once

#include "store/playbooktypes.h"

#include <QFrame>

#include <functional>

namespace causa {

// One proposed action as a card: what and on what, why, the exact payload, who decided, and
// Approve / Reject… while it awaits a decision. Every value is shown as plain text.
class ApprovalCard final : public QFrame
{
    Q_OBJECT

public:
    using Decide = std::function<void(qint64 actionId, bool approve, const QString &note)>;
    ApprovalCard(const ActionRecord &action, Decide decide, QWidget *parent = nullptr);
};

} // namespace causa
