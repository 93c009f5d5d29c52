// Responsible for File → Export replay video: the dialog, and the video written off the GUI
// thread with a progress dialog that can cancel it.
#include "ui/export/replay_export.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>

#include <cmath>

namespace timeslice::ui {

ReplayDialog::ReplayDialog(std::shared_ptr<const Trace> trace, QWidget* parent)
    : QDialog(parent)
    , m_trace(std::move(trace))
{
    setWindowTitle(tr("Export replay video"));
    m_path = new QLineEdit;
    m_path->setObjectName(QStringLiteral("replayPath"));
    auto* browse = new QPushButton(tr("&Browse…"));
    auto* path_row = new QHBoxLayout;
    path_row->addWidget(m_path, 1);
    path_row->addWidget(browse);
    // The playhead panel's speeds.
    m_speed = new QComboBox;
    m_speed->setObjectName(QStringLiteral("replaySpeed"));
    for (const auto& [label, speed] : { std::pair { "1/1000×", 0.001 }, std::pair { "1/100×", 0.01 },
             std::pair { "1/10×", 0.1 }, std::pair { "1×", 1.0 } })
        m_speed->addItem(QString::fromUtf8(label), speed);
    m_size = new QComboBox;
    m_size->setObjectName(QStringLiteral("replaySize"));
    for (const QSize size : { QSize(854, 480), QSize(1280, 720), QSize(1920, 1080) })
        m_size->addItem(QStringLiteral("%1 × %2").arg(size.width()).arg(size.height()), size);
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("replayNote"));
    m_note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Export"));

    auto* form = new QFormLayout(this);
    auto* file = new QLabel(tr("&File"));
    file->setBuddy(m_path); // beside a layout, a row's text would show its "&"
    form->addRow(file, path_row);
    form->addRow(tr("&Speed"), m_speed);
    form->addRow(tr("Si&ze"), m_size);
    form->addRow(m_note);
    form->addRow(new QLabel(tr("An MP4 (H.264) of the whole run, the playhead moving across it at the chosen speed: "
                               "run time per video time, as Play plays it.")));
    form->addRow(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen
            = QFileDialog::getSaveFileName(this, tr("Export replay video"), m_path->text(), tr("MP4 video (*.mp4)"));
        if (!chosen.isEmpty())
            setPath(chosen.endsWith(QLatin1String(".mp4"), Qt::CaseInsensitive) ? chosen : chosen + QStringLiteral(".mp4"));
    });
    connect(m_path, &QLineEdit::textChanged, this, &ReplayDialog::update);
    connect(m_speed, &QComboBox::currentIndexChanged, this, &ReplayDialog::update);
    connect(m_size, &QComboBox::currentIndexChanged, this, &ReplayDialog::update);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setOptions(ReplayOptions {});
}

QString ReplayDialog::path() const { return m_path->text().trimmed(); }
void ReplayDialog::setPath(const QString& path) { m_path->setText(path); }

ReplayOptions ReplayDialog::options() const
{
    ReplayOptions o;
    o.speed = m_speed->currentData().toDouble();
    o.size = m_size->currentData().toSize();
    o.hand_over_arrows = m_hand_overs;
    return o;
}

void ReplayDialog::setOptions(const ReplayOptions& o)
{
    // The nearest speed offered, the size if offered.
    int best = 0;
    for (int i = 0; i < m_speed->count(); ++i) {
        if (std::abs(std::log(m_speed->itemData(i).toDouble() / o.speed))
            < std::abs(std::log(m_speed->itemData(best).toDouble() / o.speed)))
            best = i;
    }
    m_speed->setCurrentIndex(best);
    if (const int size = m_size->findData(o.size); size >= 0)
        m_size->setCurrentIndex(size);
    m_hand_overs = o.hand_over_arrows;
    update();
}

QString ReplayDialog::note() const { return m_note->text(); }

bool ReplayDialog::acceptable() const { return m_ok->isEnabled(); }

void ReplayDialog::update()
{
    const ReplayPlan plan = m_trace ? plan_replay(*m_trace, options()) : ReplayPlan {};
    QString text = plan.error;
    if (text.isEmpty() && m_trace) {
        const ReplayOptions o = options();
        text = tr("%1 frames: %2 s of video for %3 ms of the run")
                   .arg(plan.frames)
                   .arg(double(plan.frames) / o.fps, 0, 'f', 1)
                   .arg(double(plan.end - plan.start) / 1e6, 0, 'f', 1);
    }
    m_note->setText(text);
    m_ok->setEnabled(m_trace && plan.error.isEmpty() && path().endsWith(QLatin1String(".mp4"), Qt::CaseInsensitive));
}

ReplayExporter::ReplayExporter(QWidget* window)
    : QObject(window)
    , m_window(window)
{
}

ReplayExporter::~ReplayExporter()
{
    m_cancel = true;
    if (m_worker.joinable())
        m_worker.join();
}

void ReplayExporter::exportDialog(
    std::shared_ptr<const Trace> trace, const QString& suggested, double speed, bool hand_overs)
{
    if (!trace || busy())
        return;
    ReplayDialog dialog(trace, m_window);
    dialog.setPath(suggested);
    ReplayOptions o;
    o.speed = speed;
    o.hand_over_arrows = hand_overs;
    dialog.setOptions(o);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QSettings().setValue(QStringLiteral("replay/speed"), dialog.options().speed);
    start(trace, dialog.path(), dialog.options());
}

bool ReplayExporter::start(std::shared_ptr<const Trace> trace, const QString& path, const ReplayOptions& options)
{
    if (!trace || busy())
        return false;
    m_cancel = false;
    const ReplayPlan plan = plan_replay(*trace, options);
    if (!m_progress) {
        m_progress = new QProgressDialog(m_window);
        m_progress->setObjectName(QStringLiteral("replayProgress"));
        m_progress->setWindowTitle(tr("Export replay video"));
        m_progress->setWindowModality(Qt::NonModal); // the window stays usable meanwhile
        m_progress->setAutoReset(false);
        m_progress->setAutoClose(false);
        connect(m_progress, &QProgressDialog::canceled, this, &ReplayExporter::cancel);
        connect(this, &ReplayExporter::progressed, m_progress, [this](int done, int frames) {
            m_progress->setMaximum(frames);
            m_progress->setValue(done);
        });
    }
    m_progress->setLabelText(tr("Writing %1…").arg(path));
    m_progress->setRange(0, std::max(1, plan.frames));
    m_progress->setValue(0);
    m_progress->show();
    // The trace is shared and immutable; the worker paints into QImages of its own.
    m_worker = std::thread([this, trace = std::move(trace), path, options] {
        const QString error = export_replay_video(*trace, path, options, [this](int done, int frames) {
            QMetaObject::invokeMethod(this, [this, done, frames] { Q_EMIT progressed(done, frames); }, Qt::QueuedConnection);
            return !m_cancel.load();
        });
        QMetaObject::invokeMethod(this, [this, path, error] { done(path, error); }, Qt::QueuedConnection);
    });
    return true;
}

void ReplayExporter::done(const QString& path, const QString& error)
{
    if (m_worker.joinable())
        m_worker.join();
    if (m_progress)
        m_progress->hide();
    Q_EMIT finished(path, error);
}

} // namespace timeslice::ui
