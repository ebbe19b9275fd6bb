#include "kmod/error.hpp"

namespace volumes::kmod {

const char* to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::AlreadyExists: return "AlreadyExists";
    case ErrorCode::Busy: return "Busy";
    case ErrorCode::KernelTooOld: return "KernelTooOld";
    case ErrorCode::ModuleUnavailable: return "ModuleUnavailable";
    case ErrorCode::Kernel: return "Kernel";
    case ErrorCode::Parse: return "Parse";
    }
    return "Unknown";
}

}  // namespace volumes::kmod
