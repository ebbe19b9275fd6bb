#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace volumes::logging {

// A logged message and each of its fields are cut to these many bytes, so a caller's 10 MB
// name costs the log a line, not 10 MB.
inline constexpr std::size_t max_message_bytes = 2048;
inline constexpr std::size_t max_field_bytes = 256;

// `text` when it fits in `limit` bytes; else its first bytes up to a UTF-8 character
// boundary within `limit`, then "… [<n> more bytes]".
std::string bounded_text(std::string_view text, std::size_t limit);

}  // namespace volumes::logging
