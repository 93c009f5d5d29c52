#pragma once

#include "core/run/advise.h"

#include <QWidget>

#include <functional>
#include <thread>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QChartView;

namespace timeslice::ui {

// "What to use?", measured: the article's table rebuilt from runs on this machine, each cell
// next to the article's verdict, the scalability sweep on log axes, and the article's decision
// rule applied to the chosen workload. The measurements run on a background thread.
class AdviceWindow : public QWidget {
    Q_OBJECT
public:
    explicit AdviceWindow(QWidget* parent = nullptr);
    ~AdviceWindow() override;

    void start(const AdviseOptions& options);
    bool running() const { return m_running; }
    QTableWidget* table() const { return m_table; }
    QString decisionText() const;
    // Asked before measuring: a non-empty answer (other work is going on) is shown instead.
    void setBusyCheck(std::function<QString()> check) { m_busy_check = std::move(check); }

Q_SIGNALS:
    void finished();
    // Each step of the measuring, as the window shows it (on the GUI thread, in order).
    void stepShown(const QString& text);

private:
    void showAdvice(const Advice& advice);
    void fitTableToRows();

    QLabel* m_progress;
    QPushButton* m_run;
    QPushButton* m_stop;
    QProgressBar* m_busy;
    QTableWidget* m_table;
    QChartView* m_chart;
    QLabel* m_decision;
    AdviseOptions m_options;
    std::thread m_thread;
    std::atomic<bool> m_cancel { false };
    std::function<QString()> m_busy_check;
    bool m_running = false;
};

} // namespace timeslice::ui
