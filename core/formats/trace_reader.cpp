// Responsible for reading a trace file back: the top level, traceEvents parsed one event at a time
// with simdjson On Demand (each event checked by TraceEvents), otherData parsed as a small DOM
// and read as the run's summary; text that is not JSON, and traces Timeslice did not write, each
// said as such.
#include "core/formats/trace_reader.h"

#include "core/formats/json_error.h"

#include "core/base/atomic_file.h"
#include "core/base/file_text.h"
#include "core/formats/foreign_trace.h"
#include "core/formats/read_error.h"
#include "core/formats/run_summary.h"
#include "core/formats/trace_events.h"
#include "core/formats/trace_json.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <climits>

namespace timeslice {

namespace {

// Thrown where the text is not JSON at all (as opposed to JSON that is not a trace).
struct SyntaxError {
    std::string message;
};

using simdjson::ondemand::json_type;

// Reads traceEvents one event at a time with simdjson's On Demand API, so a trace of a million
// spans is never a million-node DOM; otherData (small) is handed to nlohmann-json and read by
// the run's summary. Every value is checked to be JSON, the fields the reader skips included.
class TraceReader {
public:
    static constexpr std::size_t kMaxDepth = 64;

    // The root object, already known to start with '{' (level 1).
    void read(simdjson::ondemand::document& doc)
    {
        simdjson::ondemand::object root = doc.get_object();
        for (auto entry : root) {
            simdjson::ondemand::field field = std::move(entry);
            const std::string_view key = key_of(field);
            simdjson::ondemand::value value = field.value();
            if (key == "traceEvents") {
                if (value.type() != json_type::array)
                    fail("traceEvents", "must be an array");
                m_seen_events = true;
                read_events(value.get_array());
            } else if (key == "otherData") {
                const json_type type = value.type();
                if (type == json_type::object) {
                    simdjson::ondemand::object other = value.get_object();
                    read_other(other.raw_json().value());
                } else if (type == json_type::array)
                    skip(value, 2);
                else {
                    skip(value, 2);
                    fail("otherData", "must be an object");
                }
            } else {
                skip(value, 2);
            }
        }
        const char* rest = nullptr;
        if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS)
            throw simdjson::simdjson_error(simdjson::TRAILING_CONTENT);
    }

    // After a successful parse: checks what only the whole file can tell and fills `out`.
    void finish(Trace& out)
    {
        const auto ts = m_other.is_object() ? m_other.find("timeslice") : m_other.end();
        if (!m_other.is_object() || ts == m_other.end())
            throw ReadError { "not a Timeslice trace: otherData.timeslice is missing (Timeslice opens the traces it "
                              "writes)" };
        if (!ts->is_object())
            fail("otherData.timeslice", "must be an object");
        read_run_summary(*ts, out);
        if (!m_seen_events)
            fail("trace", "missing field 'traceEvents'");
        m_events.finish(out);
    }

private:
    static void too_deep()
    {
        throw ReadError { "not a Timeslice trace: nesting deeper than " + std::to_string(kMaxDepth) + " levels" };
    }

    // A key as written, without unescaping when it has no escapes (every key Timeslice writes):
    // this is most of a trace's text, and copying it costs a third of the read.
    static std::string_view key_of(simdjson::ondemand::field& field)
    {
        const char* raw = field.key().raw();
        std::size_t n = 0;
        while (raw[n] != '"' && raw[n] != '\\')
            ++n;
        if (raw[n] == '"')
            return { raw, n };
        return field.unescaped_key();
    }

    // A string value, likewise read in place when it has no escapes.
    static std::string_view string_of(simdjson::ondemand::value& value)
    {
        const std::string_view token = value.raw_json_token();
        if (token.find('\\') != std::string_view::npos)
            return value.get_string();
        const char* raw = value.get_raw_json_string().value().raw();
        return { raw, std::size_t(std::find(raw, token.data() + token.size(), '"') - raw) };
    }

    // A value the reader has no use for, at nesting level `level`: still checked to be JSON.
    static void skip(simdjson::ondemand::value value, std::size_t level)
    {
        switch (value.type()) {
        case json_type::object:
            if (level > kMaxDepth)
                too_deep();
            for (auto field : value.get_object()) {
                (void)std::string_view(field.unescaped_key());
                skip(field.value(), level + 1);
            }
            break;
        case json_type::array:
            if (level > kMaxDepth)
                too_deep();
            for (auto element : value.get_array())
                skip(element.value(), level + 1);
            break;
        case json_type::string:
            (void)std::string_view(value.get_string());
            break;
        case json_type::number:
            (void)value.get_number().value();
            break;
        case json_type::boolean:
            (void)bool(value.get_bool());
            break;
        case json_type::null:
            if (!bool(value.is_null()))
                throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
            break;
        }
    }

    // A scalar field, with its JSON type; an object or array there is skipped and leaves it as it was.
    static void scalar(simdjson::ondemand::value& value, Value& out, std::size_t level)
    {
        switch (value.type()) {
        case json_type::object:
        case json_type::array:
            skip(value, level);
            return;
        case json_type::string: {
            const std::string_view s = string_of(value);
            out.kind = Value::String;
            out.s = s;
            return;
        }
        case json_type::number: {
            simdjson::ondemand::number n = value.get_number();
            switch (n.get_number_type()) {
            case simdjson::ondemand::number_type::signed_integer:
                out.kind = Value::Int;
                out.i = n.get_int64();
                out.d = double(out.i);
                return;
            case simdjson::ondemand::number_type::unsigned_integer:
                if (n.get_uint64() > std::uint64_t(LLONG_MAX)) {
                    out.kind = Value::Float;
                    out.d = double(n.get_uint64());
                } else {
                    out.kind = Value::Int;
                    out.i = (long long)n.get_uint64();
                    out.d = double(out.i);
                }
                return;
            default:
                out.kind = Value::Float;
                out.d = n.get_double();
                return;
            }
        }
        case json_type::boolean:
            out.kind = Value::Bool;
            out.i = bool(value.get_bool()) ? 1 : 0;
            return;
        case json_type::null:
            if (!bool(value.is_null()))
                throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
            out.kind = Value::Other;
            return;
        }
    }

    // A field the format says is an integer (pid, tid, worker_pid ...): parsed as one straight
    // away; anything else there goes through `scalar`, so its check names what it found.
    static void integer(simdjson::ondemand::value& value, Value& out, std::size_t level)
    {
        std::int64_t i = 0;
        if (value.get_int64().get(i) == simdjson::SUCCESS) {
            out.kind = Value::Int;
            out.i = i;
            out.d = double(i);
            return;
        }
        scalar(value, out, level); // a failed get leaves the value where it was
    }

    // A field the format says is a number (ts, dur), likewise.
    static void number(simdjson::ondemand::value& value, Value& out, std::size_t level)
    {
        if (value.get_double().get(out.d) == simdjson::SUCCESS) {
            out.kind = Value::Float;
            return;
        }
        scalar(value, out, level);
    }

    // otherData: small, read as a DOM; its nesting counts from its level (2) in the whole file.
    void read_other(std::string_view raw)
    {
        const auto bounded = [](int depth, json::parse_event_t event, json&) {
            if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start)
                && std::size_t(depth) + 2 > kMaxDepth)
                too_deep();
            return true;
        };
        try {
            m_other = json::parse(raw, bounded);
        } catch (const json::parse_error& e) {
            throw SyntaxError { std::string("in otherData: ") + e.what() };
        }
    }

    void read_events(simdjson::ondemand::array events)
    {
        for (auto element : events) {
            simdjson::ondemand::value value = element.value();
            if (value.type() != json_type::object) {
                if (value.type() != json_type::array)
                    skip(value, 3);
                fail(event_where(m_index++), "must be an object");
            }
            m_event.clear();
            for (auto entry : value.get_object()) {
                // By reference, not moved: GCC's copies of these small structs stalled on
                // store forwarding, a third of the load (perf annotate).
                if (entry.error())
                    throw simdjson::simdjson_error(entry.error());
                simdjson::ondemand::field& field = entry.value_unsafe();
                const std::string_view key = key_of(field);
                simdjson::ondemand::value& v = field.value();
                if (const KnownField known = event_field(key); known.member)
                    known.read(v, m_event.*known.member, 4);
                else if (key == "args" && v.type() == json_type::object) {
                    m_event.has_args = true;
                    read_args(v.get_object());
                } else {
                    skip(v, 4);
                }
            }
            m_events.add(m_event, m_index++);
        }
    }

    // A field of an event the reader uses, and how the format says it is written.
    struct KnownField {
        Value EventFields::*member = nullptr;
        void (*read)(simdjson::ondemand::value&, Value&, std::size_t) = nullptr;
    };

    static KnownField event_field(std::string_view key)
    {
        switch (key.size()) {
        case 2:
            return key == "ph" ? KnownField { &EventFields::ph, scalar }
                : key == "ts"  ? KnownField { &EventFields::ts, number }
                               : KnownField {};
        case 3:
            return key == "cat" ? KnownField { &EventFields::cat, scalar }
                : key == "pid"  ? KnownField { &EventFields::pid, integer }
                : key == "tid"  ? KnownField { &EventFields::tid, integer }
                : key == "dur"  ? KnownField { &EventFields::dur, number }
                                : KnownField {};
        case 4:
            return key == "name" ? KnownField { &EventFields::name, scalar } : KnownField {};
        default:
            return {};
        }
    }

    // A span's three known fields, or a counter's values (cpu0, cpu1, ..., total).
    void read_args(simdjson::ondemand::object args)
    {
        for (auto entry : args) {
            if (entry.error())
                throw simdjson::simdjson_error(entry.error());
            simdjson::ondemand::field& field = entry.value_unsafe();
            const std::string_view key = key_of(field);
            simdjson::ondemand::value& v = field.value();
            if (key == "worker_pid")
                integer(v, m_event.worker_pid, 5);
            else if (key == "worker_tid")
                integer(v, m_event.worker_tid, 5);
            else if (key == "core")
                integer(v, m_event.core, 5);
            else if (const json_type type = v.type(); type == json_type::object || type == json_type::array)
                skip(v, 5);
            else if (m_event.args.size() < 100'000) {
                auto& [name, value] = m_event.args.emplace_back(key, Value {});
                (void)name;
                scalar(v, value, 5);
            } else
                fail(event_where(m_index) + ".args", "has too many fields");
        }
    }

    EventFields m_event;
    std::size_t m_index = 0;
    bool m_seen_events = false;
    json m_other;
    TraceEvents m_events;
};

// The deepest nesting of arrays and objects in `text`, strings left out. Asked only of text that
// is not JSON, so that a file nested past the limit says so even where it is also cut short.
std::size_t nesting_depth(std::string_view text)
{
    std::size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

[[noreturn]] void not_json(std::string_view text, const std::string& what)
{
    if (nesting_depth(text) > TraceReader::kMaxDepth)
        throw ReadError { "not a Timeslice trace: nesting deeper than " + std::to_string(TraceReader::kMaxDepth)
            + " levels" };
    throw ReadError { describe_bad_json(text, what) };
}

// `text` is followed by at least SIMDJSON_PADDING readable bytes.
void read_trace(simdjson::padded_string_view text, Trace& out)
{
    const std::string_view view(text);
    const std::size_t first = view.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        throw ReadError { "the file is empty" };
    if (view[first] == '[')
        fail("the top level", "must be an object with traceEvents, not an array (not a Timeslice trace)");
    if (view[first] != '{') {
        try {
            const json scalar = json::parse(view);
            (void)scalar;
        } catch (const json::parse_error& e) {
            not_json(view, e.what());
        }
        fail("the top level", "must be an object with traceEvents (not a Timeslice trace)");
    }
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    bool iterating = false;
    TraceReader reader;
    try {
        doc = parser.iterate(text);
        iterating = true;
        reader.read(doc);
    } catch (const simdjson::simdjson_error& e) {
        std::string where;
        const char* at = nullptr;
        if (iterating && doc.current_location().get(at) == simdjson::SUCCESS && at >= view.data()
            && at <= view.data() + view.size())
            where = "at byte " + std::to_string(at - view.data()) + ": ";
        not_json(view, where + e.what());
    } catch (const SyntaxError& e) {
        not_json(view, e.message);
    }
    reader.finish(out);
}

bool read_trace_or_say_why(simdjson::padded_string_view text, Trace& out, std::string& error)
{
    out = Trace {};
    try {
        read_trace(text, out);
    } catch (const ReadError& e) {
        error = e.message;
        out = Trace {};
        return false;
    } catch (const std::exception& e) {
        error = std::string("cannot read the trace: ") + e.what();
        out = Trace {};
        return false;
    }
    return true;
}

// Whether the file carries otherData.timeslice, the mark of a trace Timeslice wrote. Asked only
// of a file the Timeslice reader refused, to tell a broken Timeslice trace from a foreign one.
bool has_timeslice_data(simdjson::padded_string_view text)
{
    try {
        simdjson::ondemand::parser parser;
        simdjson::ondemand::document doc = parser.iterate(text);
        simdjson::ondemand::object root = doc.get_object();
        for (auto entry : root) {
            simdjson::ondemand::field field = std::move(entry);
            if (std::string_view(field.unescaped_key()) != "otherData")
                continue;
            simdjson::ondemand::object other;
            simdjson::ondemand::value timeslice;
            if (field.value().get_object().get(other) == simdjson::SUCCESS
                && other.find_field_unordered("timeslice").get(timeslice) == simdjson::SUCCESS)
                return true;
        }
    } catch (const simdjson::simdjson_error&) {
    }
    return false;
}

} // namespace

bool trace_from_json(std::string_view text, Trace& out, std::string& error)
{
    const simdjson::padded_string padded(text);
    return read_trace_or_say_why(padded, out, error);
}

bool load_trace(const std::string& path, Trace& out, std::string& error)
{
    FileText file;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: room for them, without a copy.
    if (!file.open(path, error, kMaxTraceFileBytes, simdjson::SIMDJSON_PADDING))
        return false;
    return load_trace(file, path, out, error);
}

namespace {

// A Timeslice trace, else a Chrome trace from another tool (Node, Chromium, VizTracer), shown
// read-only. One that is not valid JSON may be an event array a program never closed, which
// the format allows.
bool trace_or_foreign(const FileText& file, Trace& out, std::string& error)
{
    const std::string_view text = file.text();
    const simdjson::padded_string_view padded(file.data(), file.size(), file.capacity());
    if (read_trace_or_say_why(padded, out, error))
        return true;
    if (error.rfind("not valid JSON", 0) == 0 || error.rfind("not a text file", 0) == 0) {
        // Not one Timeslice wrote and lost the end of: those say they are truncated.
        const bool ours = text.find("\"otherData\"") != std::string_view::npos
            || text.substr(0, 4096).find("\"name\":\"Timeslice: ") != std::string_view::npos;
        std::string why;
        if (!ours && foreign_trace_from_json(text, out, why))
            return true;
    } else if (error != "the file is empty" && !has_timeslice_data(padded)) {
        std::string why;
        if (foreign_trace_from_json(text, out, why))
            return true;
        error = "not a Timeslice trace (no otherData.timeslice), nor a Chrome trace it can show: " + why;
    }
    return false;
}

} // namespace

bool load_trace(const FileText& file, const std::string& path, Trace& out, std::string& error)
{
    const bool read = trace_or_foreign(file, out, error);
    // What was read of a file cut short while it was read is not the file: nothing of it is kept.
    if (file.truncated()) {
        out = Trace {};
        error = "'" + path + "' changed while it was read: it was cut short (another program writing it?)";
        return false;
    }
    if (!read)
        error = "'" + path + "': " + error;
    return read;
}

} // namespace timeslice
