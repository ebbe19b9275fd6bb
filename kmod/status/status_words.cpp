#include "kmod/status/status_words.hpp"

#include <charconv>
#include <system_error>

#include <fmt/core.h>

namespace volumes::kmod::detail {

namespace {

bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::vector<std::string_view> split_status_words(std::string_view line)
{
    std::vector<std::string_view> words;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && is_blank(line[pos]))
            ++pos;
        const auto begin = pos;
        while (pos < line.size() && !is_blank(line[pos]))
            ++pos;
        if (pos > begin)
            words.push_back(line.substr(begin, pos - begin));
    }
    return words;
}

std::optional<std::uint64_t> parse_decimal(std::string_view word)
{
    if (word.empty())
        return std::nullopt;
    std::uint64_t value = 0;
    const auto* end = word.data() + word.size();
    const auto [stop, ec] = std::from_chars(word.data(), end, value);
    if (ec != std::errc{} || stop != end)
        return std::nullopt;
    return value;
}

std::optional<Fraction> parse_fraction(std::string_view word)
{
    const auto slash = word.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    const auto numerator = parse_decimal(word.substr(0, slash));
    const auto denominator = parse_decimal(word.substr(slash + 1));
    if (!numerator || !denominator)
        return std::nullopt;
    return Fraction{*numerator, *denominator};
}

std::unexpected<Error> status_parse_error(std::string_view target, std::string_view params, std::string_view what)
{
    return fail(ErrorCode::Parse, fmt::format("{} status '{}': {}", target, params, what));
}

}  // namespace volumes::kmod::detail
