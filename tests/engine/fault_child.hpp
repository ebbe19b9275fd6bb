#pragma once

// The crash half of the fault tests (split_fault_test.cpp, snapshot_fault_support.hpp,
// thin_fault_test.cpp): one engine call run in a child process that VOLUMESD_FAULT kills at a
// fault point, and which points a transaction's commit precedes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "service/engine/engine.hpp"

namespace volumes::test {

// Starts an engine in a child process (its start-up reconciles, like a daemon's), runs
// `before` on it with no fault set (its exit status 4 when it fails), then sets
// VOLUMESD_FAULT=`point` and runs `call`, exiting with what `call` returns. Returns the signal
// that ended the child, or minus its exit status (2: the engine did not start).
inline int killed_in_child_at(std::string_view point, const std::function<int(engine::Engine&)>& call,
                              const std::function<bool(engine::Engine&)>& before = {})
{
    const pid_t child = ::fork();
    if (child < 0)
        throw std::runtime_error("fork failed");
    if (child == 0) {
        auto engine = engine::Engine::start();
        if (!engine)
            ::_exit(2);
        if (before && !before(**engine))
            ::_exit(4);
        // Set only now: start-up reconciliation (and `before`) run transactions through the
        // same points.
        ::setenv("VOLUMESD_FAULT", std::string(point).c_str(), 1);
        ::_exit(call(**engine));
    }
    int status = 0;
    if (::waitpid(child, &status, 0) != child)
        throw std::runtime_error("waitpid failed");
    return WIFSIGNALED(status) ? WTERMSIG(status) : -WEXITSTATUS(status);
}

inline bool committed_before_kill(std::string_view point)
{
    // The first member's commit makes the new document the pool's: the highest committed
    // sequence number wins on the next read.
    return point == "member-committed" || point == "committed" || point == "resumed" || point == "renamed" ||
           point == "removed";
}

}  // namespace volumes::test
