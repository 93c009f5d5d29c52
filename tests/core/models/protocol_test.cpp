#include "core/models/worker_protocol.h"

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::protocol;

TEST(Protocol, TaskLineRoundTrips)
{
    const std::vector<Step> steps { Compute { 12345 }, Wait { 500'000'000 }, Wait { 7, true } };
    std::string line = encode_task(7, steps);
    ASSERT_EQ(line.back(), '\n');
    line.pop_back();
    TaskMessage m;
    std::string error;
    ASSERT_TRUE(parse_task(line, m, error)) << error;
    EXPECT_EQ(m.task, 7u);
    ASSERT_EQ(m.steps.size(), 3u);
    EXPECT_EQ(std::get<Compute>(m.steps[0]).iterations, 12345u);
    EXPECT_EQ(std::get<Wait>(m.steps[1]).duration, 500'000'000);
    EXPECT_FALSE(std::get<Wait>(m.steps[1]).blocking);
    EXPECT_EQ(std::get<Wait>(m.steps[2]).duration, 7);
    EXPECT_TRUE(std::get<Wait>(m.steps[2]).blocking);
}

TEST(Protocol, WorkerMessagesRoundTrip)
{
    std::string line = encode(EventMessage { 3, State::Waiting, 987654321, 1, 4242 });
    line.pop_back();
    WorkerMessage m;
    std::string error;
    ASSERT_TRUE(parse_worker_message(line, m, error)) << error;
    const auto& e = std::get<EventMessage>(m);
    EXPECT_EQ(e.task, 3u);
    EXPECT_EQ(e.state, State::Waiting);
    EXPECT_EQ(e.t, 987654321);
    EXPECT_EQ(e.tid, 4242);

    line = encode(ResultMessage { 2, 55, "333333328333333350000000" });
    line.pop_back();
    ASSERT_TRUE(parse_worker_message(line, m, error)) << error;
    EXPECT_EQ(std::get<ResultMessage>(m).result, "333333328333333350000000");
}

TEST(Protocol, GarbageIsRejectedWithAReason)
{
    WorkerMessage m;
    std::string error;
    for (const char* bad : { "", "hello world", "E 1 2", "E 1 99 5 0 1", "E x 2 3 4 5", "R 1 2 not-a-number",
             "E 1 2 3 4 5 6", "\x01\x02\x03" }) {
        EXPECT_FALSE(parse_worker_message(bad, m, error)) << bad;
        EXPECT_FALSE(error.empty());
    }
    TaskMessage t;
    for (const char* bad : { "T", "T 1", "T 1 2 C 5", "T 1 1 X 5", "T 1 1 W -5", "T 1 1 C 5 extra" })
        EXPECT_FALSE(parse_task(bad, t, error)) << bad;
}
