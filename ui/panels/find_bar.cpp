// The bar over the task rows: find a task, choose which tasks get a row, set the rows' height.
#include "ui/panels/find_bar.h"

#include "ui/style/palette.h"
#include "ui/tracks/timeline_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSpinBox>

#include <functional>

namespace timeslice::ui {

namespace {

// Enter goes to the next task found, Shift+Enter to the one before.
class FindField : public QLineEdit {
public:
    std::function<void(int)> step;

protected:
    void keyPressEvent(QKeyEvent* event) override
    {
        if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && step) {
            step(event->modifiers() & Qt::ShiftModifier ? -1 : 1);
            event->accept();
            return;
        }
        QLineEdit::keyPressEvent(event);
    }
};

// Below the text's height a row is unreadable: the minimum is kept at 8 px; 0 is "auto".
int row_height(int setting) { return setting == 0 ? 0 : std::max(8, setting); }

} // namespace

FindBar::FindBar(TimelineView* timeline, QWidget* parent)
    : QWidget(parent)
    , m_timeline(timeline)
{
    setObjectName(QStringLiteral("findBar"));
    auto* find = new FindField;
    find->step = [this](int direction) { findNext(direction); };
    m_find = find;
    m_find->setObjectName(QStringLiteral("findTask"));
    m_find->setPlaceholderText(tr("Find a task by name (Ctrl+F; Enter: next)"));
    m_find->setAccessibleName(tr("Find a task by name"));
    m_find->setClearButtonEnabled(true);
    m_find->setMaximumWidth(320);
    m_find_count = new QLabel;
    m_find_count->setObjectName(QStringLiteral("findCount"));
    m_find_count->setAccessibleName(tr("Tasks found"));
    m_row_height = new QSpinBox;
    m_row_height->setObjectName(QStringLiteral("rowHeight"));
    m_row_height->setAccessibleName(tr("Row height"));
    m_row_height->setToolTip(tr("Height of a task's row in pixels; auto fits a few tasks into the view"));
    m_row_height->setRange(0, 120);
    m_row_height->setSpecialValueText(tr("auto"));
    m_row_height->setSuffix(tr(" px"));
    m_row_height->setValue(QSettings().value(QStringLiteral("view/rowHeight"), 0).toInt());
    m_state = new QComboBox;
    m_state->setObjectName(QStringLiteral("rowFilter"));
    m_state->setAccessibleName(tr("Which tasks get a row"));
    m_state->setToolTip(
        tr("Show every task, or only those that spent time in one state. Right-click a row to hide it."));
    m_state->addItem(tr("All tasks"), -1);
    for (int i = 0; i < kSpanStateCount; ++i)
        m_state->addItem(tr("Only tasks with %1 time").arg(state_label(State(i))), i);
    m_state->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_state->setMinimumContentsLength(9); // "All tasks"; the list opens as wide as its items
    m_rows_shown = new QLabel;
    m_rows_shown->setObjectName(QStringLiteral("rowsShown"));
    m_rows_shown->setAccessibleName(tr("Rows shown"));
    auto* filter_label = m_filter_label = new QLabel(tr("Fi&lter"));
    filter_label->setBuddy(m_state);
    auto* row_label = m_row_label = new QLabel(tr("Row si&ze"));
    row_label->setBuddy(m_row_height);
    m_find->setMinimumWidth(80);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_find, 1);
    layout->addWidget(m_find_count);
    layout->addStretch(1);
    layout->addWidget(filter_label);
    layout->addWidget(m_state);
    layout->addWidget(m_rows_shown);
    layout->addWidget(row_label);
    layout->addWidget(m_row_height);

    connect(m_find, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_timeline->setFindText(text.trimmed());
        findNext(1);
    });
    connect(m_row_height, &QSpinBox::valueChanged, this, [this](int px) {
        m_timeline->setRowHeight(row_height(px));
        QSettings().setValue(QStringLiteral("view/rowHeight"), px);
    });
    if (m_row_height->value() > 0)
        m_timeline->setRowHeight(row_height(m_row_height->value()));
    connect(m_state, &QComboBox::currentIndexChanged, this, [this] {
        const int state = m_state->currentData().toInt();
        m_filter.setState(state >= 0 ? std::optional<State>(State(state)) : std::nullopt);
        applyFilter();
    });
    m_timeline->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_timeline, &QWidget::customContextMenuRequested, this, &FindBar::showRowMenu);
}

int FindBar::labelsWidth() const
{
    return m_filter_label->sizeHint().width() + m_row_label->sizeHint().width() + 2 * layout()->spacing();
}

QSize FindBar::minimumSizeHint() const
{
    QSize size = QWidget::minimumSizeHint();
    if (m_filter_label->isVisibleTo(this))
        size.rwidth() -= labelsWidth();
    return size;
}

void FindBar::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    const int with_labels = minimumSizeHint().width() + labelsWidth();
    const bool room = width() >= with_labels;
    if (m_filter_label->isVisibleTo(this) != room) {
        m_filter_label->setVisible(room);
        m_row_label->setVisible(room);
    }
}

void FindBar::setTrace(std::shared_ptr<const Trace> trace)
{
    m_filter.setTrace(std::move(trace));
    applyFilter();
    // The text found in the last trace counts again in this one (a new run, a live run's
    // next snapshot); the rows do not move for it.
    if (!m_find->text().trimmed().isEmpty())
        updateCount();
}

void FindBar::focusFind()
{
    m_find->setFocus();
    m_find->selectAll();
}

void FindBar::hideTask(int task)
{
    m_filter.hide(task);
    applyFilter();
}

void FindBar::showAllTasks()
{
    m_filter.showAll();
    m_state->setCurrentIndex(0);
    applyFilter();
}

void FindBar::startOver()
{
    m_find->clear();
    m_filter.showAll();
    m_state->setCurrentIndex(0);
    m_find_count->clear();
}

void FindBar::applyFilter()
{
    if (!m_filter.filtered()) {
        m_rows_shown->clear();
        if (m_filter.shown())
            m_timeline->setTrace(m_filter.shown());
        return;
    }
    // The timeline, the find and the details work on rows as they are.
    m_rows_shown->setText(tr("%1 of %2").arg(m_filter.rows().size()).arg(m_filter.trace()->tasks.size()));
    m_timeline->setEmptyText(tr("No task matches: choose \"All tasks\" or right-click → Show all tasks."));
    m_timeline->setTrace(m_filter.shown());
}

void FindBar::showRowMenu(const QPoint& pos)
{
    const int row = m_timeline->rowAt(pos);
    const std::vector<int>& rows = m_filter.rows();
    QMenu menu(this);
    if (row >= 0 && std::size_t(row) < rows.size()) {
        const int task = rows[std::size_t(row)];
        menu.addAction(tr("&Hide %1").arg(QString::fromStdString(m_filter.trace()->tasks[std::size_t(task)].name)),
            this, [this, task] { hideTask(task); });
    }
    QAction* all = menu.addAction(tr("&Show all tasks"), this, &FindBar::showAllTasks);
    all->setEnabled(m_filter.filtered());
    menu.exec(m_timeline->mapToGlobal(pos));
}

void FindBar::findNext(int direction)
{
    m_timeline->findNext(direction);
    updateCount();
}

void FindBar::updateCount()
{
    if (m_find->text().trimmed().isEmpty()) {
        m_find_count->clear();
        return;
    }
    const std::vector<int> rows = m_timeline->matchingRows();
    const int current = m_timeline->currentMatch();
    const auto at = std::lower_bound(rows.begin(), rows.end(), current);
    if (rows.empty())
        m_find_count->setText(tr("no task"));
    else if (at != rows.end() && *at == current)
        m_find_count->setText(tr("%1 of %2").arg(int(at - rows.begin()) + 1).arg(rows.size()));
    else
        m_find_count->setText(rows.size() == 1 ? tr("1 task") : tr("%1 tasks").arg(rows.size()));
}

} // namespace timeslice::ui
