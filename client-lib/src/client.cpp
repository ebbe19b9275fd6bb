#include "volumes/client/client.hpp"

#include <algorithm>
#include <cerrno>

#include <poll.h>

#include "bus_errors.hpp"
#include "client_impl.hpp"
#include "dbus_options.hpp"
#include "decoding.hpp"
#include "proxies.hpp"

namespace volumes::client {

namespace {

constexpr auto default_call_timeout = std::chrono::minutes(5);

std::unique_ptr<Client::Impl> connect(const std::function<std::unique_ptr<sdbus::IConnection>()>& open)
{
    auto connection = translated(open);
    connection->setMethodCallTimeout(default_call_timeout);
    return std::make_unique<Client::Impl>(std::move(connection));
}

template <class T, class Predicate>
std::optional<T> first_of(std::vector<T> items, Predicate matches)
{
    const auto found = std::find_if(items.begin(), items.end(), matches);
    if (found == items.end())
        return std::nullopt;
    return std::move(*found);
}

}  // namespace

Client::Impl::Impl(std::unique_ptr<sdbus::IConnection> connection) : connection_(std::move(connection)) {}

bool Client::Impl::pump_until(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline)
{
    for (;;) {
        while (translated([&] { return connection_->processPendingRequest(); })) {
        }
        if (done())
            return true;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        const auto poll_data = connection_->getEventLoopPollData();
        pollfd fd{poll_data.fd, poll_data.events, 0};
        if (::poll(&fd, 1, static_cast<int>(std::min<long>(left.count(), 100))) < 0 && errno != EINTR)
            throw BusError("", "poll on the bus connection failed");
    }
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

Client Client::system()
{
    return Client(connect([] { return sdbus::createSystemBusConnection(); }));
}

Client Client::at_address(const std::string& address)
{
    return Client(connect([&] { return sdbus::createSessionBusConnectionWithAddress(address); }));
}

void Client::set_call_timeout(std::chrono::milliseconds timeout)
{
    impl_->bus().setMethodCallTimeout(timeout);
}

std::string Client::version()
{
    return translated([&] { return ManagerCalls(impl_->bus()).Version(); });
}

std::map<std::string, std::string> Client::kernel_targets()
{
    return translated([&] { return ManagerCalls(impl_->bus()).KernelTargets(); });
}

ObjectList Client::objects()
{
    return decode_objects(translated([&] { return ManagerCalls(impl_->bus()).GetManagedObjects(); }));
}

std::vector<PoolInfo> Client::pools()
{
    return objects().pools;
}

std::vector<VolumeInfo> Client::volumes()
{
    return objects().volumes;
}

std::vector<VolumeInfo> Client::volumes(std::string_view pool)
{
    auto all = volumes();
    std::erase_if(all, [&](const VolumeInfo& v) { return v.pool_name != pool; });
    return all;
}

std::vector<JobInfo> Client::jobs()
{
    return objects().jobs;
}

std::optional<PoolInfo> Client::find_pool(std::string_view name)
{
    return first_of(pools(), [&](const PoolInfo& p) { return p.name == name; });
}

std::optional<VolumeInfo> Client::find_volume(std::string_view pool, std::string_view name)
{
    return first_of(volumes(), [&](const VolumeInfo& v) { return v.pool_name == pool && v.name == name; });
}

PoolInfo Client::pool(std::string_view name)
{
    if (auto found = find_pool(name))
        return std::move(*found);
    throw NotFound("", "no pool named '" + std::string(name) + "'");
}

VolumeInfo Client::volume(std::string_view pool, std::string_view name)
{
    if (auto found = find_volume(pool, name))
        return std::move(*found);
    throw NotFound("", "no volume named '" + std::string(name) + "' in pool '" + std::string(pool) + "'");
}

PoolInfo Client::pool_at(const std::string& path)
{
    if (auto found = first_of(pools(), [&](const PoolInfo& p) { return p.path == path; }))
        return std::move(*found);
    throw NotFound("", "no pool at " + path);
}

VolumeInfo Client::volume_at(const std::string& path)
{
    if (auto found = first_of(volumes(), [&](const VolumeInfo& v) { return v.path == path; }))
        return std::move(*found);
    throw NotFound("", "no volume at " + path);
}

JobInfo Client::job_at(const std::string& path)
{
    if (auto found = first_of(jobs(), [&](const JobInfo& j) { return j.path == path; }))
        return std::move(*found);
    throw NotFound("", "no job at " + path);
}

std::string Client::create_pool(const std::string& name, const std::vector<std::string>& devices, const Options& options)
{
    return translated([&] { return ManagerCalls(impl_->bus()).CreatePool(name, devices, to_dbus(options)); });
}

std::string Client::create_volume(const std::string& pool, const std::string& name, std::uint64_t size,
                                  const Options& options)
{
    return translated([&] { return PoolCalls(impl_->bus(), pool).CreateVolume(name, size, to_dbus(options)); });
}

std::string Client::create_thin_pool(const std::string& pool, const std::string& name, std::uint64_t data_size,
                                     std::uint64_t metadata_size, const Options& options)
{
    return translated([&] {
        return PoolCalls(impl_->bus(), pool).CreateThinPool(name, data_size, metadata_size, to_dbus(options));
    });
}

void Client::destroy_pool(const std::string& pool, const Options& options)
{
    translated([&] { PoolCalls(impl_->bus(), pool).Destroy(to_dbus(options)); });
}

void Client::add_member(const std::string& pool, const std::string& device, const Options& options)
{
    translated([&] { PoolCalls(impl_->bus(), pool).AddMember(device, to_dbus(options)); });
}

void Client::remove_member(const std::string& pool, const std::string& device, const Options& options)
{
    translated([&] { PoolCalls(impl_->bus(), pool).RemoveMember(device, to_dbus(options)); });
}

std::string Client::evacuate_member(const std::string& pool, const std::string& device, bool remove,
                                    std::optional<std::uint32_t> max_rate_kibs, const Options& options)
{
    auto dbus_options = to_dbus(options);
    dbus_options.insert_or_assign("remove", sdbus::Variant(remove));
    if (max_rate_kibs)
        dbus_options.insert_or_assign("max_rate", sdbus::Variant(*max_rate_kibs));
    return translated([&] { return PoolCalls(impl_->bus(), pool).EvacuateMember(device, dbus_options); });
}

std::string Client::create_snapshot(const std::string& volume, const std::string& name, std::uint64_t cow_size,
                                    const Options& options)
{
    return translated([&] { return VolumeCalls(impl_->bus(), volume).CreateSnapshot(name, cow_size, to_dbus(options)); });
}

void Client::remove_volume(const std::string& volume, const Options& options)
{
    translated([&] { VolumeCalls(impl_->bus(), volume).Remove(to_dbus(options)); });
}

void Client::activate(const std::string& volume, const Options& options)
{
    translated([&] { VolumeCalls(impl_->bus(), volume).Activate(to_dbus(options)); });
}

void Client::deactivate(const std::string& volume, const Options& options)
{
    translated([&] { VolumeCalls(impl_->bus(), volume).Deactivate(to_dbus(options)); });
}

Resized Client::resize(const std::string& volume, std::uint64_t size, const Options& options)
{
    const auto [made, filesystem] =
        translated([&] { return VolumeCalls(impl_->bus(), volume).Resize(size, to_dbus(options)); });
    return {made, filesystem};
}

std::string Client::rename(const std::string& volume, const std::string& new_name, const Options& options)
{
    return translated([&] { return VolumeCalls(impl_->bus(), volume).Rename(new_name, to_dbus(options)); });
}

std::string Client::split_track(const std::string& raid1, const Options& options)
{
    return translated([&] { return Raid1Calls(impl_->bus(), raid1).SplitTrack(to_dbus(options)); });
}

std::string Client::split(const std::string& raid1, const std::string& new_name, const Options& options)
{
    return translated([&] { return Raid1Calls(impl_->bus(), raid1).Split(new_name, to_dbus(options)); });
}

std::string Client::convert_to_raid1(const std::string& volume, const std::vector<std::string>& members,
                                     std::uint64_t region_size, const Options& options)
{
    auto dbus_options = to_dbus(options);
    if (!members.empty())
        dbus_options.insert_or_assign("members", sdbus::Variant(members));
    if (region_size != 0)
        dbus_options.insert_or_assign("region_size", sdbus::Variant(region_size));
    return translated([&] { return VolumeCalls(impl_->bus(), volume).ConvertToRaid1(dbus_options); });
}

std::string Client::repair_raid1(const std::string& raid1, const std::vector<std::string>& members,
                                 const Options& options)
{
    auto dbus_options = to_dbus(options);
    if (!members.empty())
        dbus_options.insert_or_assign("members", sdbus::Variant(members));
    return translated([&] { return Raid1Calls(impl_->bus(), raid1).Repair(dbus_options); });
}

std::string Client::add_raid1_image(const std::string& raid1, const std::vector<std::string>& members,
                                    const Options& options)
{
    auto dbus_options = to_dbus(options);
    if (!members.empty())
        dbus_options.insert_or_assign("members", sdbus::Variant(members));
    return translated([&] { return Raid1Calls(impl_->bus(), raid1).AddImage(dbus_options); });
}

void Client::remove_raid1_image(const std::string& raid1, std::uint32_t slot, const Options& options)
{
    translated([&] { Raid1Calls(impl_->bus(), raid1).RemoveImage(slot, to_dbus(options)); });
}

std::string Client::merge_tracked_image(const std::string& image, const Options& options)
{
    return translated([&] { return TrackedImageCalls(impl_->bus(), image).Merge(to_dbus(options)); });
}

SnapshotMergeStart Client::merge_snapshot(const std::string& snapshot, const Options& options)
{
    const auto [job, pending] = translated([&] { return SnapshotCalls(impl_->bus(), snapshot).Merge(to_dbus(options)); });
    return {job, pending};
}

std::string Client::create_thin(const std::string& thin_pool, const std::string& name, std::uint64_t virtual_size,
                                const Options& options)
{
    return translated(
        [&] { return ThinPoolCalls(impl_->bus(), thin_pool).CreateThin(name, virtual_size, to_dbus(options)); });
}

MetadataSnap Client::reserve_metadata_snap(const std::string& thin_pool, const Options& options)
{
    const auto [root, device, transaction] =
        translated([&] { return ThinPoolCalls(impl_->bus(), thin_pool).ReserveMetadataSnap(to_dbus(options)); });
    return {root, device, transaction};
}

void Client::release_metadata_snap(const std::string& thin_pool, const Options& options)
{
    translated([&] { ThinPoolCalls(impl_->bus(), thin_pool).ReleaseMetadataSnap(to_dbus(options)); });
}

void Client::resize_thin_pool(const std::string& thin_pool, std::uint64_t data_size, std::uint64_t metadata_size,
                              const Options& options)
{
    translated([&] { ThinPoolCalls(impl_->bus(), thin_pool).Resize(data_size, metadata_size, to_dbus(options)); });
}

void Client::set_pool_autoextend(const std::string& pool, const std::string& kind, std::uint32_t threshold,
                                 std::uint32_t step, const Options& options)
{
    translated([&] { PoolCalls(impl_->bus(), pool).SetAutoextend(kind, threshold, step, to_dbus(options)); });
}

void Client::set_snapshot_autoextend(const std::string& snapshot, std::uint32_t threshold, std::uint32_t step,
                                     const Options& options)
{
    translated([&] { SnapshotCalls(impl_->bus(), snapshot).SetAutoextend(threshold, step, to_dbus(options)); });
}

void Client::set_thin_pool_autoextend(const std::string& thin_pool, std::uint32_t threshold, std::uint32_t step,
                                      const Options& options)
{
    translated([&] { ThinPoolCalls(impl_->bus(), thin_pool).SetAutoextend(threshold, step, to_dbus(options)); });
}

void Client::cancel_job(const std::string& job, const Options& options)
{
    translated([&] { JobCalls(impl_->bus(), job).Cancel(to_dbus(options)); });
}

void Client::dispatch_for(std::chrono::milliseconds duration)
{
    impl_->pump_until([] { return false; }, std::chrono::steady_clock::now() + duration);
}

bool Client::dispatch_until(const std::function<bool()>& done, std::chrono::milliseconds timeout)
{
    return impl_->pump_until(done, std::chrono::steady_clock::now() + timeout);
}

}  // namespace volumes::client
