#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "kmod/error.hpp"

namespace volumes::kmod {

// A block device as tables name it: "major:minor".
struct DeviceNumber {
    std::uint32_t major = 0;
    std::uint32_t minor = 0;

    static DeviceNumber from_dev_t(dev_t dev);
    static Result<DeviceNumber> parse(std::string_view text);
    // The device number of a block device node, e.g. "/dev/loop0".
    static Result<DeviceNumber> of_path(const std::string& path);

    dev_t to_dev_t() const;
    std::string to_string() const;

    auto operator<=>(const DeviceNumber&) const = default;
};

}  // namespace volumes::kmod
