#pragma once

#include <expected>
#include <string>
#include <utility>

namespace volumes::metadata {

enum class ErrorCode {
    InvalidArgument,  // the caller asked for something the format cannot hold or a misuse of the protocol
    NotFound,         // not ours: no label, no metadata area, no copy of that kind
    Corrupt,          // ours, but a checksum or a consistency check failed
    Unsupported,      // ours and intact, but written by a newer format version
    NoSpace,          // a document or a layout that does not fit
    Io,               // a read, write or flush failed
};

const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
    int errnum = 0;  // errno where a system call failed
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message, int errnum = 0)
{
    return std::unexpected<Error>(Error{code, std::move(message), errnum});
}

}  // namespace volumes::metadata
