#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace volumes::bench {

using Clock = std::chrono::steady_clock;

// Seconds between two instants.
double seconds_between(Clock::time_point from, Clock::time_point to);

// The median of `values` (the mean of the middle two for an even count), 0 when empty.
double median_of(std::vector<double> values);

// numerator/denominator with two decimals, "-" when the denominator is not positive.
std::string ratio(double numerator, double denominator);

}  // namespace volumes::bench
