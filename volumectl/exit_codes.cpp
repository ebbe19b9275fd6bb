#include "exit_codes.hpp"

namespace volumectl {

int exit_code_for(volumes::client::ErrorCode code)
{
    using volumes::client::ErrorCode;
    switch (code) {
    case ErrorCode::NotAuthorized: return exit_not_authorized;
    case ErrorCode::InvalidArgument: return exit_bad_input;
    case ErrorCode::NotFound: return exit_not_found;
    case ErrorCode::AlreadyExists: return exit_already_exists;
    case ErrorCode::Busy: return exit_busy;
    case ErrorCode::InUse: return exit_in_use;
    case ErrorCode::NotSupported: return exit_not_supported;
    case ErrorCode::KernelTooOld: return exit_kernel_too_old;
    case ErrorCode::NoSpace: return exit_no_space;
    case ErrorCode::Cancelled: return exit_job_failed;
    case ErrorCode::Failed: return exit_failed;
    case ErrorCode::Bus: return exit_bus;
    case ErrorCode::WaitInterrupted: return exit_interrupted;
    }
    return exit_failed;
}

}  // namespace volumectl
