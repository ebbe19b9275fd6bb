#pragma once

#include "kmod/error.hpp"
#include "service/executor/executor_error.hpp"

namespace volumes::executor {

inline std::unexpected<Error> kernel_failure(const kmod::Error& error, bool committed = false)
{
    return fail(ErrorCode::Kernel, error.message, committed);
}

}  // namespace volumes::executor
