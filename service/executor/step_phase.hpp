#pragma once

#include <optional>
#include <string_view>

#include "service/executor/executor_error.hpp"
#include "service/planner/plan.hpp"

namespace volumes::executor {

// The stretches of a plan, in the order they run; a fault point follows each of them.
enum class Phase { Create, Preload, Suspend, Commit, Resume, Rename, Remove, WaitForUdev };

Phase phase_of(const planner::Step& step);

// The fault point reached when `phase` is done, if any.
std::optional<std::string_view> fault_point_after(Phase phase);

// Refused unless the steps run phase by phase, hold no Create (the devices exist by now) and
// commit exactly once: the executor runs a plan phase by phase and places its fault points
// between them.
Result<void> check_phase_order(const planner::Plan& plan);

}  // namespace volumes::executor
