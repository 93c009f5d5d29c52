#pragma once

#include "core/base/clock.h"
#include "core/trace/state.h"
#include "core/workload/workload.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <span>
#include <vector>

namespace timeslice::protocol {

// The processes model talks to its workers in lines of text over a socket pair, one message a
// line, so a worker that writes garbage is caught by a strict parser rather than trusted.
//
//   parent -> worker   T <task> <step count> (C <iterations> | W <ns> | B <ns>)...  B: a blocking sleep
//   worker -> parent   E <task> <state> <t ns> <core> <tid>      a state change
//                      R <task> <t ns> <result>                   done, with its result
constexpr std::size_t kMaxLine = 1 << 20;

struct TaskMessage {
    std::uint32_t task = 0;
    std::vector<Step> steps;
};

struct EventMessage {
    std::uint32_t task = 0;
    State state = State::Running;
    Nanos t = 0;
    std::int32_t core = -1;
    std::int32_t tid = 0;
};

struct ResultMessage {
    std::uint32_t task = 0;
    Nanos t = 0;
    std::string result;
};

using WorkerMessage = std::variant<EventMessage, ResultMessage>;

std::string encode_task(std::uint32_t task, std::span<const Step> steps);
std::string encode(const EventMessage& m);
std::string encode(const ResultMessage& m);

// Each returns false and sets `error` to what is wrong with the line.
bool parse_task(std::string_view line, TaskMessage& out, std::string& error);
bool parse_worker_message(std::string_view line, WorkerMessage& out, std::string& error);

} // namespace timeslice::protocol
