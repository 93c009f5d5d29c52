#pragma once

#include "core/base/clock.h"
#include "core/trace/trace.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace timeslice {

// Jiffies of one line of /proc/stat ("cpu" or "cpuN").
struct CpuTimes {
    std::uint64_t busy = 0;
    std::uint64_t total = 0;
    // Time the hypervisor ran something else while this virtual machine had work on the core:
    // a thread's time on a core then outruns its CPU time (which leaves it out).
    std::uint64_t steal = 0;
};

// Parses /proc/stat into [aggregate, cpu0, cpu1, ...]. Empty if the text has no cpu lines.
std::vector<CpuTimes> parse_proc_stat(std::string_view text);

// Utilisation in percent between two readings, as htop computes it: idle = idle + iowait;
// guest time is already inside user and nice, so it is not counted twice.
float utilisation(const CpuTimes& before, const CpuTimes& after) noexcept;

// Samples per-core CPU usage from /proc/stat on its own thread while a run goes on.
class CpuSampler {
public:
    explicit CpuSampler(Nanos origin, Nanos interval = 50 * kNanosPerMilli);
    ~CpuSampler();
    CpuSampler(const CpuSampler&) = delete;
    CpuSampler& operator=(const CpuSampler&) = delete;

    void start();
    // Takes a last sample and stops the thread.
    void stop();
    std::vector<CpuSample> samples() const;

private:
    void loop();
    void sample();

    Nanos m_origin;
    Nanos m_interval;
    std::vector<CpuTimes> m_last;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
    std::vector<CpuSample> m_samples;
    std::thread m_thread;
};

} // namespace timeslice
