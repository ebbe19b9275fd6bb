#pragma once

#include <string_view>

#include "service/executor/executor_error.hpp"

// Named places in a transaction where a test can stop the process, to prove that start-up
// reconciliation repairs whatever a crash there leaves behind.
//
// VOLUMESD_FAULT=<point>       the process kills itself with SIGKILL on reaching <point>
// VOLUMESD_FAULT=<point>:fail  the point returns ErrorCode::Fault instead (tests of revert).
//                              After the commit it stands for every later step failing:
//                              the transaction stops there (tests of healing)
// VOLUMESD_FAULT=<point>:fail-at=<n>  the same, only the n-th time (from 1) the process
//                              reaches <point>: every other transaction of a daemon (start-up
//                              reconciliation counts, and healing) goes through
// VOLUMESD_FAULT=<point>:hold-at=<n>  the n-th time, the thread that reaches <point> waits
//                              there while kFaultHoldFile exists (two minutes at most); the
//                              rest of the process goes on: a test holds one pool's change
// VOLUMESD_FAULT=<point>:stop  the process stops itself (SIGSTOP) there and goes on when
//                              continued (SIGCONT): a test looks at it mid-transaction
//
// Points of the executor, in the order a transaction reaches them: "precommitted",
// "created", "preloaded", "suspended", "committed", "resumed", "renamed", "removed"; the engine's
// metadata writer adds "member-precommitted" and "member-committed" (after the first member
// of several).
namespace volumes::executor {

inline constexpr const char* kFaultHoldFile = "/run/volumesd-fault-hold";

// Every point a transaction may reach, in that order.
inline constexpr std::string_view fault_points[] = {
    "member-precommitted", "precommitted", "created", "preloaded", "suspended",
    "member-committed",    "committed",    "resumed", "renamed", "removed",
};

// Reads VOLUMESD_FAULT each call (tests set it per child process). Returns normally when the
// variable is unset or names another point.
Result<void> fault_point(std::string_view name);

}  // namespace volumes::executor
