#pragma once

#include "core/run/compare.h"
#include "core/run/what_if.h"
#include "core/trace/trace.h"

#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QPushButton;

namespace timeslice::ui {

class TrackView;
class RunController;
class TimelineView;
class ZoomState;

// Runs stacked on one time axis, zoom and pan shared: "every model" (the same workload under
// processes, threads with and without the GIL, and async) or "both engines" (one model in the
// C++ emulation and in real CPython, with the fidelity line), run one after the other; or a
// comparison saved earlier, reopened as a set.
class CompareWindow : public QWidget {
    Q_OBJECT
public:
    enum class Kind { Models, Engines, WhatIf };
    explicit CompareWindow(QWidget* parent = nullptr);
    ~CompareWindow() override;

    // Starts the runs; returns an error message instead if they cannot start.
    QString start(const RunConfig& base, Kind kind = Kind::Models);
    // What if…?: `workload` under every model (what_if.h); `what` names it for the note ("the run
    // on screen"). When all have run, the note gives the advice and the four answers.
    QString startWhatIf(const Workload& workload, const QString& what);
    // The last What if…?'s figures and advice, once all its runs have ended.
    const std::optional<WhatIf>& whatIf() const { return m_what_if; }
    void stop();
    bool running() const;
    std::vector<std::shared_ptr<const Trace>> traces() const;
    QStringList labels() const;
    // What the status line under the buttons says (the fidelity line of an engine comparison).
    QString note() const;
    // The runs as one picture, over the time range in view.
    QString exportImage(const QString& path, QSize size);
    // The runs as a set: each trace and comparison.json in `dir`; an empty string on success.
    QString saveSet(const QString& dir);
    // "table-loading-every-model": the name Save and Export suggest.
    QString suggestedName() const;
    // Shows a saved set (a comparison.json or the folder holding it); an error message on failure.
    QString openSet(const QString& path);
    ZoomState* zoom() const { return m_zoom; }
    // View > Hand-over arrows, for every run's timeline.
    void setHandOversVisible(bool visible);

Q_SIGNALS:
    void allFinished();

private:
    struct Section {
        QLabel* title = nullptr;
        TimelineView* timeline = nullptr;
        std::vector<TrackView*> bands; // the band track kinds under its rows
        std::shared_ptr<const Trace> trace;
    };
    void begin(Kind kind, std::vector<CompareEntry> entries, const QString& title, const QString& note);
    void concludeWhatIf();
    void startNext();
    // The current entry could not start (`why`): its title says so, and the next one starts.
    void couldNotStart(const QString& why);
    void showRun(std::size_t index, std::shared_ptr<const Trace> trace);
    void setSectionCount(std::size_t n);
    void updateBounds();
    void exportDialog();
    void saveDialog();
    void setNote(const QString& note);
    QString fidelityNote() const;

    ZoomState* m_zoom;
    RunController* m_controller;
    Kind m_kind = Kind::Models;
    RunConfig m_base;
    std::vector<CompareEntry> m_entries;
    Workload m_what_if_workload;
    std::optional<WhatIf> m_what_if;
    QStringList m_labels;
    QStringList m_files; // of a set opened from disk
    QString m_title;
    std::vector<Section> m_sections;
    QWidget* m_content;
    std::size_t m_current = 0;
    bool m_stopped = false;
    bool m_hand_overs = false;
    QLabel* m_status;
    QLabel* m_note;
    QPushButton* m_stop_button;
    QPushButton* m_export_button;
    QPushButton* m_save_button;
};

} // namespace timeslice::ui
