#include "service/bus/jobs/progress_estimate.hpp"

#include <algorithm>

namespace volumes::bus {

namespace {

constexpr std::size_t kept_moves = 8;

double seconds(std::chrono::steady_clock::duration duration)
{
    return std::chrono::duration<double>(duration).count();
}

}  // namespace

void ProgressEstimate::sample(std::chrono::steady_clock::time_point when, std::uint64_t done_bytes)
{
    if (samples_.empty() || done_bytes < samples_.back().done)
        moves_.clear();  // the first sample, or the count went back (a restarted resync): start over
    if (moves_.empty() || done_bytes > moves_.back().done)
        moves_.push_back({when, done_bytes});
    while (moves_.size() > kept_moves)
        moves_.pop_front();
    last_ = when;
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
    auto elapsed = seconds(last.when - first.when);
    if (elapsed <= 0.0 || last.done <= first.done)
        return 0;
    return static_cast<std::uint64_t>(static_cast<double>(last.done - first.done) / elapsed);
}

std::uint64_t ProgressEstimate::expected_end_usec(std::uint64_t now_usec, std::uint64_t total_bytes) const
{
    // The first entry of moves_ may be where the count stood when following began, not a move:
    // the estimate uses the last three, which are moves.
    if (moves_.size() < 4)
        return 0;
    const auto& last = moves_.back();
    const auto& before = moves_[moves_.size() - 2];
    const auto& first = moves_[moves_.size() - 3];
    const auto step_rate = [](const Sample& from, const Sample& to) {
        return static_cast<double>(to.done - from.done) / seconds(to.when - from.when);
    };
    const double span = seconds(last.when - first.when);
    if (span <= 0.0 || last.when <= before.when || before.when <= first.when)
        return 0;
    const double recent = step_rate(before, last);
    const double earlier = step_rate(first, before);
    if (recent > 2 * earlier || earlier > 2 * recent)
        return 0;  // not steady
    const double since_last = seconds(last_ - last.when);
    if (since_last > span)
        return 0;  // stalled: no move for twice the usual time between moves
    const double bytes_per_second = static_cast<double>(last.done - first.done) / span;
    const auto remaining = total_bytes > last.done ? static_cast<double>(total_bytes - last.done) : 0.0;
    const double left = std::max(0.0, remaining / bytes_per_second - since_last);
    return now_usec + static_cast<std::uint64_t>(left * 1e6);
}

SyncWork sync_work(std::uint64_t in_sync_sectors, std::uint64_t total_sectors, std::uint64_t from_sectors)
{
    constexpr std::uint64_t sector = 512;
    const auto start = std::min(from_sectors, total_sectors);
    const auto position = std::clamp(in_sync_sectors, start, total_sectors);
    return {(position - start) * sector, (total_sectors - start) * sector};
}

bool done_bytes_measure_work(std::string_view operation)
{
    return operation != "raid1-merge";
}

}  // namespace volumes::bus
