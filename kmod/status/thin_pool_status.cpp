#include "kmod/status/thin_pool_status.hpp"

#include <fmt/core.h>

#include "kmod/status/status_words.hpp"

namespace volumes::kmod {

namespace {

ThinPoolStatus in_state(ThinPoolState state)
{
    ThinPoolStatus status;
    status.state = state;
    return status;
}

std::optional<ThinPoolMode> mode_from_word(std::string_view word)
{
    if (word == "rw")
        return ThinPoolMode::ReadWrite;
    if (word == "ro")
        return ThinPoolMode::ReadOnly;
    if (word == "out_of_data_space")
        return ThinPoolMode::OutOfDataSpace;
    return std::nullopt;
}

std::optional<ThinPoolDiscards> discards_from_word(std::string_view word)
{
    if (word == "discard_passdown")
        return ThinPoolDiscards::Passdown;
    if (word == "no_discard_passdown")
        return ThinPoolDiscards::NoPassdown;
    if (word == "ignore_discard")
        return ThinPoolDiscards::Ignore;
    return std::nullopt;
}

std::optional<ThinPoolNoSpacePolicy> no_space_policy_from_word(std::string_view word)
{
    if (word == "queue_if_no_space")
        return ThinPoolNoSpacePolicy::Queue;
    if (word == "error_if_no_space")
        return ThinPoolNoSpacePolicy::Error;
    return std::nullopt;
}

}  // namespace

Result<ThinPoolStatus> parse_thin_pool_status(std::string_view params)
{
    const auto words = detail::split_status_words(params);
    if (words.empty())
        return detail::status_parse_error("thin-pool", params, "empty");
    if (words.size() == 1 && words[0] == "Fail")
        return in_state(ThinPoolState::Fail);
    if (words.size() == 1 && words[0] == "Error")
        return in_state(ThinPoolState::Error);
    if (words.size() < 4)
        return detail::status_parse_error("thin-pool", params, fmt::format("{} fields, expected at least 4", words.size()));
    if (words.size() > 9)
        return detail::status_parse_error("thin-pool", params, fmt::format("{} fields, expected at most 9", words.size()));

    ThinPoolStatus status;

    const auto transaction_id = detail::parse_decimal(words[0]);
    if (!transaction_id)
        return detail::status_parse_error("thin-pool", params, fmt::format("'{}' is not a transaction id", words[0]));
    status.transaction_id = *transaction_id;

    // The pool computes used as total minus free, so used never exceeds total.
    const auto metadata = detail::parse_fraction(words[1]);
    if (!metadata || metadata->numerator > metadata->denominator)
        return detail::status_parse_error("thin-pool", params, fmt::format("'{}' is not <used>/<total> metadata blocks", words[1]));
    status.used_metadata_blocks = metadata->numerator;
    status.total_metadata_blocks = metadata->denominator;

    const auto data = detail::parse_fraction(words[2]);
    if (!data || data->numerator > data->denominator)
        return detail::status_parse_error("thin-pool", params, fmt::format("'{}' is not <used>/<total> data blocks", words[2]));
    status.used_data_blocks = data->numerator;
    status.total_data_blocks = data->denominator;

    if (words[3] != "-") {
        const auto held_root = detail::parse_decimal(words[3]);
        if (!held_root)
            return detail::status_parse_error("thin-pool", params, fmt::format("'{}' is not a held metadata root or '-'", words[3]));
        status.held_root = held_root;
    }

    if (words.size() > 4) {
        status.mode = mode_from_word(words[4]);
        if (!status.mode)
            return detail::status_parse_error("thin-pool", params, fmt::format("'{}' is not a pool mode (rw, ro, out_of_data_space)", words[4]));
    }
    if (words.size() > 5) {
        status.discards = discards_from_word(words[5]);
        if (!status.discards)
            return detail::status_parse_error("thin-pool", params, fmt::format("'{}' is not a discard mode", words[5]));
    }
    if (words.size() > 6) {
        status.no_space_policy = no_space_policy_from_word(words[6]);
        if (!status.no_space_policy)
            return detail::status_parse_error("thin-pool", params, fmt::format("'{}' is not a no-space policy", words[6]));
    }
    if (words.size() > 7) {
        if (words[7] != "needs_check" && words[7] != "-")
            return detail::status_parse_error("thin-pool", params, fmt::format("'{}' is not needs_check or '-'", words[7]));
        status.needs_check = words[7] == "needs_check";
    }
    if (words.size() > 8) {
        status.metadata_low_watermark = detail::parse_decimal(words[8]);
        if (!status.metadata_low_watermark)
            return detail::status_parse_error("thin-pool", params, fmt::format("'{}' is not a metadata low watermark", words[8]));
    }

    return status;
}

}  // namespace volumes::kmod
