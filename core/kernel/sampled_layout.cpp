#include "core/kernel/sampled_layout.h"

#include <algorithm>

namespace timeslice {

namespace {

using Interval = CoreOccupancy::Interval;

// a minus b, both in time order and disjoint.
std::vector<Interval> subtract(const std::vector<Interval>& a, const std::vector<Interval>& b)
{
    std::vector<Interval> out;
    for (Interval piece : a) {
        for (const Interval& cut : b) {
            if (cut.second <= piece.first || cut.first >= piece.second)
                continue;
            if (cut.first > piece.first)
                out.emplace_back(piece.first, cut.first);
            piece.first = std::max(piece.first, cut.second);
            if (piece.first >= piece.second)
                break;
        }
        if (piece.first < piece.second)
            out.push_back(piece);
    }
    return out;
}

void append(std::vector<KernelSlice>& out, Nanos from, Nanos to, CpuState state, int core)
{
    if (to <= from)
        return;
    const auto core16 = std::int16_t(state == CpuState::OnCore ? core : -1);
    if (!out.empty() && out.back().end == from && out.back().state == state && out.back().core == core16) {
        out.back().end = to;
        return;
    }
    out.push_back(KernelSlice { from, to, core16, state });
}

// Replaces [from, to), which lies inside slice `i`, by `state` on `core`.
void convert(std::vector<KernelSlice>& out, std::size_t i, Nanos from, Nanos to, CpuState state, int core)
{
    const KernelSlice s = out[i];
    std::vector<KernelSlice> pieces;
    if (s.start < from)
        pieces.push_back(KernelSlice { s.start, from, s.core, s.state });
    pieces.push_back(KernelSlice { from, to, std::int16_t(state == CpuState::OnCore ? core : -1), state });
    if (to < s.end)
        pieces.push_back(KernelSlice { to, s.end, s.core, s.state });
    out.erase(out.begin() + std::ptrdiff_t(i));
    out.insert(out.begin() + std::ptrdiff_t(i), pieces.begin(), pieces.end());
}

void merge_neighbours(std::vector<KernelSlice>& out, std::size_t from)
{
    std::size_t w = from > 0 ? from - 1 : 0;
    for (std::size_t r = w + 1; r < out.size(); ++r) {
        if (out[w].end == out[r].start && out[w].state == out[r].state && out[w].core == out[r].core)
            out[w].end = out[r].end;
        else
            out[++w] = out[r];
    }
    if (!out.empty())
        out.resize(w + 1);
}

// The first slice of `out` that ends after t.
std::size_t first_ending_after(const std::vector<KernelSlice>& out, Nanos t)
{
    return std::size_t(std::upper_bound(out.begin(), out.end(), t, [](Nanos v, const KernelSlice& s) { return v < s.end; })
        - out.begin());
}

// Gives `amount` of time on a core back to where the thread was laid out as off a core since
// `not_before`, latest first, on `core` where it is free there, else on any free core. Returns
// what found no room.
Nanos give_back_on_core(std::vector<KernelSlice>& out, CoreOccupancy& cores, Nanos amount, int core, Nanos not_before)
{
    const std::size_t first = first_ending_after(out, not_before);
    for (std::size_t i = out.size(); i-- > first && amount > 0;) {
        if (out[i].state == CpuState::OnCore)
            continue;
        const Nanos from = std::max(out[i].start, not_before), to = out[i].end;
        std::vector<Interval> used; // this thread on a core inside the slice: never on two at once
        std::vector<std::pair<Interval, int>> takes;
        for (int k = -1; k < cores.cores() && amount > 0; ++k) {
            const int c = k < 0 ? core : k;
            if (k >= 0 && k == core)
                continue;
            std::vector<Interval> room = subtract(cores.free(c, from, to), used);
            for (std::size_t r = room.size(); r-- > 0 && amount > 0;) {
                const Nanos take = std::min(amount, room[r].second - room[r].first);
                const Interval piece { room[r].second - take, room[r].second };
                takes.emplace_back(piece, c);
                used.push_back(piece);
                std::sort(used.begin(), used.end());
                amount -= take;
            }
        }
        // Latest first, so each conversion lies inside what is left of slice i.
        std::sort(takes.begin(), takes.end(), [](const auto& a, const auto& b) { return a.first.first > b.first.first; });
        for (const auto& [piece, c] : takes) {
            std::size_t j = i;
            while (j < out.size() && out[j].end <= piece.first)
                ++j;
            convert(out, j, piece.first, piece.second, CpuState::OnCore, c);
            cores.take(c, piece.first, piece.second);
        }
    }
    merge_neighbours(out, first);
    return amount;
}

// Turns the latest `amount` of asleep time since `not_before` into queued time.
void give_back_queued(std::vector<KernelSlice>& out, Nanos amount, Nanos not_before)
{
    const std::size_t first = first_ending_after(out, not_before);
    for (std::size_t i = out.size(); i-- > first && amount > 0;) {
        if (out[i].state != CpuState::Blocked)
            continue;
        const Nanos from = std::max(out[i].start, not_before);
        const Nanos take = std::min(amount, out[i].end - from);
        if (take <= 0)
            continue;
        convert(out, i, out[i].end - take, out[i].end, CpuState::Preempted, -1);
        amount -= take;
    }
    merge_neighbours(out, first);
}

} // namespace

std::vector<Interval> CoreOccupancy::free(int core, Nanos from, Nanos to) const
{
    std::vector<Interval> out;
    if (to <= from || core < 0)
        return out;
    Nanos at = from;
    if (std::size_t(core) < m_busy.size()) {
        const auto& busy = m_busy[std::size_t(core)];
        auto it = std::upper_bound(busy.begin(), busy.end(), from, [](Nanos v, const Interval& b) { return v < b.second; });
        for (; it != busy.end() && it->first < to; ++it) {
            if (it->first > at)
                out.emplace_back(at, it->first);
            at = std::max(at, it->second);
        }
    }
    if (at < to)
        out.emplace_back(at, to);
    return out;
}

void CoreOccupancy::take(int core, Nanos from, Nanos to)
{
    if (to <= from || core < 0)
        return;
    reserve_cores(core + 1);
    auto& busy = m_busy[std::size_t(core)];
    auto it = std::lower_bound(busy.begin(), busy.end(), from, [](const Interval& b, Nanos v) { return b.second < v; });
    Interval merged { from, to };
    auto last = it;
    while (last != busy.end() && last->first <= to) {
        merged.first = std::min(merged.first, last->first);
        merged.second = std::max(merged.second, last->second);
        ++last;
    }
    it = busy.erase(it, last);
    busy.insert(it, merged);
}

void CoreOccupancy::forget_before(Nanos t)
{
    for (auto& busy : m_busy) {
        const auto keep = std::find_if(busy.begin(), busy.end(), [t](const Interval& b) { return b.second > t; });
        busy.erase(busy.begin(), keep);
    }
}

const std::vector<Interval>& CoreOccupancy::taken(int core) const
{
    static const std::vector<Interval> none;
    return core >= 0 && std::size_t(core) < m_busy.size() ? m_busy[std::size_t(core)] : none;
}

void CoreOccupancy::reserve_cores(int n)
{
    if (n > int(m_busy.size()))
        m_busy.resize(std::size_t(n));
}

Nanos lay_out_sample(std::vector<KernelSlice>& out, CoreOccupancy& cores, Nanos start, Nanos end, Nanos on_core,
    Nanos queued, int core)
{
    if (end <= start)
        return 0;
    cores.reserve_cores(core + 1);
    const Nanos span = end - start;
    Nanos want = std::clamp<Nanos>(on_core, 0, span);

    // Its time on a core: where its own core is free, then where another one is.
    std::vector<std::pair<Interval, int>> pieces;
    std::vector<Interval> used;
    for (int k = -1; k < cores.cores() && want > 0; ++k) {
        const int c = k < 0 ? core : k;
        if (c < 0 || (k >= 0 && k == core))
            continue;
        for (const Interval& room : subtract(cores.free(c, start, end), used)) {
            const Nanos take = std::min(want, room.second - room.first);
            pieces.push_back({ { room.first, room.first + take }, c });
            want -= take;
            if (want == 0)
                break;
        }
        used.clear();
        for (const auto& p : pieces)
            used.push_back(p.first);
        std::sort(used.begin(), used.end());
    }
    std::sort(pieces.begin(), pieces.end());
    Nanos placed = 0;
    for (const auto& p : pieces)
        placed += p.first.second - p.first.first;

    // Off a core around it: queued first, then asleep.
    Nanos q = std::clamp<Nanos>(queued, 0, span - placed);
    const Nanos queued_excess = std::max<Nanos>(0, queued - q);
    const auto off_core = [&](Nanos from, Nanos to) {
        const Nanos queued_here = std::min(q, to - from);
        append(out, from, from + queued_here, CpuState::Preempted, -1);
        append(out, from + queued_here, to, CpuState::Blocked, -1);
        q -= queued_here;
    };
    Nanos at = start;
    for (const auto& [piece, c] : pieces) {
        off_core(at, piece.first);
        append(out, piece.first, piece.second, CpuState::OnCore, c);
        cores.take(c, piece.first, piece.second);
        at = piece.second;
    }
    off_core(at, end);

    // Counted late: it happened before, where this thread was laid out off a core.
    const Nanos unplaced = give_back_on_core(out, cores, std::max<Nanos>(0, on_core - placed), core, start - kBackFillWindow);
    give_back_queued(out, queued_excess, start - kBackFillWindow);
    return unplaced;
}

} // namespace timeslice
