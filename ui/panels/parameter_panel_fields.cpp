// Responsible for making the parameter panel's fields (each with its name, range, tips and
// choices) and laying them out in its form.
#include "ui/panels/parameter_panel.h"

#include "core/models/registry.h"
#include "core/python/dask.h"
#include "core/python/engine.h"
#include "core/workload/workload.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSpinBox>
#include <QThreadPool>
#include <QVBoxLayout>

#include <algorithm>

namespace timeslice::ui {

namespace {
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
}

// The workload's list and its description.
void ParameterPanel::createWorkloadFields()
{
    m_workload = new QComboBox(this);
    m_workload->setObjectName(QStringLiteral("workload"));
    for (std::string_view name : builtin_workload_names()) {
        m_workload->addItem(qs(name), qs(name));
        m_workload->setItemData(m_workload->count() - 1, qs(workload_description(name)), Qt::ToolTipRole);
    }
    m_description = new QLabel;
    m_description->setObjectName(QStringLiteral("workloadDescription"));
    m_description->setWordWrap(true);
    m_description->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_description->setStyleSheet(QStringLiteral("color: #555;"));
    // The description keeps one height, four lines across the whole panel, whatever the workload
    // and its counts say: a longer one scrolls rather than pushing the fields and Run down, and
    // none is cut off in a small window.
    m_description_area = new QScrollArea(this);
    m_description_area->setObjectName(QStringLiteral("workloadDescriptionArea"));
    m_description_area->setWidget(m_description);
    m_description_area->setWidgetResizable(true);
    m_description_area->setFrameShape(QFrame::NoFrame);
    m_description_area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_description_area->setFocusPolicy(Qt::NoFocus);
    m_description_area->setFixedHeight(m_description->fontMetrics().lineSpacing() * 4 + 2);
}

void ParameterPanel::createModelField()
{
    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("model"));
    for (const ModelDescriptor& m : kModels) {
        m_model->addItem(tr(std::string(m.name).c_str()), qs(m.name));
        m_model->setItemData(m_model->count() - 1, tr(std::string(m.summary).c_str()), Qt::ToolTipRole);
    }
    m_model->setCurrentIndex(m_model->findData(qs(describe(ModelKind::Threads).name)));
}

// What the workload is made of: its waits, their scale, how many tasks, how long each computes.
void ParameterPanel::createWorkloadParameterFields()
{
    m_waits = new QLineEdit(this);
    m_waits->setObjectName(QStringLiteral("waits"));
    m_waits->setToolTip(tr("Seconds each task waits, separated by commas (the article's are 1, 2, 5)"));

    m_scale = new QDoubleSpinBox(this);
    m_scale->setObjectName(QStringLiteral("scale"));
    m_scale->setDecimals(3);
    m_scale->setRange(0.001, Limits::kMaxScale);
    m_scale->setValue(1.0);
    m_scale->setSingleStep(0.1);
    m_scale->setSuffix(QStringLiteral(" ×"));
    m_scale->setToolTip(tr("Multiplies every wait: 0.1 runs the article's 5 s table in 0.5 s"));

    m_tasks = new QSpinBox(this);
    m_tasks->setObjectName(QStringLiteral("tasks"));
    // Room for the largest count any workload takes; a count too big for the one chosen is an
    // error that says the limit, not a silent clamp.
    m_tasks->setRange(0, Limits::kMaxTaskCountWaits);
    m_tasks->setSpecialValueText(tr("one per core (%1)").arg(online_cores()));

    m_iterations = new QLineEdit(this);
    m_iterations->setObjectName(QStringLiteral("iterations"));
    m_iterations->setPlaceholderText(tr("default"));
    m_iterations->setToolTip(tr("Loop length per CPU task: sum of i*i for i below this (the article's is 100000000)"));
}

// How the model runs it: its workers, and the GIL with its switch interval.
void ParameterPanel::createModelParameterFields()
{
    m_workers = new QSpinBox(this);
    m_workers->setObjectName(QStringLiteral("workers"));
    // Wider than either model's limit: a number over it is named as an error, not quietly
    // clamped (2,000 became 256, and was saved).
    m_workers->setRange(0, 999'999);
    m_workers->setSpecialValueText(tr("default"));

    m_scheduler = new QLineEdit(this);
    m_scheduler->setObjectName(QStringLiteral("scheduler"));
    m_scheduler->setAccessibleName(tr("Dask scheduler"));
    m_scheduler->setPlaceholderText(tr("none: a local cluster, started for the run"));
    m_scheduler->setToolTip(tr("A running Dask scheduler (tcp://HOST:PORT, as `dask scheduler` prints it) whose workers "
                               "run the tasks; Timeslice starts nothing there. Empty: a LocalCluster of worker processes "
                               "started for the run and stopped with it"));
    m_worker_threads = new QSpinBox(this);
    m_worker_threads->setObjectName(QStringLiteral("workerThreads"));
    m_worker_threads->setRange(1, 256);
    m_worker_threads->setToolTip(tr("Threads in each worker process of the local cluster"));

    m_gil = new QCheckBox(tr("Emulate Python's GIL"), this);
    m_gil->setObjectName(QStringLiteral("gil"));
    m_gil->setChecked(true);
    m_gil->setToolTip(tr("Only one thread computes at a time, handing over every switch interval, as in CPython"));

    m_switch = new QDoubleSpinBox(this);
    m_switch->setObjectName(QStringLiteral("switchInterval"));
    m_switch->setRange(0.1, 1000);
    m_switch->setDecimals(1);
    m_switch->setValue(5.0);
    m_switch->setSuffix(QStringLiteral(" ms"));
    m_switch->setToolTip(tr("Like sys.setswitchinterval: how long a thread waits before asking for the GIL"));
}

void ParameterPanel::createKernelField()
{
    m_kernel = new QComboBox(this);
    m_kernel->setObjectName(QStringLiteral("kernelMode"));
    const struct {
        KernelMode mode;
        const char* text;
        const char* tip;
    } kernel_modes[] = {
        { KernelMode::Auto, QT_TR_NOOP("auto"), QT_TR_NOOP("The best this machine allows: perf context switches, else /proc sampled every millisecond") },
        { KernelMode::Exact, QT_TR_NOOP("exact (perf)"), QT_TR_NOOP("perf_event_open context switches, to the nanosecond, with the core (needs perf_event_paranoid ≤ 1 or CAP_PERFMON)") },
        { KernelMode::Sampled, QT_TR_NOOP("sampled (/proc)"), QT_TR_NOOP("/proc/<pid>/task/<tid>/schedstat read every millisecond") },
        { KernelMode::Off, QT_TR_NOOP("off"), QT_TR_NOOP("No kernel data: the model's states and the whole machine's CPU use only") },
    };
    for (const auto& k : kernel_modes) {
        m_kernel->addItem(tr(k.text), qs(kernel_mode_name(k.mode)));
        m_kernel->setItemData(m_kernel->count() - 1, tr(k.tip), Qt::ToolTipRole);
    }
    m_kernel->setToolTip(tr("Where the kernel's view of the run's threads comes from: which core each ran on, "
                            "when it was preempted or blocked, and the run's own CPU use"));
}

// Who runs the workload and, for real Python, which interpreter.
void ParameterPanel::createEngineFields()
{
    m_engine = new QComboBox(this);
    m_engine->setObjectName(QStringLiteral("engine"));
    m_engine->setAccessibleName(tr("Engine"));
    // "Native (C++ emulation)" need not set the panel's least width: in a narrow panel it is cut,
    // and its list still opens as wide as its items.
    m_engine->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_engine->setMinimumContentsLength(12);
    for (const EngineDescriptor& e : kEngines) {
        m_engine->addItem(qs(e.label), qs(e.name));
        m_engine->setItemData(m_engine->count() - 1, qs(e.description), Qt::ToolTipRole);
    }
    m_engine->setToolTip(tr("Who runs the workload: Timeslice's C++ emulation of Python's models, or real Python "
                            "(its GIL inferred from the kernel's data)"));
    m_python = new QLineEdit(this);
    m_python->setObjectName(QStringLiteral("python"));
    m_python->setAccessibleName(tr("Python interpreter"));
    m_python->setPlaceholderText(QStringLiteral("python3"));
    m_python->setToolTip(tr("The interpreter the cpython engine runs: a name on PATH or a path (3.8 or newer)"));
    m_python_version = new QLabel(this);
    m_python_version->setObjectName(QStringLiteral("pythonVersion"));
    m_python_version->setStyleSheet(QStringLiteral("color: #555;"));
}

void ParameterPanel::createErrorLabel()
{
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("parameterError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #B00020;"));
    m_on_screen = new QLabel(this);
    m_on_screen->setObjectName(QStringLiteral("onScreenNote"));
    m_on_screen->setWordWrap(true);
    m_on_screen->setTextFormat(Qt::PlainText);
    m_on_screen->setFrameShape(QFrame::StyledPanel);
    m_on_screen->setStyleSheet(QStringLiteral("background: #FFF4CE; color: #3D2E00; padding: 4px;"));
    m_on_screen->setVisible(false);
}

void ParameterPanel::placeFields(QVBoxLayout* layout)
{
    m_form->addRow(tr("&Workload"), m_workload);
    m_form->addRow(m_description_area);
    m_form->addRow(tr("&Model"), m_model);
    m_form->addRow(tr("En&gine"), m_engine); // Alt+G (the find bar's row label gave it up)
    m_form->addRow(tr("P&ython"), m_python);
    m_form->addRow(QString(), m_python_version);
    m_form->addRow(tr("W&aits (s)"), m_waits);
    m_form->addRow(tr("&Scale"), m_scale);
    m_form->addRow(tr("&Tasks"), m_tasks);
    m_form->addRow(tr("&Iterations"), m_iterations);
    m_form->addRow(tr("W&orkers"), m_workers);
    m_form->addRow(tr("Sche&duler"), m_scheduler);
    m_form->addRow(tr("Worker threads"), m_worker_threads); // --worker-threads; the widest label set the column
    m_form->addRow(QString(), m_gil);
    m_form->addRow(tr("Switch i&nterval"), m_switch); // Alt+I is Iterations
    m_form->addRow(tr("&Kernel data"), m_kernel);
    layout->insertWidget(0, m_on_screen);
    layout->addWidget(m_error);
    layout->addStretch(1);
}

void ParameterPanel::alignLabelColumn()
{
    // One width for the label column whichever rows are shown: the fields no longer jump
    // sideways when "Switch interval" comes and goes.
    int label_width = 0;
    for (int row = 0; row < m_form->rowCount(); ++row) {
        if (QLayoutItem* item = m_form->itemAt(row, QFormLayout::LabelRole); item && item->widget())
            label_width = std::max(label_width, item->widget()->sizeHint().width());
    }
    for (int row = 0; row < m_form->rowCount(); ++row) {
        if (QLayoutItem* item = m_form->itemAt(row, QFormLayout::LabelRole); item && item->widget())
            item->widget()->setMinimumWidth(label_width);
    }
}

void ParameterPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (!m_python_version->text().isEmpty())
        showPython(m_python_shown_dask);
}

void ParameterPanel::showPython(bool dask) const
{
    m_python_shown_dask = dask;
    const PythonCheck& check = dask ? m_dask_check : m_python_check;
    if (check.pending) {
        // Two lines, as the version and path that follow: the rows below stay where they are.
        const QString asked = check.asked.isEmpty() ? QStringLiteral("python3") : check.asked;
        m_python_version->setText(tr("Looking at the interpreter…") + QLatin1Char('\n')
            + m_python_version->fontMetrics().elidedText(asked, Qt::ElideMiddle, std::max(120, m_python->width())));
        m_python_version->setToolTip(QString());
        return;
    }
    if (!check.done || !check.error.isEmpty()) {
        m_python_version->clear();
        m_python_version->setToolTip(QString());
        return;
    }
    const PythonInfo& python = check.found;
    // Lines of their own, not word wrap: QFormLayout gave a wrapped label's rows too little
    // height and squeezed the rows below it (Workers, Scheduler) to nothing. The path is cut
    // in its middle to the field's width; the tooltip has it whole.
    const QString path = QString::fromStdString(python.path);
    const int width = std::max(120, m_python->width());
    QString text = tr("Python %1").arg(QString::fromStdString(python.version())) + QLatin1Char('\n')
        + m_python_version->fontMetrics().elidedText(path, Qt::ElideMiddle, width);
    if (dask)
        text += QLatin1Char('\n') + tr("with Dask's distributed");
    m_python_version->setText(text);
    m_python_version->setToolTip(tr("Python %1 at %2").arg(QString::fromStdString(python.version()), path));
}

bool ParameterPanel::checkPython(PythonCheck& check, bool dask, const QString& asked) const
{
    if (check.asked == asked && (check.pending || check.done))
        return check.done;
    check = PythonCheck { asked, true, false, {}, {} };
    const std::string executable = asked.toStdString();
    // The answer goes to the application, which hands it on if the panel is still there: a
    // window closed while a hung interpreter is asked does not wait for it.
    QPointer<ParameterPanel> self(const_cast<ParameterPanel*>(this));
    QThreadPool::globalInstance()->start([self, dask, asked, executable] {
        PythonInfo found;
        QString error;
        try {
            found = dask ? find_dask_python(executable) : find_python(executable);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, dask, asked, found, error] {
                if (self)
                    self->onPythonChecked(dask, asked, found, error);
            },
            Qt::QueuedConnection);
    });
    return false;
}

void ParameterPanel::onPythonChecked(bool dask, const QString& asked, const PythonInfo& found, const QString& error)
{
    PythonCheck& check = dask ? m_dask_check : m_python_check;
    if (check.asked != asked || !check.pending)
        return; // about an interpreter no longer in the field
    check.pending = false;
    check.done = true;
    check.found = found;
    check.error = error;
    revalidate();
}

} // namespace timeslice::ui
