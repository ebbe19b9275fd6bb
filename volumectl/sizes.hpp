#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace volumectl {

// A byte count as users write it: "1048576", "512K", "64M", "1G", "2T", with an optional
// "iB" or "B" after the unit ("64MiB"); units are powers of 1024. Throws UsageError.
std::uint64_t parse_size(std::string_view text, std::string_view what);

// "64 MiB", "1.5 GiB", "512 B": for people.
std::string format_size(std::uint64_t bytes);

}  // namespace volumectl
