#include "core/models/worker_protocol.h"

#include <charconv>

namespace timeslice::protocol {

namespace {

class Tokens {
public:
    explicit Tokens(std::string_view line)
        : m_rest(line)
    {
    }

    bool word(std::string_view& out)
    {
        while (!m_rest.empty() && m_rest.front() == ' ')
            m_rest.remove_prefix(1);
        if (m_rest.empty())
            return false;
        const std::size_t end = m_rest.find(' ');
        out = m_rest.substr(0, end);
        m_rest.remove_prefix(end == std::string_view::npos ? m_rest.size() : end);
        return true;
    }

    template <typename T> bool number(T& out)
    {
        std::string_view w;
        if (!word(w))
            return false;
        const auto r = std::from_chars(w.data(), w.data() + w.size(), out);
        return r.ec == std::errc() && r.ptr == w.data() + w.size();
    }

    bool at_end()
    {
        std::string_view w;
        return !word(w);
    }

private:
    std::string_view m_rest;
};

bool fail(std::string& error, std::string message)
{
    error = std::move(message);
    return false;
}

bool is_decimal(std::string_view s)
{
    if (s.empty() || s.size() > 64)
        return false;
    for (char c : s) {
        if ((c < '0' || c > '9') && c != '.' && c != '-' && c != 'e' && c != '+')
            return false;
    }
    return true;
}

} // namespace

std::string encode_task(std::uint32_t task, std::span<const Step> steps)
{
    std::string out = "T " + std::to_string(task) + ' ' + std::to_string(steps.size());
    for (const Step& step : steps) {
        if (const auto* c = std::get_if<Compute>(&step))
            out += " C " + std::to_string(c->iterations);
        else
            out += (std::get<Wait>(step).blocking ? " B " : " W ") + std::to_string(std::get<Wait>(step).duration);
    }
    out += '\n';
    return out;
}

std::string encode(const EventMessage& m)
{
    return "E " + std::to_string(m.task) + ' ' + std::to_string(int(m.state)) + ' ' + std::to_string(m.t) + ' '
        + std::to_string(m.core) + ' ' + std::to_string(m.tid) + '\n';
}

std::string encode(const ResultMessage& m)
{
    return "R " + std::to_string(m.task) + ' ' + std::to_string(m.t) + ' ' + m.result + '\n';
}

bool parse_task(std::string_view line, TaskMessage& out, std::string& error)
{
    Tokens tokens(line);
    std::string_view kind;
    std::size_t count = 0;
    if (!tokens.word(kind) || kind != "T")
        return fail(error, "expected a task line starting with T");
    if (!tokens.number(out.task) || !tokens.number(count))
        return fail(error, "task line has no valid task index and step count");
    if (count > kMaxLine / 4)
        return fail(error, "task line has too many steps");
    out.steps.clear();
    out.steps.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        std::string_view type;
        if (!tokens.word(type))
            return fail(error, "task line ends before step " + std::to_string(i + 1));
        if (type == "C") {
            std::uint64_t iterations = 0;
            if (!tokens.number(iterations))
                return fail(error, "compute step has no valid iteration count");
            out.steps.push_back(Compute { iterations });
        } else if (type == "W" || type == "B") {
            Nanos duration = 0;
            if (!tokens.number(duration) || duration < 0)
                return fail(error, "wait step has no valid duration");
            out.steps.push_back(Wait { duration, type == "B" });
        } else {
            return fail(error, "unknown step type '" + std::string(type) + "'");
        }
    }
    if (!tokens.at_end())
        return fail(error, "task line has extra fields");
    return true;
}

bool parse_worker_message(std::string_view line, WorkerMessage& out, std::string& error)
{
    Tokens tokens(line);
    std::string_view kind;
    if (!tokens.word(kind))
        return fail(error, "empty message");
    if (kind == "E") {
        EventMessage m;
        int state = 0;
        if (!tokens.number(m.task) || !tokens.number(state) || !tokens.number(m.t) || !tokens.number(m.core)
            || !tokens.number(m.tid) || !tokens.at_end())
            return fail(error, "malformed state message");
        if (state < 0 || state >= kStateCount)
            return fail(error, "unknown state " + std::to_string(state));
        m.state = static_cast<State>(state);
        out = m;
        return true;
    }
    if (kind == "R") {
        ResultMessage m;
        std::string_view result;
        if (!tokens.number(m.task) || !tokens.number(m.t) || !tokens.word(result) || !tokens.at_end()
            || !is_decimal(result))
            return fail(error, "malformed result message");
        m.result = std::string(result);
        out = std::move(m);
        return true;
    }
    return fail(error, "unknown message type");
}

} // namespace timeslice::protocol
