#include "kmod/status/snapshot_status.hpp"

#include <fmt/core.h>

#include "kmod/status/status_words.hpp"

namespace volumes::kmod {

namespace {

SnapshotStatus in_state(SnapshotState state)
{
    SnapshotStatus status;
    status.state = state;
    return status;
}

}  // namespace

Result<SnapshotStatus> parse_snapshot_status(std::string_view params)
{
    const auto words = detail::split_status_words(params);
    if (words.empty())
        return detail::status_parse_error("snapshot", params, "empty (only snapshot-origin reports an empty status)");

    if (words.size() == 1 && words[0] == "Invalid")
        return in_state(SnapshotState::Invalid);
    if (words.size() == 2 && words[0] == "Merge" && words[1] == "failed")
        return in_state(SnapshotState::MergeFailed);
    if (words.size() == 1 && words[0] == "Overflow")
        return in_state(SnapshotState::Overflow);
    if (words.size() == 1 && words[0] == "Unknown")
        return in_state(SnapshotState::Unknown);

    if (words.size() > 2)
        return detail::status_parse_error("snapshot", params, fmt::format("{} fields, expected at most 2", words.size()));

    const auto usage = detail::parse_fraction(words[0]);
    if (!usage)
        return detail::status_parse_error("snapshot", params, fmt::format("'{}' is not <allocated>/<total> or a known state", words[0]));
    // The exception stores never allocate past the COW device's size.
    if (usage->numerator > usage->denominator)
        return detail::status_parse_error("snapshot", params, fmt::format("allocated {} exceeds the total {}", usage->numerator,
                                               usage->denominator));

    SnapshotStatus status;
    status.allocated_sectors = usage->numerator;
    status.total_sectors = usage->denominator;
    if (words.size() == 2) {
        const auto metadata = detail::parse_decimal(words[1]);
        if (!metadata)
            return detail::status_parse_error("snapshot", params, fmt::format("'{}' is not a metadata sector count", words[1]));
        status.metadata_sectors = metadata;
    }
    return status;
}

}  // namespace volumes::kmod
