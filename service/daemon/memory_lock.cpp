#include "service/daemon/memory_lock.hpp"

#include <cerrno>
#include <cstring>

#include <sys/mman.h>

#include "service/logging/log.hpp"

namespace volumes::daemon {

bool lock_memory()
{
    // Not MCL_ONFAULT: pages of the binary not touched yet would still fault in later.
    if (::mlockall(MCL_CURRENT | MCL_FUTURE) == 0)
        return true;
    const int error = errno;
    logging::warning({}, "cannot lock the daemon's memory (mlockall: {}); a device it pages in from must not be "
                         "suspended by it (grant CAP_IPC_LOCK or raise LimitMEMLOCK)",
                     std::strerror(error));
    return false;
}

}  // namespace volumes::daemon
