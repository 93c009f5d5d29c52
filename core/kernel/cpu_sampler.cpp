#include "core/kernel/cpu_sampler.h"

#include "core/base/helper_thread.h"

#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>

namespace timeslice {

std::vector<CpuTimes> parse_proc_stat(std::string_view text)
{
    std::vector<CpuTimes> out;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        if (line.substr(0, 3) != "cpu")
            continue;
        const std::size_t space = line.find(' ');
        if (space == std::string_view::npos)
            continue;
        line.remove_prefix(space);
        // user nice system idle iowait irq softirq steal guest guest_nice
        std::uint64_t f[10] = {};
        int count = 0;
        while (count < 10) {
            while (!line.empty() && line.front() == ' ')
                line.remove_prefix(1);
            if (line.empty())
                break;
            const auto r = std::from_chars(line.data(), line.data() + line.size(), f[count]);
            if (r.ec != std::errc())
                break;
            line.remove_prefix(std::size_t(r.ptr - line.data()));
            ++count;
        }
        if (count < 4)
            continue;
        const std::uint64_t idle = f[3] + f[4];
        const std::uint64_t total = f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
        out.push_back(CpuTimes { total - idle, total, f[7] });
    }
    return out;
}

float utilisation(const CpuTimes& before, const CpuTimes& after) noexcept
{
    if (after.total <= before.total || after.busy < before.busy)
        return 0.0f;
    const double busy = double(after.busy - before.busy);
    const double total = double(after.total - before.total);
    return float(std::min(100.0, 100.0 * busy / total));
}

namespace {
std::vector<CpuTimes> read_proc_stat()
{
    std::ifstream in("/proc/stat");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_proc_stat(ss.str());
}
}

CpuSampler::CpuSampler(Nanos origin, Nanos interval)
    : m_origin(origin)
    , m_interval(interval)
{
}

CpuSampler::~CpuSampler() { stop(); }

void CpuSampler::start()
{
    m_last = read_proc_stat();
    m_thread = start_helper_thread([this] { loop(); });
}

void CpuSampler::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stop || !m_thread.joinable())
            return;
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
    sample();
}

std::vector<CpuSample> CpuSampler::samples() const
{
    std::lock_guard lock(m_mutex);
    return m_samples;
}

void CpuSampler::loop()
{
    Nanos next = monotonic_now() + m_interval;
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        const auto tp = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(next));
        if (m_cv.wait_until(lock, tp, [this] { return m_stop; }))
            break;
        lock.unlock();
        sample();
        lock.lock();
        next += m_interval;
    }
}

void CpuSampler::sample()
{
    const std::vector<CpuTimes> now = read_proc_stat();
    const Nanos t = monotonic_now() - m_origin;
    if (now.empty() || now.size() != m_last.size())
        return;
    CpuSample s;
    s.t = t;
    s.total = utilisation(m_last[0], now[0]);
    for (std::size_t i = 1; i < now.size(); ++i)
        s.per_core.push_back(utilisation(m_last[i], now[i]));
    m_last = now;
    std::lock_guard lock(m_mutex);
    m_samples.push_back(std::move(s));
}

} // namespace timeslice
