#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string_view>

// A job's rate and expected end from samples of how many bytes are done: the rate over the
// last few seconds, so a resync that speeds up or slows down is followed. The expected end is
// given only when it can be told honestly: from at least three moves of the done count (md
// moves its reported position in steps, a sixteenth of the array at a time), the last two
// steps at rates within a factor of two of each other, and no stall (the last move no longer
// ago than twice the usual time between moves). Otherwise it is 0, "unknown".
namespace volumes::bus {

class ProgressEstimate {
public:
    explicit ProgressEstimate(std::chrono::steady_clock::duration window = std::chrono::seconds(5)) : window_(window) {}

    void sample(std::chrono::steady_clock::time_point when, std::uint64_t done_bytes);

    // Bytes per second over the window; 0 until two samples apart in time moved.
    std::uint64_t rate() const;
    // Microseconds since the epoch when `total_bytes` should be done, from `now_usec` (the
    // wall clock at the last sample); 0 when it cannot be told honestly (above).
    std::uint64_t expected_end_usec(std::uint64_t now_usec, std::uint64_t total_bytes) const;

private:
    struct Sample {
        std::chrono::steady_clock::time_point when;
        std::uint64_t done;
    };
    std::chrono::steady_clock::duration window_;
    std::deque<Sample> samples_;
    std::deque<Sample> moves_;  // the last few samples where the done count went up
    std::chrono::steady_clock::time_point last_;  // of the last sample
};

// A sync job's work in bytes from dm-raid's counters: md's position runs from `from_sectors`
// to the array's end, so only that stretch is work (0 for a full sync; a grown array's old
// size, where its resync of the new region starts). A position below the start (the resync
// not begun yet) counts as nothing done.
struct SyncWork {
    std::uint64_t done_bytes = 0;
    std::uint64_t total_bytes = 0;
    bool operator==(const SyncWork&) const = default;
};
SyncWork sync_work(std::uint64_t in_sync_sectors, std::uint64_t total_sectors, std::uint64_t from_sectors);

// Whether a job's done bytes measure the work it has left, so that a rate and an end can be
// estimated from them. Not for "raid1-merge": md's position crosses the whole array, but only
// the regions written while the image was split take time, and dm-raid's status does not say
// how many of those are left.
bool done_bytes_measure_work(std::string_view operation);

}  // namespace volumes::bus
