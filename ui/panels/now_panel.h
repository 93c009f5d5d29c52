#pragma once

// The playhead's panel: where the playhead is, Play and Pause at a chosen speed, a step to the
// previous or next state change, and the run at that instant — each task's state and core, who
// holds the GIL and who waits for it in order, the event loop's ready queue in order.

#include "core/analysis/now.h"
#include "core/trace/trace.h"

#include <QElapsedTimer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTimer;

namespace timeslice::ui {

class ZoomState;

class NowPanel : public QWidget {
    Q_OBJECT
public:
    explicit NowPanel(ZoomState* zoom, QWidget* parent = nullptr);

    // A live run's snapshots too: a playhead at the live end stays at it.
    void setTrace(std::shared_ptr<const Trace> trace);
    // Shown: the playhead is on the views (at the start of what is in view the first time);
    // hidden: it is gone and playback stops.
    void setActive(bool active);

    void play();
    void pause();
    void togglePlay();
    bool playing() const;
    void stepForward();
    void stepBack();
    // Run time per real time: 1 is as fast as it ran, 0.001 a thousandth of that.
    void setSpeed(double speed);
    double speed() const { return m_speed; }

    const Now& now() const { return m_now; }
    QLabel* gilLabel() const { return m_gil; }
    QLabel* loopLabel() const { return m_loop; }
    QLabel* timeLabel() const { return m_time; }
    QTableWidget* table() const { return m_table; }
    QPushButton* playButton() const { return m_play; }

private:
    void advance();
    void refresh();
    QString taskName(std::size_t task) const;

    ZoomState* m_zoom;
    std::shared_ptr<const Trace> m_trace;
    Now m_now;
    bool m_active = false;
    Nanos m_end = 0; // the trace's end when last shown
    double m_speed = 0.01;
    QTimer* m_timer;
    QElapsedTimer m_clock;
    QLabel* m_time;
    QPushButton* m_back;
    QPushButton* m_play;
    QPushButton* m_forward;
    QComboBox* m_speed_box;
    QLabel* m_gil;
    QLabel* m_loop;
    QTableWidget* m_table;
};

} // namespace timeslice::ui
