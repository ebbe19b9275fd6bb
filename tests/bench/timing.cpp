#include "timing.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace volumes::bench {

double seconds_between(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double>(to - from).count();
}

double median_of(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    if (values.empty())
        return 0;
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

std::string ratio(double numerator, double denominator)
{
    return denominator > 0 ? fmt::format("{:.2f}", numerator / denominator) : "-";
}

}  // namespace volumes::bench
