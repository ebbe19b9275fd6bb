#include "service/executor/executor_error.hpp"

namespace volumes::executor {

const char* to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Refused: return "refused";
    case ErrorCode::Busy: return "busy";
    case ErrorCode::Kernel: return "kernel";
    case ErrorCode::Metadata: return "metadata";
    case ErrorCode::Fault: return "fault";
    }
    return "unknown";
}

}  // namespace volumes::executor
