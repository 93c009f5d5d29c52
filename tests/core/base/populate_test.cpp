#include "core/base/populate.h"
#include "core/trace/trace.h"

#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

using namespace timeslice;

namespace {

// How many of the whole pages in [from, to) are resident, and how many there are.
std::pair<std::size_t, std::size_t> resident_pages(const void* from, const void* to)
{
    const auto page = std::uintptr_t(sysconf(_SC_PAGESIZE));
    const auto a = (std::uintptr_t(from) + page - 1) & ~(page - 1);
    const auto b = std::uintptr_t(to) & ~(page - 1);
    if (b <= a)
        return { 0, 0 };
    std::vector<unsigned char> in((b - a) / page);
    if (mincore(reinterpret_cast<void*>(a), b - a, in.data()) != 0)
        return { 0, 0 };
    std::size_t n = 0;
    for (unsigned char c : in)
        n += c & 1;
    return { n, in.size() };
}

Span span_at(std::size_t i) { return Span { Nanos(i) * 10, Nanos(i) * 10 + 10, 1, 2, std::int16_t(i % 4), State::Running }; }

} // namespace

// populate() works in pieces of kPopulateChunk (so the kernel's mmap lock is let go between
// them): a range that starts and ends inside a piece, over several of them, is resident from its
// first whole page to its last, and the pages outside it are not touched.
TEST(Populate, ARangeOverSeveralPiecesIsResidentFromItsFirstWholePageToItsLast)
{
    const auto page = std::size_t(sysconf(_SC_PAGESIZE));
    const std::size_t size = 5 * kPopulateChunk + 16 * page;
    void* map = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(map, MAP_FAILED);
    // Small pages only (transparent_hugepage may be "always"): a huge page would make pages
    // around the range resident too.
    madvise(map, size, MADV_NOHUGEPAGE);
    auto* base = static_cast<char*>(map);
    // From 3 pages and 100 bytes in to 3.5 pieces later: not aligned to a page or a piece.
    char* from = base + 3 * page + 100;
    char* to = from + 3 * kPopulateChunk + kPopulateChunk / 2;
    populate(from, std::size_t(to - from));
    const auto [in, pages] = resident_pages(from, to);
    EXPECT_GT(pages, 3 * kPopulateChunk / page);
    EXPECT_EQ(in, pages);
    EXPECT_EQ(resident_pages(base, base + 3 * page).first, 0u); // before: the partial page too
    EXPECT_EQ(resident_pages(to + page, base + size).first, 0u); // after the last partial page
    munmap(map, size);
}

// A loaded trace's rows grow by doubling in memory faulted in at once; once read, the room past
// each row's size is given back: the spans stay, the pages after them are no longer resident,
// and the row can still grow.
TEST(Populate, ReleasingAVectorsUnusedRoomKeepsItsElementsAndFreesThePagesPastThem)
{
    std::vector<Span> spans;
    for (std::size_t i = 0; i < 300'000; ++i)
        push_back_populated(spans, span_at(i));
    ASSERT_GE(spans.capacity(), 400'000u); // doubled past 262,144
    const auto [before, pages] = resident_pages(spans.data() + spans.size(), spans.data() + spans.capacity());
    ASSERT_GT(pages, 100u);
    EXPECT_EQ(before, pages); // populated: all of the room was resident

    release_unused(spans);
    EXPECT_EQ(resident_pages(spans.data() + spans.size(), spans.data() + spans.capacity()).first, 0u);
    const auto [used, used_pages] = resident_pages(spans.data(), spans.data() + spans.size());
    EXPECT_EQ(used, used_pages);
    for (std::size_t i = 0; i < spans.size(); ++i)
        ASSERT_EQ(spans[i], span_at(i)) << i;

    const Span* data = spans.data();
    for (std::size_t i = 300'000; i < 350'000; ++i)
        spans.push_back(span_at(i));
    EXPECT_EQ(spans.data(), data); // grew into the room given back
    for (std::size_t i = 0; i < spans.size(); ++i)
        ASSERT_EQ(spans[i], span_at(i)) << i;

    std::vector<Span> empty;
    release_unused(empty); // nothing to give back, nothing done
    EXPECT_TRUE(empty.empty());
}
