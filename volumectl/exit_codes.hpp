#pragma once

#include <volumes/client/errors.hpp>

// volumectl's exit status, documented in volumectl.1 (EXIT STATUS).
namespace volumectl {

enum ExitCode : int {
    exit_ok = 0,
    exit_failed = 1,            // Failed, or anything unexpected
    exit_bad_input = 2,         // a usage error, a value volumectl rejects, or InvalidArgument
    exit_not_authorized = 3,    // NotAuthorized
    exit_not_found = 4,         // NotFound: no such pool, volume, job or device
    exit_already_exists = 5,    // AlreadyExists
    exit_busy = 6,              // Busy
    exit_in_use = 7,            // InUse
    exit_not_supported = 8,     // NotSupported: the object cannot do this (or not yet)
    exit_kernel_too_old = 9,    // KernelTooOld
    exit_no_space = 10,         // NoSpace
    exit_job_failed = 11,       // a job it waited for ended without success (or Cancelled)
    exit_bus = 12,              // the bus or volumesd could not be reached, or answered oddly
    exit_interrupted = 130,     // interrupted (SIGINT/SIGTERM) while waiting; the job goes on
};

int exit_code_for(volumes::client::ErrorCode code);

}  // namespace volumectl
