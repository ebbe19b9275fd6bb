// The failing-members fixture itself, without volumesd: its devices fail with EIO, come
// back with their data, vanish and return, and its write counters see what reaches the
// loops.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "failing_members.hpp"
#include "kmod/device_mapper.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::test {
namespace {

namespace dm = kmod::dm;

constexpr std::uint64_t mib = 1024 * 1024;

struct FreeDeleter {
    void operator()(void* memory) const { std::free(memory); }
};

std::unique_ptr<char, FreeDeleter> aligned_block()
{
    void* memory = nullptr;
    if (::posix_memalign(&memory, 4096, 4096) != 0)
        throw std::runtime_error("posix_memalign failed");
    std::memset(memory, 0x5a, 4096);
    return std::unique_ptr<char, FreeDeleter>(static_cast<char*>(memory));
}

// errno of one 4 KiB O_DIRECT read (or write) at `offset`; 0 when it succeeded.
int direct_io_errno(const std::string& device, std::uint64_t offset, bool write)
{
    const int fd = ::open(device.c_str(), (write ? O_WRONLY : O_RDONLY) | O_DIRECT | O_CLOEXEC);
    if (fd < 0)
        return errno;
    auto block = aligned_block();
    const auto done = write ? ::pwrite(fd, block.get(), 4096, static_cast<off_t>(offset))
                            : ::pread(fd, block.get(), 4096, static_cast<off_t>(offset));
    const int error = done == 4096 ? 0 : (done < 0 ? errno : EIO);
    ::close(fd);
    return error;
}

// Whether [offset, offset + length) of the device reads as zeros (O_DIRECT, 4 KiB aligned).
bool all_zero(const std::string& device, std::uint64_t offset, std::uint64_t length)
{
    const int fd = ::open(device.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error(fmt::format("open {}: {}", device, std::strerror(errno)));
    auto block = aligned_block();
    bool zero = true;
    for (std::uint64_t at = offset; at < offset + length && zero; at += 4096) {
        if (::pread(fd, block.get(), 4096, static_cast<off_t>(at)) != 4096) {
            ::close(fd);
            throw std::runtime_error(fmt::format("read {} at {}: {}", device, at, std::strerror(errno)));
        }
        for (int i = 0; i < 4096 && zero; ++i)
            zero = block.get()[i] == 0;
    }
    ::close(fd);
    return zero;
}

kmod::Table live_table(const std::string& name)
{
    auto table = dm::table(kmod::DeviceId::by_name(name));
    if (!table)
        throw std::runtime_error(table.error().message);
    return *table;
}

bool dm_device_exists(const std::string& name)
{
    auto info = dm::info(kmod::DeviceId::by_name(name));
    return info && info->exists;
}

TEST(FailingMembersFixture, MembersMapTheirOwnLoopPastAHeaderAndAreFoundByAnyPath)
{
    FailingMembers members(2, 16 * mib);
    ASSERT_EQ(members.size(), 2u);
    EXPECT_NE(members.name(0), members.name(1));
    for (unsigned i = 0; i < members.size(); ++i) {
        SCOPED_TRACE(members.name(i));
        EXPECT_TRUE(members.exists(i));
        EXPECT_FALSE(members.failed(i));
        EXPECT_TRUE(std::filesystem::exists(members.path(i))) << "udev made no /dev/mapper node";
        EXPECT_EQ(device_size(members.path(i)), 16 * mib);
        const auto info = dm::info(kmod::DeviceId::by_name(members.name(i)));
        ASSERT_TRUE(info && info->exists);
        EXPECT_FALSE(info->uuid.starts_with("VOLUMES-")) << info->uuid;
        const auto deps = dm::deps(kmod::DeviceId::by_name(members.name(i)));
        ASSERT_TRUE(deps) << deps.error().message;
        ASSERT_EQ(deps->size(), 1u);
        EXPECT_EQ(deps->front(), members.loop(i).number()) << "member " << i << " does not map its own loop";
        const auto table = live_table(members.name(i));
        ASSERT_EQ(table.size(), 1u);
        EXPECT_EQ(table[0].target_type, "linear");
        EXPECT_EQ(table[0].length, 16 * mib / 512);
        EXPECT_EQ(table[0].params, fmt::format("{} {}", members.loop(i).number().to_string(),
                                               FailingMembers::header_bytes / 512));

        const auto dm_node = fmt::format("/dev/dm-{}", members.number(i).minor);
        EXPECT_EQ(members.index_of(members.path(i)), i);
        EXPECT_EQ(members.index_of(dm_node), i);
        EXPECT_EQ(members.index_of(members.number(i)), i);
    }
    EXPECT_FALSE(members.index_of(members.loop(0).path()).has_value()) << "a loop is not a member";
    EXPECT_FALSE(members.index_of("/dev/null").has_value());

    // What the member holds lies past the header on its loop: the loop's first MiB, where a
    // label would be looked for, stays as it was.
    write_pattern(members.path(0), 0, 2 * mib, 1);
    EXPECT_EQ(digest(members.path(0), 0, 2 * mib), digest(members.loop(0).path(), FailingMembers::header_bytes, 2 * mib));
    EXPECT_TRUE(all_zero(members.loop(0).path(), 0, FailingMembers::header_bytes));
    EXPECT_TRUE(all_zero(members.path(1), 0, 2 * mib)) << "writing member 0 changed member 1";
}

TEST(FailingMembersFixture, AFailedMemberAnswersEioAndARestoredOneHasItsData)
{
    FailingMembers members(2, 16 * mib);
    write_pattern(members.path(0), 0, 4 * mib, 3);
    write_pattern(members.path(1), 0, 4 * mib, 4);

    members.fail(0);
    EXPECT_TRUE(members.failed(0));
    EXPECT_FALSE(members.failed(1));
    const auto failed_table = live_table(members.name(0));
    ASSERT_EQ(failed_table.size(), 1u);
    EXPECT_EQ(failed_table[0].target_type, "error");
    EXPECT_EQ(failed_table[0].length, 16 * mib / 512) << "the error table must keep the device's size";
    EXPECT_EQ(device_size(members.path(0)), 16 * mib);
    const auto loop_before = members.loop_sectors_written(0);
    EXPECT_EQ(direct_io_errno(members.path(0), 0, false), EIO);
    EXPECT_EQ(direct_io_errno(members.path(0), 8 * mib, false), EIO);
    EXPECT_EQ(direct_io_errno(members.path(0), 4096, true), EIO);
    EXPECT_EQ(members.loop_sectors_written(0), loop_before) << "a write to a failed member reached its loop";
    EXPECT_TRUE(holds_pattern(members.path(1), 0, 4 * mib, 4)) << "failing member 0 touched member 1";

    members.restore(0);
    EXPECT_FALSE(members.failed(0));
    EXPECT_EQ(live_table(members.name(0))[0].target_type, "linear");
    EXPECT_EQ(direct_io_errno(members.path(0), 0, false), 0);
    EXPECT_TRUE(holds_pattern(members.path(0), 0, 4 * mib, 3)) << "the restored member lost its data";

    // The loop's counter sees what is written through the member, and only that member's.
    const auto written_before = members.loop_sectors_written(0);
    const auto other_before = members.loop_sectors_written(1);
    write_pattern(members.path(0), 4 * mib, 1 * mib, 5);
    EXPECT_GE(members.loop_sectors_written(0) - written_before, 1 * mib / 512);
    EXPECT_EQ(members.loop_sectors_written(1), other_before);

    // Failing twice and restoring twice is harmless.
    members.fail(0);
    members.fail(0);
    EXPECT_EQ(direct_io_errno(members.path(0), 0, false), EIO);
    members.restore(0);
    members.restore(0);
    EXPECT_TRUE(holds_pattern(members.path(0), 4 * mib, 1 * mib, 5));
}

TEST(FailingMembersFixture, ARemovedMemberIsGoneUntilRecreatedOverTheSameLoop)
{
    FailingMembers members(1, 16 * mib);
    write_pattern(members.path(0), 0, 4 * mib, 6);
    const auto old_number = members.number(0);
    const auto loop_sys = fmt::format("/sys/block/{}", std::filesystem::path(members.loop(0).path()).filename().string());

    members.remove(0);
    EXPECT_FALSE(members.exists(0));
    EXPECT_FALSE(dm_device_exists(members.name(0)));
    EXPECT_FALSE(std::filesystem::exists(members.path(0))) << "udev left the /dev/mapper node behind";
    EXPECT_FALSE(members.index_of(old_number).has_value());
    EXPECT_THROW(members.number(0), std::runtime_error);
    EXPECT_THROW(members.fail(0), std::logic_error);
    EXPECT_THROW(members.remove(0), std::logic_error);
    EXPECT_TRUE(std::filesystem::exists(loop_sys + "/loop/backing_file")) << "the loop was detached with its member";
    EXPECT_TRUE(all_zero(members.loop(0).path(), 0, FailingMembers::header_bytes));

    members.recreate(0);
    EXPECT_TRUE(members.exists(0));
    EXPECT_TRUE(std::filesystem::exists(members.path(0)));
    EXPECT_EQ(members.index_of(members.path(0)), 0u);
    EXPECT_TRUE(holds_pattern(members.path(0), 0, 4 * mib, 6)) << "the recreated member does not hold its data";
    EXPECT_THROW(members.recreate(0), std::logic_error);

    // A failed member can be removed and recreated too; it comes back readable.
    members.fail(0);
    members.remove(0);
    members.recreate(0);
    EXPECT_FALSE(members.failed(0));
    EXPECT_TRUE(holds_pattern(members.path(0), 0, 4 * mib, 6));
}

TEST(FailingMembersFixture, DestructionRemovesEveryMemberDeviceWhateverItsState)
{
    std::vector<std::string> names;
    {
        FailingMembers members(3, 8 * mib);
        for (unsigned i = 0; i < members.size(); ++i)
            names.push_back(members.name(i));
        members.fail(0);
        members.remove(1);
        ASSERT_EQ(::access(members.path(2).c_str(), F_OK), 0);
    }
    for (const auto& name : names) {
        EXPECT_FALSE(dm_device_exists(name)) << name << " outlived its fixture";
        EXPECT_FALSE(std::filesystem::exists("/dev/mapper/" + name)) << name;
    }
    // Names are never reused in the process, so a member left behind cannot collide.
    FailingMembers next(1, 8 * mib);
    for (const auto& name : names)
        EXPECT_NE(next.name(0), name);
}

}  // namespace
}  // namespace volumes::test
