#include "core/formats/foreign_trace.h"

#include "core/formats/json_error.h"

#include "core/workload/workload.h"

#include <simdjson.h>

#include <algorithm>
#include <exception>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace timeslice {

namespace {

using simdjson::ondemand::json_type;

struct RawSpan {
    double start = 0; // microseconds, as written
    double end = 0;
    std::uint32_t name = 0;
};

struct Thread {
    std::string name;
    std::vector<RawSpan> spans;
    std::vector<RawSpan> open; // B events waiting for their E
};

// What the Trace Event format's phases are, for the list of what was not understood.
std::string phase_meaning(std::string_view ph)
{
    static const std::map<std::string_view, const char*> meanings { { "C", "counter" }, { "i", "instant" },
        { "I", "instant" }, { "R", "mark" }, { "b", "async" }, { "e", "async" }, { "n", "async" }, { "S", "async" },
        { "T", "async" }, { "p", "async" }, { "F", "async" }, { "s", "flow" }, { "t", "flow" }, { "f", "flow" },
        { "P", "sample" }, { "O", "object" }, { "N", "object" }, { "D", "object" }, { "c", "clock sync" },
        { "(", "context" }, { ")", "context" }, { "v", "memory dump" }, { "V", "memory dump" } };
    const auto it = meanings.find(ph);
    return it == meanings.end() ? "unknown" : it->second;
}

// "B events without an E" of one: "B event without an E".
std::string singular(std::string what)
{
    for (const char* plural : { "events", "spans" }) {
        const std::size_t at = what.find(plural);
        if (at != std::string::npos) {
            what.erase(at + std::string_view(plural).size() - 1, 1);
            break;
        }
    }
    return what;
}

class Reader {
public:
    void read_events(simdjson::ondemand::array events)
    {
        for (auto element : events) {
            simdjson::ondemand::object event;
            if (const auto e = element.get_object().get(event); e == simdjson::INCORRECT_TYPE) {
                count("non-object events");
                continue;
            } else if (e) {
                throw simdjson::simdjson_error(e);
            }
            read_event(event);
        }
    }

    void finish(Trace& out, bool viztracer)
    {
        // A B without its E (a program that stopped before it): drawn to the trace's end.
        for (auto& [key, thread] : m_threads) {
            count("B events without an E, drawn to the trace's end", thread.open.size());
            for (RawSpan span : thread.open) {
                span.end = std::max(span.start, m_last);
                thread.spans.push_back(span);
            }
            thread.open.clear();
        }
        double origin = INFINITY;
        for (const auto& [key, thread] : m_threads) {
            for (const RawSpan& s : thread.spans)
                origin = std::min(origin, s.start);
        }
        ForeignTrace foreign;
        foreign.source = viztracer ? "VizTracer" : m_node ? "Node.js" : "Chrome";
        const auto nanos = [&](double us) { return Nanos(std::llround((us - origin) * 1000.0)); };
        std::set<std::int64_t> pids;
        for (const auto& [key, thread] : m_threads) {
            if (!thread.spans.empty())
                pids.insert(key.first);
        }
        for (auto& [key, thread] : m_threads) {
            if (thread.spans.empty())
                continue;
            ++foreign.threads;
            auto& spans = thread.spans;
            // Outer spans first where two start together, so a span's parent is always before it.
            std::stable_sort(spans.begin(), spans.end(), [](const RawSpan& a, const RawSpan& b) {
                return a.start < b.start || (a.start == b.start && a.end > b.end);
            });
            std::string label = thread.name.empty() ? "tid " + std::to_string(key.second) : thread.name;
            if (pids.size() > 1) {
                const auto p = m_process_names.find(key.first);
                label = (p == m_process_names.end() ? "pid " + std::to_string(key.first) : p->second) + " · " + label;
            }
            // Depth: how many spans still open around it. A span that overlaps its parent's end
            // without nesting goes one deeper, so no row has two spans over each other.
            std::vector<double> open_ends;
            const std::size_t first_row = out.tasks.size();
            for (const RawSpan& s : spans) {
                while (!open_ends.empty() && open_ends.back() <= s.start)
                    open_ends.pop_back();
                if (!open_ends.empty() && s.end > open_ends.back())
                    count("spans overlapping the end of an enclosing span (drawn one row deeper, not nested)");
                const std::size_t depth = open_ends.size();
                open_ends.push_back(s.end);
                const std::size_t row = first_row + depth;
                if (row >= std::size_t(Limits::kMaxTasks)) {
                    count("spans nested too deep to draw");
                    continue;
                }
                while (out.tasks.size() <= row) {
                    const int d = int(out.tasks.size() - first_row);
                    TaskTrace task;
                    task.name = d == 0 ? label : label + " · depth " + std::to_string(d);
                    task.pid = std::int32_t(key.first);
                    task.tid = std::int32_t(key.second);
                    out.tasks.push_back(std::move(task));
                    foreign.span_names.emplace_back();
                    foreign.depth.push_back(d);
                }
                Span span;
                span.start = nanos(s.start);
                span.end = std::max(span.start, nanos(s.end));
                span.set_worker({ std::int32_t(key.first), std::int32_t(key.second) });
                span.state = State::Running;
                out.tasks[row].spans.push_back(span);
                foreign.span_names[row].push_back(s.name);
            }
        }
        for (TaskTrace& task : out.tasks) {
            task.started = task.spans.empty() ? -1 : task.spans.front().start;
            task.submitted = task.started;
        }
        foreign.names = std::move(m_names);
        for (const auto& [what, n] : m_not_understood)
            foreign.not_understood.push_back(std::to_string(n) + " " + (n == 1 ? singular(what) : what));
        out.info.workload = foreign.source + " trace";
        out.complete = true;
        out.foreign = std::move(foreign);
    }

    bool node() const { return m_node; }
    // Something the reader did to read the file at all, said with what it did not understand.
    void note(const std::string& what) { count(what); }

private:
    void count(const std::string& what, std::size_t n = 1)
    {
        if (n)
            m_not_understood[what] += n;
    }

    std::uint32_t name_index(std::string_view name)
    {
        const auto [it, added] = m_name_index.try_emplace(std::string(name), std::uint32_t(m_names.size()));
        if (added)
            m_names.emplace_back(name);
        return it->second;
    }

    static bool number(simdjson::ondemand::value v, double& out)
    {
        // Unix-epoch microseconds (1.7e15 today, as Ray's timeline writes) are fine: times are
        // taken from the trace's first, and a double holds them to a quarter microsecond.
        return v.get_double().get(out) == simdjson::SUCCESS && std::isfinite(out) && std::abs(out) < 1e17;
    }

    void read_event(simdjson::ondemand::object event)
    {
        std::string ph, name, cat, arg_name;
        bool has_pid = false, has_tid = false, has_ts = false, has_dur = false, bad_id = false;
        std::int64_t pid = 0, tid = 0;
        double ts = 0, dur = 0;
        for (auto entry : event) {
            simdjson::ondemand::field field;
            if (std::move(entry).get(field) != simdjson::SUCCESS)
                throw simdjson::simdjson_error(simdjson::TAPE_ERROR);
            std::string_view key;
            if (field.unescaped_key().get(key) != simdjson::SUCCESS)
                throw simdjson::simdjson_error(simdjson::STRING_ERROR);
            simdjson::ondemand::value v = field.value();
            std::string_view text;
            if (key == "ph" && v.get_string().get(text) == simdjson::SUCCESS)
                ph = text;
            else if (key == "name" && v.get_string().get(text) == simdjson::SUCCESS)
                name = text;
            else if (key == "cat" && v.get_string().get(text) == simdjson::SUCCESS)
                cat = text;
            else if (key == "pid")
                has_pid = true, bad_id |= v.get_int64().get(pid) != simdjson::SUCCESS;
            else if (key == "tid")
                has_tid = true, bad_id |= v.get_int64().get(tid) != simdjson::SUCCESS;
            else if (key == "ts")
                has_ts = number(v, ts);
            else if (key == "dur")
                has_dur = number(v, dur) && dur >= 0;
            else if (key == "args") {
                simdjson::ondemand::object args;
                if (v.get_object().get(args) == simdjson::SUCCESS) {
                    simdjson::ondemand::value n;
                    if (args.find_field_unordered("name").get(n) == simdjson::SUCCESS && n.get_string().get(text) == simdjson::SUCCESS)
                        arg_name = text;
                }
            }
        }
        if (cat.find("node") != std::string::npos)
            m_node = true;
        if (ph.empty()) {
            count("events without a ph");
            return;
        }
        if (bad_id || pid < INT32_MIN || pid > INT32_MAX || tid < INT32_MIN || tid > INT32_MAX) {
            count("events whose pid or tid is not a 32-bit integer");
            return;
        }
        if (ph == "M") {
            if (name == "thread_name" && has_pid && has_tid)
                m_threads[{ pid, tid }].name = arg_name;
            else if (name == "process_name" && has_pid) {
                m_process_names[pid] = arg_name;
                if (arg_name == "node")
                    m_node = true;
            }
            return; // sort indexes, labels and the like: nothing to draw
        }
        if (ph != "X" && ph != "B" && ph != "E") {
            count("events with ph '" + ph + "' (" + phase_meaning(ph) + ")");
            return;
        }
        if (!has_ts) {
            count(ph + " events without a number for ts");
            return;
        }
        m_last = std::max(m_last, ph == "X" && has_dur ? ts + dur : ts);
        Thread& thread = m_threads[{ pid, tid }];
        if (ph == "X") {
            if (!has_dur) {
                count("X events without a number >= 0 for dur");
                return;
            }
            thread.spans.push_back(RawSpan { ts, ts + dur, name_index(name) });
        } else if (ph == "B") {
            thread.open.push_back(RawSpan { ts, ts, name_index(name) });
        } else if (thread.open.empty()) {
            count("E events without a B");
        } else {
            RawSpan span = thread.open.back();
            thread.open.pop_back();
            if (ts < span.start) {
                count("E events before their B");
                return;
            }
            span.end = ts;
            thread.spans.push_back(span);
        }
    }

    std::map<std::pair<std::int64_t, std::int64_t>, Thread> m_threads;
    std::map<std::int64_t, std::string> m_process_names;
    std::vector<std::string> m_names;
    std::unordered_map<std::string, std::uint32_t> m_name_index;
    std::map<std::string, std::size_t> m_not_understood;
    bool m_node = false;
    double m_last = -INFINITY; // the latest time any event names
};

} // namespace

namespace {

// Reads `text` as a whole; throws simdjson's error where it is not JSON.
bool read_foreign(std::string_view text, Trace& out, std::string& error, const std::string& repaired)
{
    const simdjson::padded_string padded(text);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc = parser.iterate(padded);
    Reader reader;
    bool viztracer = false, events = false;
    if (doc.type() == json_type::array) {
        events = true;
        reader.read_events(doc.get_array());
    } else if (doc.type() == json_type::object) {
        for (auto entry : doc.get_object()) {
            simdjson::ondemand::field field = std::move(entry);
            const std::string_view key = field.unescaped_key();
            simdjson::ondemand::value value = field.value();
            if (key == "traceEvents" && value.type() == json_type::array) {
                events = true;
                reader.read_events(value.get_array());
            } else if (key == "viztracer_metadata") {
                viztracer = true;
            }
        }
    }
    if (!events) {
        error = "not a Chrome trace: neither an array of events nor an object with traceEvents";
        return false;
    }
    if (!repaired.empty())
        reader.note(repaired);
    reader.finish(out, viztracer);
    return true;
}

// The format lets a program leave its event array unclosed ("[{...},{...},"), and one that
// crashed leaves its last event cut. The text up to one of its last few whole events, closed.
std::vector<std::string> closings(std::string_view text)
{
    std::vector<std::string> candidates;
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos)
        return candidates;
    const bool object = text[start] == '{';
    if (!object && text[start] != '[')
        return candidates;
    std::size_t end = text.size();
    for (int tries = 0; tries < 16 && end > start; ++tries) {
        const std::size_t brace = text.rfind('}', end - 1);
        if (brace == std::string_view::npos || brace <= start)
            break;
        candidates.push_back(std::string(text.substr(0, brace + 1)) + (object ? "]}" : "]"));
        end = brace;
    }
    return candidates;
}

} // namespace

bool foreign_trace_from_json(std::string_view text, Trace& out, std::string& error)
{
    out = Trace {};
    try {
        try {
            if (!read_foreign(text, out, error, {}))
                return false;
        } catch (const simdjson::simdjson_error& first) {
            bool read = false;
            for (const std::string& closed : closings(text)) {
                out = Trace {};
                try {
                    std::string why;
                    read = read_foreign(closed, out, why,
                        "unclosed event array (a program that stopped before writing its ']'), read up to its last "
                        "whole event");
                } catch (const simdjson::simdjson_error&) {
                    read = false;
                }
                if (read)
                    break;
            }
            if (!read)
                throw first;
        }
    } catch (const simdjson::simdjson_error& e) {
        out = Trace {};
        error = describe_bad_json(text, e.what());
        return false;
    } catch (const std::exception& e) {
        // More threads than this session can number (worker_id.h), or out of memory.
        out = Trace {};
        error = std::string("cannot read the trace: ") + e.what();
        return false;
    }
    if (out.tasks.empty()) {
        const std::string ignored = not_understood_text(*out.foreign);
        out = Trace {};
        error = "no spans to show: the trace has no X events and no B/E pairs"
            + (ignored.empty() ? std::string() : " (it has " + ignored + ")");
        return false;
    }
    return true;
}

std::string not_understood_text(const ForeignTrace& foreign)
{
    std::string text;
    for (const std::string& line : foreign.not_understood)
        text += (text.empty() ? "" : "; ") + line;
    return text;
}

} // namespace timeslice
