#pragma once

#include "kmod/error.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

// Word-level helpers shared by the status parsers. Every number in a dm status line is an
// unsigned decimal; anything else in a numeric position is a parse error, never a zero.
namespace volumes::kmod::detail {

// The blank-separated words of a status line. Runs of blanks and a trailing blank (thin-pool
// ends its line with one) produce no empty words.
std::vector<std::string_view> split_status_words(std::string_view line);

// The Parse error every status parser returns: "<target> status '<params>': <what>".
std::unexpected<Error> status_parse_error(std::string_view target, std::string_view params, std::string_view what);

// The whole word as an unsigned decimal: no sign, no blanks, no trailing characters, no overflow.
std::optional<std::uint64_t> parse_decimal(std::string_view word);

struct Fraction {
    std::uint64_t numerator = 0;
    std::uint64_t denominator = 0;
};

// "<numerator>/<denominator>", both parsed as by parse_decimal.
std::optional<Fraction> parse_fraction(std::string_view word);

}  // namespace volumes::kmod::detail
