#include "sizes.hpp"

#include <cctype>
#include <charconv>
#include <limits>

#include <fmt/core.h>

#include "usage_error.hpp"

namespace volumectl {

namespace {

int unit_shift(std::string_view unit)
{
    if (unit.empty() || unit == "B")
        return 0;
    const char prefix = static_cast<char>(std::toupper(static_cast<unsigned char>(unit.front())));
    const auto rest = unit.substr(1);
    if (!(rest.empty() || rest == "B" || rest == "iB"))
        return -1;
    switch (prefix) {
    case 'K': return 10;
    case 'M': return 20;
    case 'G': return 30;
    case 'T': return 40;
    case 'P': return 50;
    default: return -1;
    }
}

}  // namespace

std::uint64_t parse_size(std::string_view text, std::string_view what)
{
    std::uint64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    const int shift = error == std::errc() ? unit_shift(text.substr(static_cast<std::size_t>(end - text.data()))) : -1;
    if (text.empty() || shift < 0)
        throw UsageError(fmt::format("{}: '{}' is not a size (bytes, or a number with K, M, G, T or P)", what, text));
    if (shift > 0 && number > (std::numeric_limits<std::uint64_t>::max() >> shift))
        throw UsageError(fmt::format("{}: '{}' is too large", what, text));
    return number << shift;
}

std::string format_size(std::uint64_t bytes)
{
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int unit = 0;
    double value = static_cast<double>(bytes);
    while (value >= 1024.0 && unit < 6) {
        value /= 1024.0;
        ++unit;
    }
    if (unit == 0)
        return fmt::format("{} B", bytes);
    if (value == static_cast<double>(static_cast<std::uint64_t>(value)))
        return fmt::format("{} {}", static_cast<std::uint64_t>(value), units[unit]);
    return fmt::format("{:.1f} {}", value, units[unit]);
}

}  // namespace volumectl
