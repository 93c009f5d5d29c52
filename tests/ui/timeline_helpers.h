#pragma once

// A timeline over a trace, on its own: the shared zoom fitted to the whole trace, as the window
// shows one.
#include "core/formats/trace_json.h"
#include "ui/export/image_export.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

namespace timeslice::test {

struct Timeline {
    ui::ZoomState zoom;
    ui::TimelineView view { &zoom };
    explicit Timeline(std::shared_ptr<const Trace> trace, QSize size = QSize(880, 440))
    {
        view.resize(size);
        view.show();
        zoom.setBounds(ui::full_range(*trace));
        zoom.fit();
        view.setTrace(std::move(trace));
        settle();
    }
};

// A trace checked in under resources/examples, read as File > Open reads it.
inline std::shared_ptr<const Trace> load_example(const char* name)
{
    auto trace = std::make_shared<Trace>();
    std::string error;
    EXPECT_TRUE(load_trace(example_trace(name).toStdString(), *trace, error)) << error;
    return trace;
}

} // namespace timeslice::test
