#pragma once

#include "enrichment/enrichmenttypes.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace causa {

class EnrichmentModel;

// Enrichment of the open case: one row per indicator with its merged verdict and per-provider
// results, what would be sent off the machine, and the analyst's manual verdict with a reason.
// It only shows values and asks for work through signals; the service does the lookups.
class EnrichmentPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit EnrichmentPanel(QWidget *parent = nullptr);

    void setReport(EnrichmentReport report, qint64 now = 0);
    // The requests an enrichment would send now (keys already redacted by the service).
    void setPreview(std::vector<OutboundRequest> requests);
    EnrichmentModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QString previewText() const;
    void selectIndicator(qint64 indicatorId);
    // Selects the indicator with this value (as the playbook shows it); false when absent.
    bool selectIndicatorValue(const QString &value);

Q_SIGNALS:
    void enrichRequested(bool offline);
    void manualVerdictRequested(qint64 indicatorId, int score, const QString &reason);
    // From the indicator's context menu: an action to propose, a TLP/PAP marking to set.
    void proposeActionRequested(const QString &kind, const QString &target);
    void markIndicatorRequested(qint64 indicatorId, const QString &value);

private:
    void showContextMenu(const QPoint &pos);
    void updateWidgets();
    void updatePreview();
    qint64 selectedIndicator() const;

    EnrichmentModel *m_model;
    QLabel *m_summary;
    QTreeView *m_view;
    QPlainTextEdit *m_preview;
    QLabel *m_selected;
    QComboBox *m_score;
    QLineEdit *m_reason;
    QPushButton *m_setVerdict;
    QPushButton *m_enrich;
    QCheckBox *m_offline;
    std::vector<OutboundRequest> m_requests;
};

} // namespace causa
