#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kmod/table_line.hpp"
#include "service/planner/live_state.hpp"
#include "service/planner/plan.hpp"
#include "tests/executor/layered_graph.hpp"

// What the tests look at in the kernel. Failures to read throw.
namespace volumes::executor::test {

planner::LiveState pool_state();

// The devices without their open counts, which udev's probes change at will.
std::vector<planner::LiveDevice> comparable(planner::LiveState state);

const planner::LiveDevice* find_device(const planner::LiveState& state, const std::string& role);

// The inactive table of a device, straight from libdevmapper: kmod reads live tables only.
kmod::Table inactive_table(const std::string& uuid);

// Success if the pool's devices are exactly `layers`: their names, live tables as derived
// from the numbers the devices have now, none suspended, none with an inactive table.
::testing::AssertionResult pool_matches(const Layers& layers);

// "load <uuid>", "commit-metadata", ...: each step without its table.
std::vector<std::string> summaries(const planner::Plan& plan);

// Removes every device of the test pool, whatever state a failed test left them in.
void remove_pool_devices();

}  // namespace volumes::executor::test

namespace volumes::planner {

// For gtest's messages (found by argument-dependent lookup).
void PrintTo(const LiveDevice& device, std::ostream* out);

}  // namespace volumes::planner
