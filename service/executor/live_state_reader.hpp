#pragma once

#include <string_view>

#include "service/executor/executor_error.hpp"
#include "service/graph/change_scope.hpp"
#include "service/planner/live_state.hpp"

namespace volumes::executor {

// The kernel's dm devices whose uuid starts with `uuid_prefix`: info, live table and the
// children among them (DM_DEVICE_DEPS), as the planner takes them. Devices of other owners are
// neither listed nor touched. Kernel on a failed dm task.
Result<planner::LiveState> read_live_state(std::string_view uuid_prefix);

struct ScopedLiveState {
    // The scope's devices that exist, read as read_live_state reads them, and any device
    // holding one of the scope's new names.
    planner::LiveState live;
    // The numbers of the scope's `stacked_on` devices that exist.
    graph::DeviceNumbers stacked_on;
};

// The same for the devices of one change only: each looked up by uuid (or name), so the cost
// follows the scope and not the pool or the machine. A device of the pool outside the scope
// that holds one of the new names is refused (Refused): the pool's devices are not what its
// metadata says, and only a whole-pool reconciliation may touch it.
Result<ScopedLiveState> read_live_state(std::string_view uuid_prefix, const graph::ChangeScope& scope);

}  // namespace volumes::executor
