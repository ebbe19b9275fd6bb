#pragma once

namespace volumes::daemon {

// mlockall(MCL_CURRENT | MCL_FUTURE): between a transaction's first suspend and its last
// resume a page fault that must read from a suspended device (the binary, a library, swap)
// would never return. Without CAP_IPC_LOCK or a large enough RLIMIT_MEMLOCK this only warns:
// the daemon still works, it is just not safe to suspend the device it runs from.
// Returns whether the memory is locked.
bool lock_memory();

}  // namespace volumes::daemon
