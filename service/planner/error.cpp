#include "service/planner/error.hpp"

namespace volumes::planner {

const char* to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidPrefix: return "InvalidPrefix";
    case ErrorCode::ForeignDevice: return "ForeignDevice";
    case ErrorCode::DuplicateName: return "DuplicateName";
    case ErrorCode::DuplicateUuid: return "DuplicateUuid";
    case ErrorCode::InvalidTable: return "InvalidTable";
    case ErrorCode::UnknownChild: return "UnknownChild";
    case ErrorCode::LeavingChild: return "LeavingChild";
    case ErrorCode::Cycle: return "Cycle";
    case ErrorCode::Busy: return "Busy";
    }
    return "Unknown";
}

}  // namespace volumes::planner
