#include "service/devices/device_error.hpp"

namespace volumes::devices {

const char* to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::InUse: return "InUse";
    case ErrorCode::HasSignature: return "HasSignature";
    case ErrorCode::Io: return "Io";
    }
    return "Unknown";
}

}  // namespace volumes::devices
