#include "core/workload/workload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <vector>

using namespace timeslice;

namespace {

std::vector<Step> some_steps(std::size_t n)
{
    std::vector<Step> steps;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 2)
            steps.push_back(Compute { i * 1000, 0.5 * double(i) });
        else
            steps.push_back(Wait { Nanos(i) * 1'000'000, i % 4 == 0 });
    }
    return steps;
}

bool same_step(const Step& a, const Step& b)
{
    if (a.index() != b.index())
        return false;
    if (const auto* c = std::get_if<Compute>(&a))
        return c->iterations == std::get<Compute>(b).iterations && c->cpu_seconds == std::get<Compute>(b).cpu_seconds;
    const Wait& w = std::get<Wait>(a);
    return w.duration == std::get<Wait>(b).duration && w.blocking == std::get<Wait>(b).blocking;
}

bool same(const StepList<Step>& list, const std::vector<Step>& steps)
{
    return list.size() == steps.size() && std::equal(list.begin(), list.end(), steps.begin(), same_step);
}

} // namespace

// A task's steps in 32 bytes: one inline, more on the heap; every size keeps its steps in order
// through push_back, copies, moves and assignments.
TEST(StepList, StepsOfEveryCountKeepTheirOrderThroughCopiesAndMoves)
{
    static_assert(sizeof(StepList<Step>) == 32);
    for (std::size_t n = 0; n <= 9; ++n) {
        const std::vector<Step> steps = some_steps(n);
        StepList<Step> pushed;
        for (const Step& s : steps)
            pushed.push_back(s);
        EXPECT_TRUE(same(pushed, steps)) << n;
        EXPECT_EQ(pushed.empty(), n == 0);
        const StepList<Step> from_vector(steps);
        EXPECT_TRUE(same(from_vector, steps));
        StepList<Step> copy(pushed);
        EXPECT_TRUE(same(copy, steps));
        StepList<Step> moved(std::move(copy));
        EXPECT_TRUE(same(moved, steps));
        EXPECT_TRUE(copy.empty()); // NOLINT(bugprone-use-after-move): a moved-from list is empty
        StepList<Step> assigned { Wait { 1 } };
        assigned = pushed;
        EXPECT_TRUE(same(assigned, steps));
        assigned = std::move(moved);
        EXPECT_TRUE(same(assigned, steps));
        assigned = assigned;
        EXPECT_TRUE(same(assigned, steps));
        assigned.push_back(Wait { 7, true });
        EXPECT_EQ(assigned.size(), n + 1);
        EXPECT_EQ(std::get<Wait>(assigned.back()).duration, 7);
        EXPECT_TRUE(same(pushed, steps)) << "a copy's change reached its source";
        if (n > 0) {
            EXPECT_TRUE(same_step(assigned.at(n - 1), steps[n - 1]));
        }
        EXPECT_THROW((void)assigned.at(n + 1), std::out_of_range);
        assigned.clear();
        EXPECT_TRUE(assigned.empty());
    }
}

TEST(StepList, ATaskSpecHoldsOneStepWithoutAnAllocation)
{
    const TaskSpec spec { "A", { Wait { 1'000'000'000 } }, 1 };
    ASSERT_EQ(spec.steps.size(), 1u);
    const auto* inside = reinterpret_cast<const char*>(&spec);
    const auto* step = reinterpret_cast<const char*>(spec.steps.data());
    EXPECT_TRUE(step >= inside && step < inside + sizeof spec) << "the one step lives in the spec itself";
    EXPECT_EQ(std::get<Wait>(spec.steps[0]).duration, 1'000'000'000);
}
