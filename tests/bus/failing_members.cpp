#include "failing_members.hpp"

#include <atomic>
#include <iostream>
#include <span>
#include <stdexcept>
#include <type_traits>

#include <fmt/core.h>

#include "kmod/device_mapper.hpp"
#include "kmod/kernel_targets.hpp"
#include "kmod/tables/error_table.hpp"
#include "kmod/tables/linear_table.hpp"
#include "kmod/udev_cookie.hpp"

namespace volumes::test {

namespace dm = kmod::dm;

namespace {

std::atomic<unsigned> next_member_number{0};

constexpr std::uint64_t header_sectors = FailingMembers::header_bytes / 512;

std::string uuid_of(const std::string& name)
{
    return "TEST-FAILING-MEMBER-" + name;
}

template <class T>
T must(kmod::Result<T> result, const std::string& what)
{
    if (!result)
        throw std::runtime_error(fmt::format("{}: {}", what, result.error().message));
    if constexpr (!std::is_void_v<T>)
        return std::move(*result);
}

void wait_for_udev(kmod::UdevCookie& cookie, const std::string& what)
{
    must(cookie.wait(), "waiting for udev after " + what);
}

kmod::Table linear_over(const LoopDevice& loop, std::uint64_t sectors)
{
    const kmod::LinearSegment segment{loop.number(), header_sectors, sectors};
    return must(kmod::linear_table(std::span(&segment, 1)), "building the linear table over " + loop.path());
}

}  // namespace

FailingMembers::FailingMembers(unsigned count, std::uint64_t member_bytes) : member_bytes_(member_bytes)
{
    if (member_bytes == 0 || member_bytes % 4096 != 0)
        throw std::invalid_argument(fmt::format("member size {} is not a positive multiple of 4 KiB", member_bytes));
    // dm_mod may not be loaded yet (volumesd loads it when it starts; nothing has run it yet
    // in a fresh guest), and libdevmapper without its control node is no use.
    if (auto targets = kmod::KernelTargets::open(); !targets)
        throw std::runtime_error("loading device-mapper: " + targets.error().message);
    members_.reserve(count);
    try {
        for (unsigned i = 0; i < count; ++i) {
            Member added;
            added.name = fmt::format("vtfail{}", next_member_number++);
            added.loop = std::make_unique<LoopDevice>(header_bytes + member_bytes);
            members_.push_back(std::move(added));
            create(members_.back());
        }
    } catch (...) {
        remove_all();  // the loops made so far detach as members_ is destroyed by the unwinding
        throw;
    }
}

FailingMembers::~FailingMembers()
{
    remove_all();
    // The loops detach as members_ is destroyed.
}

void FailingMembers::remove_all() noexcept
{
    for (auto& member : members_) {
        const auto id = kmod::DeviceId::by_name(member.name);
        auto info = dm::info(id);
        if (!info || !info->exists)
            continue;
        kmod::UdevCookie cookie;
        if (info->suspended)
            (void)dm::resume(id, cookie, kmod::UdevIdentity::Visible);
        if (auto removed = dm::remove(id, cookie); !removed)
            std::cerr << "FailingMembers: cannot remove " << member.name << ": " << removed.error().message << '\n';
        (void)cookie.wait();
        member.exists = false;
    }
}

const FailingMembers::Member& FailingMembers::member(unsigned i) const
{
    if (i >= members_.size())
        throw std::out_of_range(fmt::format("member {} of {}", i, members_.size()));
    return members_[i];
}

FailingMembers::Member& FailingMembers::member(unsigned i)
{
    return const_cast<Member&>(static_cast<const FailingMembers&>(*this).member(i));
}

const std::string& FailingMembers::name(unsigned i) const
{
    return member(i).name;
}

std::string FailingMembers::path(unsigned i) const
{
    return "/dev/mapper/" + member(i).name;
}

std::vector<std::string> FailingMembers::paths() const
{
    std::vector<std::string> all;
    for (unsigned i = 0; i < size(); ++i)
        all.push_back(path(i));
    return all;
}

const LoopDevice& FailingMembers::loop(unsigned i) const
{
    return *member(i).loop;
}

bool FailingMembers::exists(unsigned i) const
{
    return member(i).exists;
}

bool FailingMembers::failed(unsigned i) const
{
    return member(i).failed;
}

kmod::DeviceNumber FailingMembers::number(unsigned i) const
{
    const auto info = must(dm::info(kmod::DeviceId::by_name(member(i).name)), "reading the info of " + member(i).name);
    if (!info.exists)
        throw std::runtime_error(fmt::format("member {} ({}) has no dm device now", i, member(i).name));
    return info.number;
}

std::optional<unsigned> FailingMembers::index_of(kmod::DeviceNumber number) const
{
    for (unsigned i = 0; i < size(); ++i) {
        if (!members_[i].exists)
            continue;
        auto info = dm::info(kmod::DeviceId::by_name(members_[i].name));
        if (info && info->exists && info->number == number)
            return i;
    }
    return std::nullopt;
}

std::optional<unsigned> FailingMembers::index_of(const std::string& device) const
{
    auto number = kmod::DeviceNumber::of_path(device);
    if (!number)
        return std::nullopt;
    return index_of(*number);
}

void FailingMembers::create(Member& created)
{
    kmod::UdevCookie cookie;
    must(dm::create({created.name, uuid_of(created.name), false, kmod::UdevIdentity::Visible},
                    linear_over(*created.loop, member_sectors()), cookie),
         "creating member device " + created.name);
    created.exists = true;
    created.failed = false;
    wait_for_udev(cookie, "creating " + created.name);
}

// The kernel suspends the device itself when a resume finds an inactive table (flushing
// what is in flight), then swaps the tables: what lvm2's error_dev does with
// "dmsetup load" and "dmsetup resume".
void FailingMembers::load_and_resume(Member& changed, bool error)
{
    if (!changed.exists)
        throw std::logic_error(fmt::format("{} was removed: recreate it first", changed.name));
    const auto id = kmod::DeviceId::by_name(changed.name);
    const kmod::Table table =
        error ? kmod::Table{kmod::error_table_line(member_sectors())} : linear_over(*changed.loop, member_sectors());
    must(dm::reload(id, table), fmt::format("loading the {} table into {}", error ? "error" : "linear", changed.name));
    kmod::UdevCookie cookie;
    if (auto resumed = dm::resume(id, cookie, kmod::UdevIdentity::Visible); !resumed) {
        (void)dm::clear_inactive(id);
        throw std::runtime_error(fmt::format("resuming {} onto its {} table: {}", changed.name,
                                             error ? "error" : "linear", resumed.error().message));
    }
    changed.failed = error;
    wait_for_udev(cookie, "resuming " + changed.name);
}

void FailingMembers::fail(unsigned i)
{
    load_and_resume(member(i), true);
}

void FailingMembers::restore(unsigned i)
{
    load_and_resume(member(i), false);
}

void FailingMembers::remove(unsigned i)
{
    auto& removed = member(i);
    if (!removed.exists)
        throw std::logic_error(fmt::format("{} is already removed", removed.name));
    kmod::UdevCookie cookie;
    must(dm::remove(kmod::DeviceId::by_name(removed.name), cookie), "removing member device " + removed.name);
    removed.exists = false;
    removed.failed = false;
    wait_for_udev(cookie, "removing " + removed.name);
}

void FailingMembers::recreate(unsigned i)
{
    auto& recreated = member(i);
    if (recreated.exists)
        throw std::logic_error(fmt::format("{} still exists: remove it first", recreated.name));
    create(recreated);
}

std::uint64_t FailingMembers::loop_sectors_written(unsigned i) const
{
    return member(i).loop->sectors_written();
}

}  // namespace volumes::test
