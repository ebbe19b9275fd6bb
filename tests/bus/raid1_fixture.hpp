#pragma once

#include <cstdint>
#include <string>

#include "bus_fixture.hpp"
#include "signal_recorder.hpp"

namespace volumes::test {

// A two-image raid1 in a pool of two loops, in sync and filled with write_pattern(seed 7).
struct Mirror {
    std::string pool_name;
    std::string pool;    // object path
    std::string volume;  // object path
    std::string device;  // /dev/mapper/...
    std::uint64_t size = 0;
    const LoopDevice* leg_loop[2] = {nullptr, nullptr};  // the loop under each slot's rimage and rmeta
};

// What the merge tests write to the array while the image is split: 4 MiB over 8 whole
// regions (seed 8) and 4 KiB inside one more (seed 9), with the default 512 KiB regions.
inline constexpr std::uint64_t block_offset = 8 * mib;
inline constexpr std::uint64_t block_bytes = 4 * mib;
inline constexpr std::uint64_t small_offset = 20 * mib + 4096;
inline constexpr std::uint64_t small_bytes = 4096;

class BusRaid1 : public BusTest {
protected:
    Mirror synced_mirror(const std::string& pool_name, std::uint64_t size = 32 * mib);

    // "/dev/mapper/volumes-<pool>-<volume>_<role>_<slot>"
    static std::string sub_device(const Mirror& mirror, const std::string& role, unsigned slot);

    // Writes the block and the small write above; the loop of slot 1 (split off) must not
    // be written meanwhile.
    void write_while_split(const Mirror& mirror);

    // After the merge of slot 1 and its resync: both legs equal the array, which holds the
    // writes made while split, and the merge wrote no more to slot 1's loop than the dirty
    // regions (see the .cpp for the allowance). `loop_before` is that loop's write counter
    // taken just before Merge.
    void expect_merged_only_dirty_regions(const Mirror& mirror, std::uint64_t loop_before);

    // Waits for the job's Completed in `recorder` from index `from`; fails the test and
    // returns nullopt if none comes.
    std::optional<RecordedSignal> wait_completed(const SignalRecorder& recorder, std::size_t from,
                                                 const std::string& job, std::chrono::seconds timeout);
};

// 512-byte sectors written to a block device since it appeared (/sys/block/<dev>/stat,
// field 7); follows symlinks such as /dev/mapper/<name>.
std::uint64_t block_sectors_written(const std::string& device);

// The single block device under a dm device (/sys/block/dm-N/slaves), as "/dev/loopK".
std::string only_slave(const std::string& device);

}  // namespace volumes::test
