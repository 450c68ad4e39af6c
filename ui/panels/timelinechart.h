#pragma once

#include "services/casepagesservice.h"

#include <QChartView>

class QRubberBand;

namespace causa {

// The host timeline chart: event counts per bucket stacked by kind group, alert markers on top.
// A horizontal rubber band selects a time range (rangeSelected); Left/Right pan (panRequested).
class TimelineChart final : public QChartView
{
    Q_OBJECT

public:
    explicit TimelineChart(QWidget *parent = nullptr);
    void setOverview(const TimelineOverview &overview);
    void clearChart(const QString &message = {});
    // Colour of a kind group, readable on light and dark backgrounds.
    static QColor groupColor(const QString &group);
    int seriesCount() const;
    qint64 shownFrom() const { return m_from; }
    qint64 shownTo() const { return m_to; }
    // Maps a widget x position to epoch ms on the time axis (for tests and the rubber band).
    qint64 timeAt(int x) const;
    int xOf(qint64 ms) const;

Q_SIGNALS:
    void rangeSelected(qint64 from, qint64 to);
    void panRequested(int direction); // -1 earlier, +1 later
    void alertActivated(qint64 alertId);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    QRubberBand *m_band = nullptr;
    QPoint m_pressAt;
    bool m_dragging = false;
    qint64 m_from = 0;
    qint64 m_to = 0;
    std::vector<TimelineAlert> m_alerts;
};

} // namespace causa
