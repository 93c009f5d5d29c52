#pragma once

// Memory faulted in at once. A vector that grows by doubling touches each new page with a trap
// (a page fault, dear on a virtual machine: ~10 us here); one madvise(MADV_POPULATE_WRITE) over
// the new room does the same work without them. Where the kernel lacks it (before 5.14) the pages
// fault in as they are written, as they always did.

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace timeslice {

// How much one madvise faults in: the kernel holds the process's mmap lock (for reading) for a
// whole call, and a thread that maps or unmaps memory meanwhile (a malloc or free of a big
// block) waits for it, with every page fault queued behind that one. In pieces of one huge page
// the lock is let go between them, though a waiting writer may still wait out several (the
// kernel lets a reader take the lock ahead of it for a while): where another thread must not
// wait, such as a live snapshot's rows with the GUI thread running, do not populate at all
// (TraceBuilder::build_into).
inline constexpr std::size_t kPopulateChunk = std::size_t(2) << 20;

// Faults in the whole pages inside [data, data + bytes), for writing, in pieces of
// kPopulateChunk. Small ranges are left alone. `huge`: in huge pages where the kernel lends them
// (for one big buffer written once).
inline void populate(void* data, std::size_t bytes, bool huge = false) noexcept
{
#ifndef MADV_POPULATE_WRITE
    constexpr int MADV_POPULATE_WRITE = 23;
#endif
    static const auto page = std::uintptr_t(sysconf(_SC_PAGESIZE));
    if (bytes < 16 * page)
        return;
    const auto from = (std::uintptr_t(data) + page - 1) & ~(page - 1);
    const auto to = (std::uintptr_t(data) + bytes) & ~(page - 1);
    if (to <= from)
        return;
    // Tens of megabytes (a loaded trace's text, a million spans) in huge pages where the kernel
    // has them for the asking (transparent_hugepage "madvise"): one fault and one TLB entry for
    // 2 MB, not 512. Writing 137 MB took 157 ms on 4 KB pages here and 13 ms on huge ones.
    if (huge && to - from >= (std::uintptr_t(8) << 20))
        ::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
    // Pieces end on a chunk boundary, so a huge page is faulted in by one call, not split.
    for (std::uintptr_t at = from; at < to;) {
        const std::uintptr_t end = std::min<std::uintptr_t>(to, (at + kPopulateChunk) & ~(std::uintptr_t(kPopulateChunk) - 1));
        if (::madvise(reinterpret_cast<void*>(at), end - at, MADV_POPULATE_WRITE) != 0)
            return; // not supported here (before Linux 5.14): the pages fault in as written
        at = end;
    }
}

// v.push_back(value), growing v (when full) to twice its room in populated memory before its
// elements move there.
template <typename T>
void push_back_populated(std::vector<T>& v, T value)
{
    if (v.size() == v.capacity()) {
        std::vector<T> bigger;
        bigger.reserve(std::max<std::size_t>(64, 2 * v.capacity()));
        populate(bigger.data(), bigger.capacity() * sizeof(T));
        std::move(v.begin(), v.end(), std::back_inserter(bigger));
        v.swap(bigger);
    }
    v.push_back(std::move(value));
}

// Gives back the whole pages of v's room past its size: a vector grown by doubling in populated
// memory holds up to twice what it uses (a loaded 10 M-span trace kept 54 bytes a span resident,
// not 32). Its capacity stays; a page is faulted in again (zeroed) if the vector grows into it.
template <typename T>
void release_unused(std::vector<T>& v) noexcept
{
    static const auto page = std::uintptr_t(sysconf(_SC_PAGESIZE));
    const auto from = (std::uintptr_t(v.data() + v.size()) + page - 1) & ~(page - 1);
    const auto to = std::uintptr_t(v.data() + v.capacity()) & ~(page - 1);
    if (v.data() && to > from)
        ::madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
}

} // namespace timeslice
