#pragma once

#include <expected>
#include <string>
#include <utility>

namespace volumes::kmod {

enum class ErrorCode {
    InvalidArgument,    // a table or message the caller built is not valid
    NotFound,           // no such dm device, target or module
    AlreadyExists,      // a dm device with that name or uuid exists
    Busy,               // the kernel said EBUSY (device open, set suspended, snapshot held)
    KernelTooOld,       // the running target version cannot do what was asked
    ModuleUnavailable,  // a kernel module could not be loaded
    Kernel,             // any other failure reported by the kernel or libdevmapper
    Parse,              // a status or table line the parsers do not understand
};

const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
    int errnum = 0;  // errno from the kernel where there was one
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message, int errnum = 0)
{
    return std::unexpected<Error>(Error{code, std::move(message), errnum});
}

}  // namespace volumes::kmod
