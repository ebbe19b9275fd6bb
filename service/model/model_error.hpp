#pragma once

#include <expected>
#include <string>
#include <utility>

namespace volumes::model {

enum class ErrorCode {
    InvalidArgument,  // a name, size or option the model cannot take
    NotFound,         // a volume or member the request names is not in the pool
    AlreadyExists,    // a name or uuid already used in the pool
    NoSpace,          // the members lack the free extents a request needs
    Corrupt,          // a pool document that does not decode or contradicts itself
    Unsupported,      // a pool document with a volume kind or field this version does not know
};

const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message)
{
    return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace volumes::model
