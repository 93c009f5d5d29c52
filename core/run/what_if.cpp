#include "core/run/what_if.h"

#include "core/analysis/schedule.h"
#include "core/models/registry.h"
#include "core/workload/compute.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace timeslice {

namespace {

// Every step times `scale`, within the limits every run is held to.
Workload scaled(const Workload& w, double scale)
{
    if (scale == 1.0)
        return w;
    Workload out = w;
    for (TaskSpec& t : out.tasks) {
        for (Step& s : t.steps) {
            if (auto* c = std::get_if<Compute>(&s)) {
                const double n = std::max(1.0, std::round(double(c->iterations) * scale));
                if (n > double(Limits::kMaxIterations))
                    throw std::invalid_argument(fmt::format("at scale {}, task {} computes more than {} iterations", scale, t.name,
                        Limits::kMaxIterations));
                c->iterations = std::uint64_t(n);
                c->cpu_seconds *= scale;
            } else {
                Wait& wait = std::get<Wait>(s);
                const double seconds = to_seconds(wait.duration) * scale;
                if (seconds > Limits::kMaxWaitSeconds)
                    throw std::invalid_argument(fmt::format("at scale {}, task {} waits more than {} s at once", scale, t.name,
                        format_seconds(Limits::kMaxWaitSeconds)));
                wait.duration = Nanos(std::llround(double(wait.duration) * scale));
            }
        }
    }
    return out;
}

double compute_seconds(const Compute& c) { return c.cpu_seconds > 0 ? c.cpu_seconds : double(c.iterations) * ns_per_iteration() / 1e9; }

std::string seconds_text(double s) { return s >= 10 ? fmt::format("{:.1f} s", s) : fmt::format("{:.3f} s", s); }

const WhatIfRow* find_row(const WhatIf& w, ModelKind model, bool gil)
{
    for (const WhatIfRow& r : w.rows) {
        if (r.model == model && r.gil == gil && r.finished)
            return &r;
    }
    return nullptr;
}

// What a model costs to run: async least, then threads with the GIL, then processes (fewest
// workers first), then threads without the GIL (they need a free-threaded build).
double cost_rank(const WhatIfRow& r)
{
    switch (r.model) {
    case ModelKind::Async:
        return 0;
    case ModelKind::Threads:
        return r.gil ? 1 : 3;
    default:
        return 2 + double(r.workers) / 1e6;
    }
}

std::string plural(int n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); }

void answer(WhatIf& w)
{
    const WhatIfRow* async = find_row(w, ModelKind::Async, false);
    const WhatIfRow* gil = find_row(w, ModelKind::Threads, true);
    const WhatIfRow* nogil = find_row(w, ModelKind::Threads, false);
    const WhatIfRow* widest_pool = nullptr;
    for (const WhatIfRow& r : w.rows) {
        if (r.model == ModelKind::Processes && r.finished && (!widest_pool || r.workers > widest_pool->workers))
            widest_pool = &r;
    }
    std::string waits = w.waits + w.blocking_waits == 0
        ? "No: no task waits."
        : fmt::format("{} in {:.3f} s: up to {} in flight at once on one event loop, {} on threads, {} on {}.",
              plural(w.waits + w.blocking_waits, "wait", "waits"), w.wait_s + w.block_s, async ? async->waits_at_once : 0,
              nogil ? nogil->waits_at_once : 0, widest_pool ? widest_pool->waits_at_once : 0,
              widest_pool ? fmt::format("{} processes", widest_pool->workers) : std::string("processes"));
    w.answers.push_back({ "Does it overlap the waits?", waits });
    std::string cores = w.compute_s == 0
        ? "No task computes."
        : fmt::format("{}{:.3f} s of CPU: up to {} computing at once on {}, {} without the GIL, {} with it, {} on one loop.",
              w.compute_s < 0.01 * (w.compute_s + w.wait_s + w.block_s) ? "Hardly matters: " : "", w.compute_s, widest_pool ? widest_pool->computing_at_once : 0,
              widest_pool ? fmt::format("{} processes", widest_pool->workers) : std::string("processes"),
              nogil ? nogil->computing_at_once : 0, gil ? gil->computing_at_once : 0, async ? async->computing_at_once : 0);
    w.answers.push_back({ "Does it use every core?", cores });
    std::string blocking = w.blocking_waits == 0
        ? "No: every wait can be awaited."
        : fmt::format("Yes: {} {} thread ({:.3f} s); on one event loop nothing else runs meanwhile{}.",
              plural(w.blocking_waits, "wait", "waits"), w.blocking_waits == 1 ? "blocks its" : "block their", w.block_s,
              async ? fmt::format(" (async's tasks spent {:.3f} s ready, waiting for the loop)", async->ready_s) : std::string());
    w.answers.push_back({ "Does a blocking call stall the loop?", blocking });
    std::string interference;
    if (gil && nogil)
        interference = fmt::format("{}: {} hand-overs, {:.3f} s of GIL wait; makespan {} with the GIL against {} without.",
            gil->gil_hand_overs > 0 && gil->makespan_s > nogil->makespan_s * 1.1 ? "Yes" : "Little", gil->gil_hand_overs, gil->gil_wait_s,
            seconds_text(gil->makespan_s), seconds_text(nogil->makespan_s));
    else
        interference = "Not measured: a threads run did not finish.";
    w.answers.push_back({ "Does the GIL get in the way?", interference });
}

void recommend(WhatIf& w)
{
    const WhatIfRow* best = nullptr;
    for (const WhatIfRow& r : w.rows) {
        if (r.finished && (!best || r.makespan_s < best->makespan_s))
            best = &r;
    }
    if (!best) {
        w.recommendation = "No run finished, so there is nothing to recommend.";
        return;
    }
    // Within 5 % (and 2 ms) of the fastest, a busy machine could have swapped them: the cheapest
    // of those is the advice.
    const WhatIfRow* chosen = best;
    for (const WhatIfRow& r : w.rows) {
        if (r.finished && r.makespan_s <= best->makespan_s * 1.05 + 0.002 && cost_rank(r) < cost_rank(*chosen))
            chosen = &r;
    }
    w.recommended = chosen->label;
    const double total = w.compute_s + w.wait_s + w.block_s;
    std::string text = fmt::format("{}: ", plural(w.tasks, "task", "tasks"));
    std::vector<std::string> parts;
    if (w.waits + w.blocking_waits > 0) {
        const WhatIfRow* async = find_row(w, ModelKind::Async, false);
        parts.push_back(fmt::format("{:.0f} % of their time waits ({}{})", total > 0 ? 100 * (w.wait_s + w.block_s) / total : 0,
            plural(w.waits + w.blocking_waits, "wait", "waits"),
            async && async->waits_at_once > 1 ? fmt::format(", {} in flight at once", async->waits_at_once) : std::string()));
    }
    if (w.compute_s > 0)
        parts.push_back(fmt::format("{:.3f} s of CPU", w.compute_s));
    if (w.blocking_waits > 0)
        parts.push_back(fmt::format("{} {} {} thread, which would stall an event loop", plural(w.blocking_waits, "wait", "waits"),
            w.blocking_waits == 1 ? "blocks" : "block", w.blocking_waits == 1 ? "its" : "their"));
    for (std::size_t i = 0; i < parts.size(); ++i)
        text += (i ? "; " : "") + parts[i];
    text += fmt::format(". Use {}: {} here", chosen->label, seconds_text(chosen->makespan_s));
    if (chosen != best && seconds_text(chosen->makespan_s) != seconds_text(best->makespan_s))
        text += fmt::format(" (the fastest, {}, took {}: within 5 %, and costs more)", best->label, seconds_text(best->makespan_s));
    std::vector<const WhatIfRow*> others;
    for (const WhatIfRow& r : w.rows) {
        if (&r != chosen && &r != best)
            others.push_back(&r);
    }
    if (!others.empty()) {
        text += ", against ";
        for (std::size_t i = 0; i < others.size(); ++i)
            text += (i ? ", " : "") + others[i]->label + " "
                + (others[i]->finished ? seconds_text(others[i]->makespan_s) : std::string("(did not finish)"));
    }
    text += ".";
    if (chosen->model == ModelKind::Threads && !chosen->gil)
        text += " Threads without the GIL need a free-threaded Python (3.13t or later).";
    if (chosen->model == ModelKind::Threads && chosen->waits_at_once > 1)
        text += fmt::format(" Give the pool at least {} threads.", chosen->waits_at_once);
    w.recommendation = text;
}

} // namespace

std::vector<CompareEntry> what_if_entries(const Workload& workload, const WhatIfOptions& options)
{
    if (workload.tasks.empty())
        throw std::invalid_argument("the workload has no tasks");
    if (!std::isfinite(options.scale) || options.scale <= 0 || options.scale > Limits::kMaxScale)
        throw std::invalid_argument("scale must be a number in (0, " + format_seconds(Limits::kMaxScale) + "]");
    const Workload w = scaled(workload, options.scale);
    const int tasks = int(w.tasks.size());
    std::vector<int> pools = options.process_pools;
    if (pools.empty()) {
        const int cores = online_cores();
        const auto capped = [&](int n) { return std::max(1, std::min({ n, tasks, Limits::kMaxProcessWorkers })); };
        std::set<int> sizes { 1, capped(cores), capped(4 * cores) };
        if (workload.workers > 0)
            sizes.insert(capped(workload.workers));
        pools.assign(sizes.begin(), sizes.end());
    }
    std::vector<CompareEntry> out;
    const auto config = [&](ModelKind model, bool gil, int workers) {
        RunConfig c;
        c.custom = w;
        c.workload = w.name;
        c.model = model;
        c.model_options.gil = gil;
        c.model_options.workers = workers;
        return c;
    };
    for (const int n : pools) {
        if (n < 1 || n > Limits::kMaxProcessWorkers)
            throw std::invalid_argument(fmt::format("a process pool must have 1 to {} workers, not {}", Limits::kMaxProcessWorkers, n));
        out.push_back({ fmt::format("processes ({})", n), config(ModelKind::Processes, false, n) });
    }
    const int threads = std::min(tasks, Limits::kMaxThreadWorkers);
    out.push_back({ "threads (GIL)", config(ModelKind::Threads, true, threads) });
    out.push_back({ "threads (no GIL)", config(ModelKind::Threads, false, threads) });
    out.push_back({ "async", config(ModelKind::Async, false, 0) });
    return out;
}

WhatIf summarise_what_if(const Workload& workload, const std::vector<CompareEntry>& entries,
    const std::vector<std::shared_ptr<const Trace>>& traces)
{
    WhatIf w;
    w.workload = workload.name;
    const Workload& ran = !entries.empty() && entries.front().config.custom ? *entries.front().config.custom : workload;
    w.tasks = int(ran.tasks.size());
    for (const TaskSpec& t : ran.tasks) {
        for (const Step& s : t.steps) {
            if (const auto* c = std::get_if<Compute>(&s)) {
                w.compute_s += compute_seconds(*c);
            } else if (const Wait& wait = std::get<Wait>(s); wait.duration > 0) {
                (wait.blocking ? w.block_s : w.wait_s) += to_seconds(wait.duration);
                ++(wait.blocking ? w.blocking_waits : w.waits);
            }
        }
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const RunConfig& c = entries[i].config;
        WhatIfRow r;
        r.label = entries[i].label;
        r.model = c.model;
        r.gil = c.model == ModelKind::Threads && c.model_options.gil;
        r.workers = describe(c.model).pool ? c.model_options.workers : 0;
        r.predicted_s = to_seconds(ideal_schedule(ran, ideal_params_for(ran, c.model, c.model_options)).makespan);
        const Trace* t = i < traces.size() ? traces[i].get() : nullptr;
        if (t && t->complete) {
            if (const auto card = scorecard_if_any(*t)) {
                r.finished = true;
                r.makespan_s = to_seconds(card->makespan);
                r.cpu_percent = card->cpu_utilisation;
                r.gil_wait_s = to_seconds(card->time_in_state[std::size_t(State::GilWait)]);
                r.ready_s = to_seconds(card->time_in_state[std::size_t(State::Ready)]);
            }
            r.waits_at_once = peak_at_once(*t, State::Waiting);
            r.computing_at_once = peak_at_once(*t, State::Running);
            r.gil_hand_overs = t->info.gil_hand_overs;
        }
        w.rows.push_back(std::move(r));
    }
    conclude_what_if(w);
    return w;
}

void conclude_what_if(WhatIf& w)
{
    w.answers.clear();
    w.recommended.clear();
    answer(w);
    recommend(w);
}

std::string format_what_if(const WhatIf& w)
{
    std::string out = fmt::format("What if {} ran under every model? Predicted by the model's rules, and run here.\n\n", w.workload);
    out += fmt::format("{:<18} {:>10} {:>10} {:>6} {:>14} {:>17}\n", "model", "predicted", "makespan", "CPU", "waits at once",
        "computing at once");
    for (const WhatIfRow& r : w.rows) {
        if (r.finished)
            out += fmt::format("{:<18} {:>10} {:>10} {:>5.0f}% {:>14} {:>17}{}\n", r.label, seconds_text(r.predicted_s),
                seconds_text(r.makespan_s), r.cpu_percent, r.waits_at_once, r.computing_at_once, r.label == w.recommended ? "  <-" : "");
        else
            out += fmt::format("{:<18} {:>10} {:>10}\n", r.label, seconds_text(r.predicted_s), "did not finish");
    }
    out += "\n";
    for (const WhatIfAnswer& a : w.answers)
        out += a.question + " " + a.answer + "\n";
    out += "\n" + w.recommendation + "\n";
    return out;
}

std::string what_if_json(const WhatIf& w)
{
    using json = nlohmann::json;
    json rows = json::array();
    for (const WhatIfRow& r : w.rows)
        rows.push_back({ { "label", r.label }, { "model", std::string(model_name(r.model)) }, { "gil", r.gil }, { "workers", r.workers },
            { "predicted_s", r.predicted_s }, { "makespan_s", r.finished ? json(r.makespan_s) : json(nullptr) },
            { "cpu_percent", r.cpu_percent }, { "waits_at_once", r.waits_at_once }, { "computing_at_once", r.computing_at_once },
            { "gil_wait_s", r.gil_wait_s }, { "gil_hand_overs", r.gil_hand_overs }, { "ready_s", r.ready_s },
            { "finished", r.finished } });
    json answers = json::array();
    for (const WhatIfAnswer& a : w.answers)
        answers.push_back({ { "question", a.question }, { "answer", a.answer } });
    const json doc { { "workload", w.workload }, { "tasks", w.tasks }, { "compute_s", w.compute_s }, { "wait_s", w.wait_s },
        { "block_s", w.block_s }, { "waits", w.waits }, { "blocking_waits", w.blocking_waits }, { "models", std::move(rows) },
        { "answers", std::move(answers) }, { "recommended", w.recommended }, { "recommendation", w.recommendation } };
    return doc.dump(2) + "\n";
}

} // namespace timeslice
