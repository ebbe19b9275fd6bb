#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kmod/device_number.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::test {

// Pool members that a test can make fail, vanish and come back, as lvm2's test suite does
// with its disable_dev / error_dev / enable_dev: each member is a dm device "vtfail<N>" (no
// VOLUMES- uuid, so volumesd's scan takes it for an ordinary disk) mapping a loop device of
// its own with `linear`.
//
// The mapping starts 1 MiB into the loop, so the member's label lies at 1 MiB + 4 KiB of
// the loop and the bare loop never looks like a member: volumesd's scan keeps the top-most
// of two stacked devices carrying one label only while both exist, so with a whole-loop
// mapping a removed member would at once be found again on its loop.
//
// Every operation waits for udev (the dm cookie), so a scan started afterwards sees the
// device as it now is. Failures throw std::runtime_error naming the device. The destructor
// removes every member device that still exists (resuming it first if it was left
// suspended), then detaches the loops; whatever mapped the members (the pool's dm devices)
// must be gone by then.
class FailingMembers {
public:
    static constexpr std::uint64_t header_bytes = 1024 * 1024;

    // `count` members of `member_bytes` each (a multiple of 4 KiB), dm_mod loaded first.
    // Names are unique in the process (a counter), so a member left behind by a failed test
    // never collides.
    explicit FailingMembers(unsigned count, std::uint64_t member_bytes = 96 * 1024 * 1024);
    FailingMembers(const FailingMembers&) = delete;
    FailingMembers& operator=(const FailingMembers&) = delete;
    ~FailingMembers();

    unsigned size() const { return static_cast<unsigned>(members_.size()); }
    std::uint64_t member_bytes() const { return member_bytes_; }
    std::uint64_t member_sectors() const { return member_bytes_ / 512; }

    const std::string& name(unsigned i) const;  // "vtfail7"
    std::string path(unsigned i) const;         // "/dev/mapper/vtfail7"
    std::vector<std::string> paths() const;
    const LoopDevice& loop(unsigned i) const;

    // Whether member i's dm device exists now (false after remove()).
    bool exists(unsigned i) const;
    bool failed(unsigned i) const;
    // The member device's dev_t now (it may change with recreate()). Throws when removed.
    kmod::DeviceNumber number(unsigned i) const;
    // Which member a block device is: a path ("/dev/dm-3", "/dev/mapper/vtfail7", a udev
    // link) or a device number, compared by dev_t. nullopt when none of them.
    std::optional<unsigned> index_of(const std::string& device) const;
    std::optional<unsigned> index_of(kmod::DeviceNumber number) const;

    // Loads an `error` table of the same length and resumes: every read and write fails
    // with EIO from then on, as a disk that died.
    void fail(unsigned i);
    // Loads the linear mapping again and resumes: the disk is back with what it held.
    void restore(unsigned i);
    // Removes the dm device, keeping the loop and what it holds: the disk is unplugged.
    // Throws while something holds the device open (a pool's dm device mapping it).
    void remove(unsigned i);
    // Creates the dm device again, same name, linear over the same loop: plugged back in.
    void recreate(unsigned i);

    // 512-byte sectors written to member i's loop since it was attached
    // (/sys/block/loopK/stat, field 7): what reached the disk under the member.
    std::uint64_t loop_sectors_written(unsigned i) const;

private:
    struct Member {
        std::string name;
        std::unique_ptr<LoopDevice> loop;
        bool exists = false;
        bool failed = false;
    };

    const Member& member(unsigned i) const;
    Member& member(unsigned i);
    void create(Member& member);
    void load_and_resume(Member& member, bool error);
    void remove_all() noexcept;

    std::uint64_t member_bytes_ = 0;
    std::vector<Member> members_;
};

}  // namespace volumes::test
