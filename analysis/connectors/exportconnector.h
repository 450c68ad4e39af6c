#pragma once

#include "actionconnector.h"

#include <QByteArray>
#include <QString>

namespace causa {

// For teams without API access: approved actions go into a signed action plan
// (case-<id>-action-plan.json, HMAC-SHA256 with a local key in .sig) and a reviewed
// PowerShell/Defender script (case-<id>-remediation.ps1) that does nothing unless run with
// -Execute. Every untrusted value is validated for its type and single-quoted.
class ExportConnector final : public ActionConnector
{
public:
    ExportConnector(QString directory, QByteArray signingKey);

    QString name() const override { return QStringLiteral("export"); }
    bool supports(const QString &kind) const override;
    Result<nlohmann::json> preview(const ActionRecord &action) const override;
    ConnectorOutcome execute(const ActionRecord &action) override;

    QString planPath(qint64 caseId) const;
    QString signaturePath(qint64 caseId) const;
    QString scriptPath(qint64 caseId) const;

    // The PowerShell lines for one action, or an error when a value does not look like its type.
    static Result<QStringList> scriptFor(const ActionRecord &action);
    // '...' with every quote character PowerShell honours doubled.
    static QString psQuote(const QString &value);
    static QByteArray sign(const QByteArray &key, const QByteArray &data);
    // True when the plan file's signature matches under key.
    static bool verifyPlan(const QString &planPath, const QByteArray &key);
    // CAUSA_EXPORT_KEY, or a random key kept in the user's config folder (created once, 0600).
    static Result<QByteArray> localKey();

private:
    QString m_dir;
    QByteArray m_key;
};

} // namespace causa
