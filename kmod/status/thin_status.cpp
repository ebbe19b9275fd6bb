#include "kmod/status/thin_status.hpp"

#include <fmt/core.h>

#include "kmod/status/status_words.hpp"

namespace volumes::kmod {

namespace {

ThinStatus in_state(ThinState state)
{
    ThinStatus status;
    status.state = state;
    return status;
}

}  // namespace

Result<ThinStatus> parse_thin_status(std::string_view params)
{
    const auto words = detail::split_status_words(params);
    if (words.empty())
        return detail::status_parse_error("thin", params, "empty");
    if (words.size() == 1 && words[0] == "Fail")
        return in_state(ThinState::Fail);
    if (words.size() == 1 && words[0] == "Error")
        return in_state(ThinState::Error);
    if (words.size() != 2)
        return detail::status_parse_error("thin", params, fmt::format("{} fields, expected 2", words.size()));

    ThinStatus status;
    const auto mapped = detail::parse_decimal(words[0]);
    if (!mapped)
        return detail::status_parse_error("thin", params, fmt::format("'{}' is not a mapped sector count", words[0]));
    status.mapped_sectors = *mapped;

    // The two counts come from separate metadata lookups, so they are not cross-checked:
    // a write between them can make one say "nothing mapped" while the other does not.
    if (words[1] != "-") {
        const auto highest = detail::parse_decimal(words[1]);
        if (!highest)
            return detail::status_parse_error("thin", params, fmt::format("'{}' is not a highest mapped sector or '-'", words[1]));
        status.highest_mapped_sector = highest;
    }
    return status;
}

}  // namespace volumes::kmod
