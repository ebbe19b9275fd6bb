#include "service/engine/engine_error.hpp"

namespace volumes::engine {

const char* to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::AlreadyExists: return "AlreadyExists";
    case ErrorCode::Busy: return "Busy";
    case ErrorCode::InUse: return "InUse";
    case ErrorCode::NotSupported: return "NotSupported";
    case ErrorCode::KernelTooOld: return "KernelTooOld";
    case ErrorCode::NoSpace: return "NoSpace";
    case ErrorCode::Cancelled: return "Cancelled";
    case ErrorCode::Failed: return "Failed";
    }
    return "Failed";
}

}  // namespace volumes::engine
