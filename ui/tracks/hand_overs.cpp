#include "ui/tracks/hand_overs.h"

#include "core/models/registry.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace timeslice::ui {

std::vector<HandOver> hand_overs(const Trace& trace)
{
    std::vector<HandOver> out;
    const ModelDescriptor* model = find_model(trace.info.model);
    const bool gil = model && model->gil && trace.info.gil;
    const bool async = model && model->predicted == PredictedAs::Loop;
    if (!gil && !async)
        return out;
    // Under the GIL: every end of a run, by time, to find who let go before each take.
    std::vector<std::pair<Nanos, std::size_t>> run_ends;
    if (gil) {
        for (std::size_t row = 0; row < trace.tasks.size(); ++row) {
            const std::vector<Span>& spans = trace.tasks[row].spans;
            for (std::size_t i = 0; i < spans.size(); ++i) {
                const bool running = model_state(spans[i].state) == State::Running;
                const bool continues = i + 1 < spans.size() && model_state(spans[i + 1].state) == State::Running;
                if (running && !continues)
                    run_ends.emplace_back(spans[i].end, row);
            }
        }
        std::sort(run_ends.begin(), run_ends.end());
    }
    const State before_run = gil ? State::GilWait : State::Ready;
    for (std::size_t row = 0; row < trace.tasks.size(); ++row) {
        const std::vector<Span>& spans = trace.tasks[row].spans;
        for (std::size_t i = 1; i < spans.size(); ++i) {
            if (spans[i - 1].state != before_run || model_state(spans[i].state) != State::Running)
                continue;
            const Nanos taken = spans[i].start;
            if (async) {
                out.push_back(HandOver { row, spans[i - 1].start, row, taken });
                continue;
            }
            auto it = std::upper_bound(run_ends.begin(), run_ends.end(), std::make_pair(taken, trace.tasks.size()));
            while (it != run_ends.begin()) {
                --it;
                if (it->second != row) {
                    out.push_back(HandOver { it->second, it->first, row, taken });
                    break;
                }
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const HandOver& a, const HandOver& b) { return a.to < b.to || (a.to == b.to && a.to_row < b.to_row); });
    return out;
}

std::vector<HandOver> visible_hand_overs(const std::vector<HandOver>& all, const TimeMap& map, double min_pixels, std::size_t max_count)
{
    std::vector<HandOver> out;
    auto it = std::lower_bound(all.begin(), all.end(), map.start, [](const HandOver& h, Nanos t) { return h.to < t; });
    // Per row that an arrow points to: where its last kept arrow ends. Arrows into different rows
    // at the same moment (async tasks woken together) have heads apart, so all are kept.
    std::vector<double> last_x;
    for (; it != all.end() && it->to <= map.end && out.size() < max_count; ++it) {
        const double x = map.to_x(it->to);
        if (it->to_row >= last_x.size())
            last_x.resize(it->to_row + 1, -std::numeric_limits<double>::infinity());
        if (x - last_x[it->to_row] < min_pixels)
            continue;
        out.push_back(*it);
        last_x[it->to_row] = x;
    }
    return out;
}

} // namespace timeslice::ui
