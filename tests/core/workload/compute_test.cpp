#include "core/workload/compute.h"

#include <gtest/gtest.h>

using namespace timeslice;

TEST(Compute, SquareSumIsTheIntegerPythonPrints)
{
    // Python: sum(i * i for i in range(100000000))
    EXPECT_EQ(to_string(square_sum(0, 100'000'000)), "333333328333333350000000");
}

TEST(Compute, LoopAgreesWithTheClosedForm)
{
    for (std::uint64_t n : { 0ULL, 1ULL, 2ULL, 3ULL, 10ULL, 65537ULL, 1'000'003ULL })
        EXPECT_EQ(to_string(square_sum(0, n)), to_string(square_sum_closed_form(n))) << n;
}

TEST(Compute, SlicesAddUpToTheWhole)
{
    const u128 whole = square_sum(0, 300'000);
    const u128 parts = square_sum(0, 100'000) + square_sum(100'000, 200'000) + square_sum(200'000, 300'000);
    EXPECT_EQ(to_string(whole), to_string(parts));
}

TEST(Compute, ExceedsSixtyFourBits)
{
    EXPECT_EQ(to_string(square_sum_closed_form(10'000'000'000ULL)), "333333333283333333335000000000");
}
