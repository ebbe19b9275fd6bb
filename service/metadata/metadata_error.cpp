#include "service/metadata/metadata_error.hpp"

namespace volumes::metadata {

const char* to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::Corrupt: return "Corrupt";
    case ErrorCode::Unsupported: return "Unsupported";
    case ErrorCode::NoSpace: return "NoSpace";
    case ErrorCode::Io: return "Io";
    }
    return "Unknown";
}

}  // namespace volumes::metadata
