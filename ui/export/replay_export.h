#pragma once

#include "core/trace/trace.h"
#include "ui/export/replay_video.h"

#include <QDialog>
#include <QObject>

#include <atomic>
#include <memory>
#include <thread>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressDialog;
class QPushButton;

namespace timeslice::ui {

// File → Export replay video: where to, at what speed and size, and how long the video will be
// (said as the choice changes; a replay too long to make cannot be asked for).
class ReplayDialog : public QDialog {
    Q_OBJECT
public:
    ReplayDialog(std::shared_ptr<const Trace> trace, QWidget* parent = nullptr);

    QString path() const;
    void setPath(const QString& path);
    ReplayOptions options() const;
    void setOptions(const ReplayOptions& options);
    // "600 frames: 20.0 s of video for 60.4 ms of the run", or why it cannot be made.
    QString note() const;
    bool acceptable() const;

private:
    void update();

    std::shared_ptr<const Trace> m_trace;
    bool m_hand_overs = false;
    QLineEdit* m_path;
    QComboBox* m_speed;
    QComboBox* m_size;
    QLabel* m_note;
    QPushButton* m_ok = nullptr;
};

// Writes a replay video off the GUI thread, with a progress dialog whose Cancel stops it; the
// window stays usable meanwhile. One at a time.
class ReplayExporter : public QObject {
    Q_OBJECT
public:
    explicit ReplayExporter(QWidget* window);
    ~ReplayExporter() override; // cancels and waits for a replay being written

    // Asks with a ReplayDialog (speed from `speed`, the playback's), then starts.
    void exportDialog(std::shared_ptr<const Trace> trace, const QString& suggested, double speed, bool hand_overs);
    // Starts writing; finished() says how it went. False (and nothing started) while one is going.
    bool start(std::shared_ptr<const Trace> trace, const QString& path, const ReplayOptions& options);
    bool busy() const { return m_worker.joinable(); }
    void cancel() { m_cancel = true; }
    QProgressDialog* progressDialog() const { return m_progress; }

Q_SIGNALS:
    void progressed(int done, int frames);
    // "" when written; "cancelled"; or what went wrong.
    void finished(const QString& path, const QString& error);

private:
    void done(const QString& path, const QString& error);

    QWidget* m_window;
    QProgressDialog* m_progress = nullptr;
    std::thread m_worker;
    std::atomic<bool> m_cancel { false };
};

} // namespace timeslice::ui
