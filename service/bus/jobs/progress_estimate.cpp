#include "service/bus/jobs/progress_estimate.hpp"

namespace volumes::bus {

void ProgressEstimate::sample(std::chrono::steady_clock::time_point when, std::uint64_t done_bytes)
{
    samples_.push_back({when, done_bytes});
    while (samples_.size() > 2 && samples_.back().when - samples_[1].when >= window_)
        samples_.pop_front();
}

std::uint64_t ProgressEstimate::rate() const
{
    if (samples_.size() < 2)
        return 0;
    const auto& first = samples_.front();
    const auto& last = samples_.back();
    auto elapsed = std::chrono::duration<double>(last.when - first.when).count();
    if (elapsed <= 0.0 || last.done <= first.done)
        return 0;
    return static_cast<std::uint64_t>(static_cast<double>(last.done - first.done) / elapsed);
}

std::uint64_t ProgressEstimate::expected_end_usec(std::uint64_t now_usec, std::uint64_t total_bytes) const
{
    auto bytes_per_second = rate();
    if (bytes_per_second == 0 || samples_.empty())
        return 0;
    auto done = samples_.back().done;
    auto remaining = total_bytes > done ? total_bytes - done : 0;
    return now_usec + remaining * 1'000'000 / bytes_per_second;
}

}  // namespace volumes::bus
