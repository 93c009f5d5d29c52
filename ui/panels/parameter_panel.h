#pragma once

#include "core/run/runner.h"
#include "core/workload/workload.h"
#include "core/trace/trace.h"

#include <QHash>
#include <QVariantMap>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QScrollArea;
class QSpinBox;
class QSettings;
class QVBoxLayout;

namespace timeslice::ui {

// Workload, model and their parameters. Shows only the fields that apply to the chosen
// workload and model, checks them as they are typed, and says why when they are not valid.
class ParameterPanel : public QWidget {
    Q_OBJECT
public:
    explicit ParameterPanel(QWidget* parent = nullptr);

    // The configuration the fields describe, or nothing (and error() says why).
    std::optional<RunConfig> config() const;
    QString error() const;
    // Whether config() was valid when a field last changed (validityChanged), without checking
    // again: a check makes the workload, 100,000 tasks of it at most, and the controls ask at
    // every run's end.
    bool valid() const { return m_valid; }

    // Fills the fields with what ran `trace`, so Run runs what is on screen. Where the fields
    // cannot describe it (a script of the user's, a foreign trace, a workload file that is gone),
    // the panel says so above the fields, until a field is changed; returns that note, or "".
    QString showTrace(const Trace& trace);
    // A script of the user's on screen, which Run runs again; "" otherwise.
    QString scriptOnScreen() const { return m_script; }
    QStringList scriptArgsOnScreen() const { return m_script_args; }
    QLabel* onScreenLabel() const { return m_on_screen; }
    // A run of the fields began: the note on what was on screen no longer applies.
    void forgetOnScreen() { setOnScreen(QString()); }

    void load(QSettings& settings);
    void save(QSettings& settings) const;
    // What save() writes: each settings key and its value.
    QVariantMap values() const;

    // File → Open workload: the file's workload joins the list, chosen, its tasks shown (read-only).
    // Returns what is wrong with the file ("'x.json': tasks[2].steps[0].wait: ..."), or "".
    QString openWorkloadFile(const QString& path);
    // File → Save workload: the workload the fields describe, as a workload file (at scale 1,
    // as the built-ins ship), written atomically. Returns what went wrong, or "".
    QString saveWorkloadFile(const QString& path) const;

    QComboBox* workloadBox() const { return m_workload; }
    QComboBox* modelBox() const { return m_model; }
    QLineEdit* waitsEdit() const { return m_waits; }
    QDoubleSpinBox* scaleBox() const { return m_scale; }
    QLineEdit* iterationsEdit() const { return m_iterations; }
    QLabel* descriptionLabel() const { return m_description; }
    QSpinBox* tasksBox() const { return m_tasks; }
    QSpinBox* workersBox() const { return m_workers; }
    QCheckBox* gilBox() const { return m_gil; }
    QComboBox* kernelBox() const { return m_kernel; }
    QComboBox* engineBox() const { return m_engine; }
    QLineEdit* pythonEdit() const { return m_python; }
    QLabel* pythonLabel() const { return m_python_version; }
    // Whether the interpreter in the Python field is being asked what it is (off the window's
    // thread); the fields count as valid meanwhile.
    bool checkingPython() const { return m_python_check.pending || m_dask_check.pending; }

Q_SIGNALS:
    void validityChanged(bool valid);
    // The note on what is on screen came or went (Run's meaning changed with it).
    void onScreenChanged();

private:
    void createWorkloadFields();
    void createModelField();
    void createWorkloadParameterFields();
    void createModelParameterFields();
    void createKernelField();
    void createEngineFields();
    void createErrorLabel();
    void setOnScreen(const QString& note, const QString& script = {}, const QStringList& args = {});
    void placeFields(QVBoxLayout* layout);
    void alignLabelColumn();
    void connectFields();
    void onWorkloadChanged();
    void updateVisibility();
    void updateDescription();
    void revalidate();
    std::optional<RunConfig> build(QString* error) const;

    QFormLayout* m_form;
    QComboBox* m_workload;
    QLabel* m_description;
    QScrollArea* m_description_area;
    QComboBox* m_model;
    QLineEdit* m_waits;
    QDoubleSpinBox* m_scale;
    QSpinBox* m_tasks;
    QLineEdit* m_iterations;
    QSpinBox* m_workers;
    QLineEdit* m_scheduler; // dask: a running scheduler's address; empty: a local cluster
    QSpinBox* m_worker_threads; // dask, local cluster: threads in each worker
    QCheckBox* m_gil;
    QDoubleSpinBox* m_switch;
    QComboBox* m_kernel;
    QComboBox* m_engine;
    QLineEdit* m_python; // the interpreter, under the cpython engine
    QLabel* m_python_version;
    // What the interpreter in the Python field is, asked off the window's thread (it runs the
    // interpreter: 6 ms for Debian's python3, 55 ms through a pyenv shim, more with Dask), once
    // per interpreter typed. While it is asked, the fields count as valid; Run's own checks,
    // also off the window's thread, say what is wrong if Run is pressed meanwhile.
    struct PythonCheck {
        QString asked; // the field's text this is about
        bool pending = false;
        bool done = false;
        QString error; // once done: empty when found
        PythonInfo found;
    };
    // Starts asking about `asked` unless `check` is about it already; returns check.done.
    bool checkPython(PythonCheck& check, bool dask, const QString& asked) const;
    void onPythonChecked(bool dask, const QString& asked, const PythonInfo& found, const QString& error);
    bool readDask(RunConfig& c, QString* error) const;
    mutable PythonCheck m_python_check;
    mutable PythonCheck m_dask_check; // the dask model's interpreter (find_dask_python)
    // The interpreter a run would use (the dask model's, for `dask`) under the Python field.
    void showPython(bool dask) const;
    mutable bool m_python_shown_dask = false; // what showPython last showed
    // The path under the Python field is cut to the field's width: cut again when it changes.
    void resizeEvent(QResizeEvent* event) override;
    QLabel* m_error;
    QLabel* m_on_screen; // what is on screen, when the fields do not describe it
    QString m_script;
    QStringList m_script_args;
    QHash<QString, QString> m_iterations_by_workload;
    QHash<QString, Workload> m_file_workloads; // by the combo box's data, "file:" + path
    QString m_iterations_workload; // whose iterations m_iterations holds
    bool m_valid = true;
};

} // namespace timeslice::ui
