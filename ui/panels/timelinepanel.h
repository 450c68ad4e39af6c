#pragma once

#include "services/casepagesservice.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;
class QTimer;
class QToolButton;

namespace causa {

class TimelineChart;
class TimelineEventModel;

// The Timeline page: a chart of the host's events and alerts over time above a paged table of
// the events; kind and text filters; a chart range selection filters the table.
class TimelinePanel final : public QWidget
{
    Q_OBJECT

public:
    explicit TimelinePanel(CasePagesService *service, QWidget *parent = nullptr);

    // Every event of the case's endpoints.
    void setCase(qint64 caseId);
    // Every event of one host (e.g. an event log imported without an alert).
    void showHost(const QString &host);
    // All events on one host within ±minutes of `center` (minutes < 0: the spin box's value).
    void pivot(const QString &host, qint64 center, int minutes = -1);
    void setPivotMinutes(int minutes);
    int pivotMinutes() const;
    // Narrows the table (and the chart) to a window; reset() returns to the case or pivot window.
    void selectRange(qint64 from, qint64 to);
    void reset();
    void setKindFilter(const QString &group); // "" = every kind
    // Selects this event as soon as a table page holding it is shown (jump from the evidence page).
    void selectEventWhenShown(qint64 eventId);
    void setTextFilter(const QString &text);

    TimelineChart *chart() const { return m_chart; }
    QTableView *view() const { return m_view; }
    TimelineEventModel *model() const { return m_model; }
    const TimelineOverview &overview() const { return m_overview; }
    const TimelineScope &scope() const { return m_scope; }
    // The event under the table's current index, or nullptr.
    const TimelineEvent *currentEvent() const;
    QString statusText() const;

Q_SIGNALS:
    // Emitted when the chart has been rebuilt / the table's first page is in (tests, benchmarks).
    void overviewShown();
    void eventsShown();
    void alertActivated(qint64 alertId);

private:
    void request(const TimelineRequest &r);
    void onOverview(const TimelineOverview &o);
    void reloadEvents();
    void pan(int direction);
    void updateStatus();

    CasePagesService *m_service;
    QLabel *m_title;
    QComboBox *m_kind;
    QLineEdit *m_text;
    QSpinBox *m_minutes;
    QToolButton *m_reset;
    QToolButton *m_earlier;
    QToolButton *m_later;
    TimelineChart *m_chart;
    QTableView *m_view;
    QLabel *m_status;
    TimelineEventModel *m_model;
    QTimer *m_textDelay;
    TimelineRequest m_base;    // what reset() returns to
    TimelineRequest m_current; // what the chart shows
    TimelineOverview m_overview;
    TimelineScope m_scope; // what the table shows
    quint64 m_overviewGeneration = 0;
    quint64 m_eventsGeneration = 0;
    qint64 m_pendingSelect = 0;
};

} // namespace causa
