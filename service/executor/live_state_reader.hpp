#pragma once

#include <string_view>

#include "service/executor/executor_error.hpp"
#include "service/planner/live_state.hpp"

namespace volumes::executor {

// The kernel's dm devices whose uuid starts with `uuid_prefix`: info, live table and the
// children among them (DM_DEVICE_DEPS), as the planner takes them. Devices of other owners are
// neither listed nor touched. Kernel on a failed dm task.
Result<planner::LiveState> read_live_state(std::string_view uuid_prefix);

}  // namespace volumes::executor
