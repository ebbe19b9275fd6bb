#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

// A job's rate and expected end from samples of how many bytes are done: the rate over the
// last few seconds, so a resync that speeds up or slows down is followed.
namespace volumes::bus {

class ProgressEstimate {
public:
    explicit ProgressEstimate(std::chrono::steady_clock::duration window = std::chrono::seconds(5)) : window_(window) {}

    void sample(std::chrono::steady_clock::time_point when, std::uint64_t done_bytes);

    // Bytes per second over the window; 0 until two samples apart in time moved.
    std::uint64_t rate() const;
    // Microseconds since the epoch when `total_bytes` should be done, from `now_usec` (the
    // wall clock now); 0 when the rate is unknown.
    std::uint64_t expected_end_usec(std::uint64_t now_usec, std::uint64_t total_bytes) const;

private:
    struct Sample {
        std::chrono::steady_clock::time_point when;
        std::uint64_t done;
    };
    std::chrono::steady_clock::duration window_;
    std::deque<Sample> samples_;
};

}  // namespace volumes::bus
