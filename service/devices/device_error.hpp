#pragma once

#include <expected>
#include <string>
#include <utility>

namespace volumes::devices {

enum class ErrorCode {
    InvalidArgument,  // not a block device
    NotFound,         // no such path
    InUse,            // mounted, held by another device (dm, md, a partition in use) or opened exclusively
    HasSignature,     // libblkid found a filesystem, partition table, RAID/LVM member or pool label
    Io,               // a system call or libudev/libblkid failed
};

const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
    int errnum = 0;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message, int errnum = 0)
{
    return std::unexpected<Error>(Error{code, std::move(message), errnum});
}

}  // namespace volumes::devices
