#include "ui/panels/parameter_panel.h"

#include "core/python/dask.h"

#include "core/models/model.h"
#include "core/models/registry.h"
#include "core/python/engine.h"
#include "core/workload/workload.h"
#include "core/base/atomic_file.h"
#include "core/workload/workload_file.h"
#include "core/workload/builtins.h"

#include <QCheckBox>
#include <QFile>
#include <QFileInfo>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProcess>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace timeslice::ui {

namespace {

// The value after ` NAME ` in a Python run's program line ("" where it is not there).
std::string program_option(const std::string& program, const std::string& name)
{
    const std::string key = " " + name + " ";
    const std::size_t at = program.find(key);
    if (at == std::string::npos)
        return {};
    const std::string rest = program.substr(at + key.size());
    return rest.substr(0, rest.find(' '));
}
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString waits_text(const std::vector<double>& waits)
{
    QStringList parts;
    for (double w : waits)
        parts << QString::number(w);
    return parts.join(QStringLiteral(", "));
}

// The waits a trace's tasks made, in unscaled seconds: exact from its ideal schedule when it has
// one, else read from the recorded waits, which timer slack lengthens by a little; those that
// are the workload's defaults to within 2 % are taken to be the defaults.
std::vector<double> trace_waits(const Trace& trace)
{
    const double scale = trace.info.scale > 0 ? trace.info.scale : 1.0;
    std::vector<double> waits;
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        Nanos waited = 0;
        if (i < trace.ideal.tasks.size()) {
            for (const IdealSpan& s : trace.ideal.tasks[i])
                waited += s.state == State::Waiting ? s.end - s.start : 0;
        } else {
            waited = trace.tasks[i].time_in(State::Waiting);
        }
        waits.push_back(QString::number(to_seconds(waited) / scale, 'g', 3).toDouble());
    }
    const std::vector<double> defaults = default_waits(trace.info.workload);
    bool are_defaults = defaults.size() == waits.size();
    for (std::size_t i = 0; are_defaults && i < waits.size(); ++i)
        are_defaults = std::abs(waits[i] - defaults[i]) <= 0.02 * defaults[i];
    return are_defaults ? defaults : waits;
}
}

ParameterPanel::ParameterPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    // Its fields line up with what is placed beside it (the Run buttons), in that margin.
    layout->setContentsMargins(0, 0, 0, 0);
    m_form = new QFormLayout;
    layout->addLayout(m_form);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    // Tab visits the fields in the order they are made in (Qt's default), not in the form's.
    createWorkloadFields();
    createModelField();
    createEngineFields(); // Engine sits under Model: Tab goes there next, not after Kernel data
    createWorkloadParameterFields();
    createModelParameterFields();
    createKernelField();
    createErrorLabel();
    placeFields(layout);
    alignLabelColumn();
    connectFields();

    m_iterations_workload = m_workload->currentData().toString();
    m_waits->setText(waits_text(kWorkloads.front().default_waits));
    updateVisibility();
}

void ParameterPanel::connectFields()
{
    connect(m_workload, &QComboBox::currentIndexChanged, this, &ParameterPanel::onWorkloadChanged);
    // A model only real Python runs (dask) takes the cpython engine with it; the native engine
    // takes such a model back to processes.
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] {
        const ModelDescriptor* model = find_model(m_model->currentData().toString().toStdString());
        if (model && !model->native)
            m_engine->setCurrentIndex(std::max(0, m_engine->findData(qs(describe(Engine::CPython).name))));
        updateVisibility();
    });
    connect(m_engine, &QComboBox::currentIndexChanged, this, [this] {
        const ModelDescriptor* model = find_model(m_model->currentData().toString().toStdString());
        const EngineDescriptor* engine = find_engine(m_engine->currentData().toString().toStdString());
        if (model && engine && !engine_runs(engine->engine, *model))
            m_model->setCurrentIndex(std::max(0, m_model->findData(qs(describe(ModelKind::Processes).name))));
        updateVisibility();
    });
    connect(m_scheduler, &QLineEdit::textChanged, this, &ParameterPanel::updateVisibility);
    connect(m_worker_threads, &QSpinBox::valueChanged, this, &ParameterPanel::revalidate);
    connect(m_python, &QLineEdit::editingFinished, this, &ParameterPanel::updateVisibility);
    connect(m_gil, &QCheckBox::toggled, this, &ParameterPanel::updateVisibility);
    connect(m_waits, &QLineEdit::textChanged, this, &ParameterPanel::revalidate);
    connect(m_iterations, &QLineEdit::textChanged, this, &ParameterPanel::revalidate);
    connect(m_iterations, &QLineEdit::textChanged, this, &ParameterPanel::updateDescription);
    connect(m_tasks, &QSpinBox::valueChanged, this, &ParameterPanel::updateDescription);
    connect(m_scale, &QDoubleSpinBox::valueChanged, this, &ParameterPanel::revalidate);
    connect(m_tasks, &QSpinBox::valueChanged, this, &ParameterPanel::revalidate);
    connect(m_workers, &QSpinBox::valueChanged, this, &ParameterPanel::revalidate);
    connect(m_switch, &QDoubleSpinBox::valueChanged, this, &ParameterPanel::revalidate);
    // A field changed: the fields, not the trace on screen, are what Run runs from now on.
    const auto changed = [this] {
        if (m_on_screen->isVisible() || !m_script.isEmpty())
            setOnScreen(QString());
    };
    for (QComboBox* box : { m_workload, m_model, m_engine, m_kernel })
        connect(box, &QComboBox::currentIndexChanged, this, changed);
    for (QLineEdit* edit : { m_waits, m_iterations, m_python, m_scheduler })
        connect(edit, &QLineEdit::textChanged, this, changed);
    for (QSpinBox* box : { m_tasks, m_workers, m_worker_threads })
        connect(box, &QSpinBox::valueChanged, this, changed);
    for (QDoubleSpinBox* box : { m_scale, m_switch })
        connect(box, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_gil, &QCheckBox::toggled, this, changed);
}

void ParameterPanel::onWorkloadChanged()
{
    const QString workload = m_workload->currentData().toString();
    // Each workload keeps its own iterations: square-numbers' 300,000,000 would make
    // mixed's CPU task run for minutes.
    m_iterations_by_workload[m_iterations_workload] = m_iterations->text();
    m_iterations_workload = workload;
    m_iterations->setText(m_iterations_by_workload.value(workload));
    m_waits->setText(waits_text(default_waits(workload.toStdString())));
    // A task count means something else for each workload (cores, I/O tasks, tasks taking
    // the waits): it starts from the workload's default, not from the last one's.
    m_tasks->setValue(0);
    updateVisibility();
}

namespace {

const QString kFilePrefix = QStringLiteral("file:");

// "A: wait 1 s · B: compute 1,000,000 then wait 0.5 s": a file's tasks, for the description.
QString tasks_text(const Workload& w)
{
    QStringList tasks;
    for (const TaskSpec& task : w.tasks) {
        QStringList steps;
        for (const Step& step : task.steps) {
            if (const auto* c = std::get_if<Compute>(&step))
                steps << QStringLiteral("compute %1").arg(QLocale(QLocale::English).toString(qulonglong(c->iterations)));
            else if (const auto* wait = std::get_if<Wait>(&step))
                steps << QStringLiteral("%1 %2 s").arg(wait->blocking ? QStringLiteral("block") : QStringLiteral("wait"))
                              .arg(double(wait->duration) / 1e9);
            if (steps.size() == 4 && task.steps.size() > 4) {
                steps << QStringLiteral("… (%1 steps)").arg(task.steps.size());
                break;
            }
        }
        tasks << QStringLiteral("%1: %2").arg(qs(task.name), steps.join(QStringLiteral(", ")));
        if (tasks.size() == 8 && w.tasks.size() > 8) {
            tasks << QStringLiteral("… (%1 tasks)").arg(w.tasks.size());
            break;
        }
    }
    return tasks.join(QStringLiteral("\n"));
}

} // namespace

QString ParameterPanel::openWorkloadFile(const QString& path)
{
    Workload w;
    try {
        w = load_workload_file(QFile::encodeName(path).toStdString(), WorkloadOptions {});
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    const QString key = kFilePrefix + path;
    m_file_workloads[key] = w;
    int index = m_workload->findData(key);
    if (index < 0) {
        m_workload->addItem(tr("%1 (%2)").arg(QString::fromStdString(w.name), QFileInfo(path).fileName()), key);
        index = m_workload->count() - 1;
    }
    m_workload->setItemData(index, path, Qt::ToolTipRole);
    if (m_workload->currentIndex() == index)
        updateVisibility();
    else
        m_workload->setCurrentIndex(index);
    return {};
}

QString ParameterPanel::saveWorkloadFile(const QString& path) const
{
    QString error;
    std::optional<RunConfig> c = build(&error);
    if (!c)
        return error;
    try {
        Workload w;
        if (!c->workload_file.empty()) {
            w = load_workload_file(c->workload_file, WorkloadOptions {});
        } else {
            c->workload_options.scale = 1.0; // a file holds seconds as written; --scale applies on loading
            w = make_workload(c->workload, c->workload_options);
        }
        return QString::fromStdString(write_file_atomically(QFile::encodeName(path).toStdString(), workload_to_json(w)));
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

void ParameterPanel::updateVisibility()
{
    const std::string workload = m_workload->currentData().toString().toStdString();
    const ModelDescriptor* model = find_model(m_model->currentData().toString().toStdString());
    if (model && m_file_workloads.contains(m_workload->currentData().toString())) {
        // A file's workload: its tasks say everything; only the scale and the model's fields apply.
        m_description->setText(tasks_text(m_file_workloads.value(m_workload->currentData().toString())));
        for (QWidget* field : { static_cast<QWidget*>(m_waits), static_cast<QWidget*>(m_tasks), static_cast<QWidget*>(m_iterations) })
            m_form->setRowVisible(field, false);
        m_form->setRowVisible(m_scale, true);
        m_form->setRowVisible(m_workers, model->pool);
        m_form->setRowVisible(m_scheduler, false);
        m_form->setRowVisible(m_worker_threads, false);
        m_form->setRowVisible(m_gil, model->gil);
        m_form->setRowVisible(m_switch, model->gil && m_gil->isChecked());
        m_workers->setSpecialValueText(tr("default (%1)").arg(pool_size(model->kind, 0)));
        revalidate();
        return;
    }
    const WorkloadDescriptor* w = find_workload(workload);
    if (!model || !w)
        return;
    // Which fields show is the descriptors' word (core/registry.h).
    const bool waits = w->waits;
    const bool compute = w->iterations;
    updateDescription();
    m_form->setRowVisible(m_waits, waits);
    // Scale multiplies waits; a workload without any has nothing to scale.
    m_form->setRowVisible(m_scale, w->scaled);
    m_form->setRowVisible(m_tasks, w->tasks);
    m_form->setRowVisible(m_iterations, compute);
    // A running cluster's workers are its own: the pool's fields are the local cluster's.
    const bool dask = model->kind == ModelKind::Dask;
    const bool local = m_scheduler->text().trimmed().isEmpty();
    m_form->setRowVisible(m_workers, model->pool && (!dask || local));
    m_form->setRowVisible(m_scheduler, dask);
    m_form->setRowVisible(m_worker_threads, dask && local);
    const EngineDescriptor* engine = find_engine(m_engine->currentData().toString().toStdString());
    const bool cpython = engine && engine->engine == Engine::CPython;
    // CPython has its own GIL: the emulation's switches do not apply to it.
    m_form->setRowVisible(m_gil, model->gil && !cpython);
    m_form->setRowVisible(m_switch, model->gil && m_gil->isChecked() && !cpython);
    m_form->setRowVisible(m_python, cpython);
    m_form->setRowVisible(m_python_version, cpython);
    m_tasks->setSpecialValueText(w->io_tasks > 0 ? tr("%1 I/O tasks").arg(w->io_tasks)
            : waits                                   ? tr("one per wait")
                                                      : tr("one per core (%1)").arg(online_cores()));
    m_tasks->setToolTip(waits ? tr("How many tasks: they take the waits in turn, so 2000 with waits 1, 2, 5 waits 1, 2, 5, 1, 2, …")
                              : QString());
    // Room is kept for the rows the model and the GIL show and hide, so Run, below, does not
    // move up and down with them.
    int reserve = 0;
    for (QWidget* field : { static_cast<QWidget*>(m_workers), static_cast<QWidget*>(m_gil), static_cast<QWidget*>(m_switch),
             static_cast<QWidget*>(m_python), static_cast<QWidget*>(m_python_version), static_cast<QWidget*>(m_scheduler),
             static_cast<QWidget*>(m_worker_threads) }) {
        if (!m_form->isRowVisible(field))
            reserve += field->sizeHint().height() + std::max(0, m_form->verticalSpacing());
    }
    setMinimumHeight(layout()->sizeHint().height() + reserve);
    m_workers->setSpecialValueText(tr("default (%1)").arg(pool_size(model->kind, 0)));
    revalidate();
}

void ParameterPanel::updateDescription()
{
    const std::string workload = m_workload->currentData().toString().toStdString();
    QString text = qs(workload_description(workload));
    if (const WorkloadDescriptor* w = find_workload(workload); w && w->one_task_per_core) {
        // The description quotes the article's loop; say the one that will run.
        bool ok = false;
        const qulonglong iterations = m_iterations->text().trimmed().toULongLong(&ok);
        const QLocale english(QLocale::English); // the description's "100,000,000"
        const QString article = english.toString(qulonglong(kSquareNumbersIterations));
        if (ok && iterations > 0 && iterations != kSquareNumbersIterations) {
            text.replace(article, english.toString(iterations));
            text.replace(tr("(the article's "), tr("(%1 in the article's ").arg(article));
        }
        if (m_tasks->value() > 0)
            text.replace(tr("one task per core"), m_tasks->value() == 1 ? tr("one task") : tr("%1 tasks").arg(m_tasks->value()));
    } else if (const WorkloadDescriptor* w = find_workload(workload); w && w->waits && m_tasks->value() > 0) {
        text += m_tasks->value() == 1 ? tr("; here one task, waiting the first wait")
                                      : tr("; here %1 tasks taking the waits in turn").arg(m_tasks->value());
    }
    m_description->setText(text);
}

// The dask model's fields into `c`, and whether its interpreter imports distributed (asked once
// per interpreter typed); false, with `error` said, where either is wrong.
bool ParameterPanel::readDask(RunConfig& c, QString* error) const
{
    c.model_options.scheduler = m_scheduler->text().trimmed().toStdString();
    if (!c.model_options.scheduler.empty()) {
        c.model_options.workers = 0; // the running cluster's own
        if (const std::string e = check_scheduler_address(c.model_options.scheduler); !e.empty()) {
            *error = tr("Scheduler: %1").arg(qs(e));
            return false;
        }
    } else {
        c.model_options.worker_threads = m_worker_threads->value();
    }
    const bool done = checkPython(m_dask_check, true, m_python->text().trimmed());
    // An interpreter without distributed: the version shown is the one the field names.
    showPython(!done || m_dask_check.error.isEmpty());
    *error = done ? m_dask_check.error : QString();
    return error->isEmpty();
}

std::optional<RunConfig> ParameterPanel::build(QString* error) const
{
    RunConfig c;
    c.workload = m_workload->currentData().toString().toStdString();
    if (const QString data = m_workload->currentData().toString(); m_file_workloads.contains(data)) {
        c.workload = m_file_workloads.value(data).name;
        c.workload_file = QFile::encodeName(data.mid(kFilePrefix.size())).toStdString();
    }
    c.model = model_from_name(m_model->currentData().toString().toStdString()).value_or(ModelKind::Threads);
    c.workload_options.scale = m_scale->value();
    c.workload_options.tasks = m_tasks->value();
    c.model_options.workers = m_workers->value();
    c.model_options.gil = describe(c.model).gil && m_gil->isChecked();
    c.model_options.switch_interval = Nanos(std::llround(m_switch->value() * 1e6));
    c.kernel.mode = kernel_mode_from_name(m_kernel->currentData().toString().toStdString()).value_or(KernelMode::Auto);
    if (const EngineDescriptor* e = find_engine(m_engine->currentData().toString().toStdString()))
        c.engine = e->engine;
    if (c.engine == Engine::CPython) {
        c.python.executable = m_python->text().trimmed().toStdString();
        // Asked once per interpreter typed (it runs it for its version), not on every keystroke.
        const bool done = checkPython(m_python_check, false, m_python->text().trimmed());
        showPython(false);
        if (done && !m_python_check.error.isEmpty()) {
            *error = m_python_check.error;
            return std::nullopt;
        }
        if (c.model == ModelKind::Dask && !readDask(c, error))
            return std::nullopt;
    }

    const WorkloadDescriptor* described = c.workload_file.empty() ? find_workload(c.workload) : nullptr;
    if (described && described->waits) {
        QStringList parts = m_waits->text().split(QLatin1Char(','), Qt::KeepEmptyParts);
        // "1, 2," is a list being typed, not a mistake: the next number is on its way.
        if (parts.size() > 1 && parts.back().trimmed().isEmpty())
            parts.removeLast();
        for (const QString& part : parts) {
            bool ok = false;
            const double v = part.trimmed().toDouble(&ok);
            if (!ok || !std::isfinite(v)) {
                *error = tr("Waits: '%1' is not a number of seconds; write them like 1, 2, 5").arg(part.trimmed());
                return std::nullopt;
            }
            if (v < 0 || v > Limits::kMaxWaitSeconds) {
                *error = tr("Waits: each wait must be between 0 and 3600 seconds");
                return std::nullopt;
            }
            c.workload_options.waits.push_back(v);
        }
    }
    if (described && described->iterations) {
        const QString text = m_iterations->text().trimmed();
        if (!text.isEmpty()) {
            bool ok = false;
            const qulonglong n = text.toULongLong(&ok);
            if (!ok || n == 0 || n > Limits::kMaxIterations) {
                *error = tr("Iterations: give a whole number from 1 to 100000000000");
                return std::nullopt;
            }
            c.workload_options.iterations = n;
        }
    }
    if (const std::string problem = validate(c); !problem.empty()) {
        *error = QString::fromStdString(problem);
        return std::nullopt;
    }
    return c;
}

std::optional<RunConfig> ParameterPanel::config() const
{
    QString error;
    return build(&error);
}

QString ParameterPanel::error() const
{
    QString error;
    build(&error);
    return error;
}

void ParameterPanel::revalidate()
{
    QString error;
    const bool valid = build(&error).has_value();
    m_error->setText(error);
    m_error->setVisible(!valid);
    if (valid != m_valid) {
        m_valid = valid;
        Q_EMIT validityChanged(valid);
    }
}

QString ParameterPanel::showTrace(const Trace& trace)
{
    const RunInfo& info = trace.info;
    const QString name = qs(info.workload);
    if (trace.foreign) {
        setOnScreen(tr("On screen: a %1, read-only. Timeslice did not run it, so it cannot be run again; "
                       "Run runs the fields below.")
                        .arg(name));
        return m_on_screen->text();
    }
    if (info.ran_script()) {
        const QString script = qs(info.script);
        const QString program = qs(info.program);
        QStringList args = QProcess::splitCommand(program.mid(std::min(program.size(), script.size())));
        if (script.isEmpty() || !QFileInfo(script).isFile()) {
            setOnScreen(tr("On screen: the Python program %1, which %2, so it cannot be run again from here; "
                           "Run runs the fields below.")
                            .arg(program.isEmpty() ? tr("(unnamed)") : program,
                                script.isEmpty() ? tr("this trace does not name") : tr("is not there any more")));
        } else {
            setOnScreen(tr("On screen: your Python program %1. Run runs it again; change a field below to run a "
                           "workload instead.")
                            .arg(QFileInfo(script).fileName()),
                script, args);
        }
        return m_on_screen->text();
    }
    if (!info.workload_file.empty()) {
        const QString file = QFile::decodeName(QByteArray::fromStdString(info.workload_file));
        if (const QString problem = openWorkloadFile(file); !problem.isEmpty()) {
            setOnScreen(tr("On screen: a run of workload '%1' from %2, which cannot be opened now (%3). Run runs "
                           "the fields below, not what is on screen.")
                            .arg(name, file, problem));
            return m_on_screen->text();
        }
    }
    const int model = m_model->findData(qs(info.model));
    const int workload = info.workload_file.empty()
        ? m_workload->findData(name)
        : m_workload->findData(kFilePrefix + QFile::decodeName(QByteArray::fromStdString(info.workload_file)));
    if (workload < 0 || model < 0) {
        setOnScreen(tr("On screen: a run of workload '%1' under '%2', which this trace does not say how to run "
                       "again (a workload file it does not name?). Run runs the fields below.")
                        .arg(name, qs(info.model)));
        return m_on_screen->text();
    }
    m_workload->setCurrentIndex(workload);
    m_model->setCurrentIndex(model);
    m_scale->setValue(info.scale);
    const int tasks = int(trace.tasks.size());
    const WorkloadDescriptor* w = info.workload_file.empty() ? find_workload(info.workload) : nullptr;
    if (w && w->waits) {
        m_waits->setText(waits_text(trace_waits(trace)));
        m_tasks->setValue(0);
    } else if (w && w->one_task_per_core) {
        m_tasks->setValue(tasks == online_cores() ? 0 : tasks);
    } else if (w && w->io_tasks > 0) {
        m_tasks->setValue(tasks - 1 == w->io_tasks ? 0 : std::max(1, tasks - 1));
    }
    m_iterations->setText(info.iterations && w ? QString::number(qulonglong(info.iterations)) : QString());
    const ModelDescriptor* m = find_model(info.model);
    m_workers->setValue(!m || !m->pool || info.workers == pool_size(m->kind, 0) ? 0 : info.workers);
    // A cluster run: its scheduler and worker threads, as its program was given them.
    m_scheduler->setText(qs(program_option(info.program, "--scheduler")));
    bool threads_given = false;
    const int threads = qs(program_option(info.program, "--worker-threads")).toInt(&threads_given);
    m_worker_threads->setValue(threads_given ? threads : 1);
    m_engine->setCurrentIndex(std::max(0, m_engine->findData(qs(info.engine))));
    if (m && m->gil)
        m_gil->setChecked(info.gil);
    m_switch->setValue(info.switch_interval_ms);
    updateVisibility();
    setOnScreen(QString());
    return {};
}

void ParameterPanel::setOnScreen(const QString& note, const QString& script, const QStringList& args)
{
    m_on_screen->setText(note);
    m_on_screen->setVisible(!note.isEmpty());
    m_script = script;
    m_script_args = args;
    Q_EMIT onScreenChanged();
}

void ParameterPanel::load(QSettings& s)
{
    const int w = m_workload->findData(s.value(QStringLiteral("run/workload")).toString());
    if (w >= 0)
        m_workload->setCurrentIndex(w);
    const int m = m_model->findData(s.value(QStringLiteral("run/model")).toString());
    if (m >= 0)
        m_model->setCurrentIndex(m);
    // An empty list was saved while a workload without waits (or a workload file) was shown:
    // the workload's own waits stand, not a field Run would refuse.
    if (const QString waits = s.value(QStringLiteral("run/waits")).toString(); !waits.trimmed().isEmpty())
        m_waits->setText(waits);
    m_scale->setValue(s.value(QStringLiteral("run/scale"), 1.0).toDouble());
    m_tasks->setValue(s.value(QStringLiteral("run/tasks"), 0).toInt());
    m_iterations->setText(s.value(QStringLiteral("run/iterations")).toString());
    m_workers->setValue(s.value(QStringLiteral("run/workers"), 0).toInt());
    m_scheduler->setText(s.value(QStringLiteral("run/scheduler")).toString());
    m_worker_threads->setValue(s.value(QStringLiteral("run/workerThreads"), 1).toInt());
    m_gil->setChecked(s.value(QStringLiteral("run/gil"), true).toBool());
    m_switch->setValue(s.value(QStringLiteral("run/switchInterval"), 5.0).toDouble());
    m_kernel->setCurrentIndex(std::max(0, m_kernel->findData(s.value(QStringLiteral("run/kernel"), QStringLiteral("auto")))));
    m_python->setText(s.value(QStringLiteral("run/python")).toString());
    m_engine->setCurrentIndex(std::max(0, m_engine->findData(s.value(QStringLiteral("run/engine"), QStringLiteral("native")))));
    updateVisibility();
}

QVariantMap ParameterPanel::values() const
{
    return {
        { QStringLiteral("run/workload"), m_workload->currentData() },
        { QStringLiteral("run/model"), m_model->currentData() },
        { QStringLiteral("run/waits"), m_waits->text() },
        { QStringLiteral("run/scale"), m_scale->value() },
        { QStringLiteral("run/tasks"), m_tasks->value() },
        { QStringLiteral("run/iterations"), m_iterations->text() },
        { QStringLiteral("run/workers"), m_workers->value() },
        { QStringLiteral("run/scheduler"), m_scheduler->text() },
        { QStringLiteral("run/workerThreads"), m_worker_threads->value() },
        { QStringLiteral("run/gil"), m_gil->isChecked() },
        { QStringLiteral("run/switchInterval"), m_switch->value() },
        { QStringLiteral("run/kernel"), m_kernel->currentData() },
        { QStringLiteral("run/engine"), m_engine->currentData() },
        { QStringLiteral("run/python"), m_python->text() },
    };
}

void ParameterPanel::save(QSettings& s) const
{
    const QVariantMap v = values();
    for (auto it = v.begin(); it != v.end(); ++it)
        s.setValue(it.key(), it.value());
}

} // namespace timeslice::ui
