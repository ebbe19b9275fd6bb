#include "state_snapshot.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/fs.h>
#include <sdbus-c++/sdbus-c++.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "calls.hpp"
#include "kmod/device_mapper.hpp"
#include "process.hpp"

namespace volumes::test {

namespace {

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t label_offset = 4096;
constexpr std::uint64_t label_data_start_field = 72;

[[noreturn]] void throw_errno(const std::string& what)
{
    throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

class DirectReader {
public:
    explicit DirectReader(const std::string& device)
        : device_(device), fd_(::open(device.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC))
    {
        if (fd_ < 0)
            throw_errno("open " + device);
        if (::ioctl(fd_, BLKGETSIZE64, &size_) != 0)
            throw_errno("BLKGETSIZE64 " + device);
    }
    ~DirectReader() { ::close(fd_); }

    std::uint64_t size() const { return size_; }

    // O_DIRECT, so what the daemon wrote with O_DIRECT is what is read, never a stale cache.
    std::string read(std::uint64_t offset, std::uint64_t length) const
    {
        void* raw = nullptr;
        if (::posix_memalign(&raw, 4096, length) != 0)
            throw std::runtime_error("posix_memalign failed");
        std::unique_ptr<void, decltype(&std::free)> buffer(raw, &std::free);
        std::uint64_t done = 0;
        while (done < length) {
            const ssize_t got = ::pread(fd_, static_cast<char*>(raw) + done, length - done, static_cast<off_t>(offset + done));
            if (got <= 0)
                throw_errno(fmt::format("pread {} at {}", device_, offset + done));
            done += static_cast<std::uint64_t>(got);
        }
        return std::string(static_cast<const char*>(raw), length);
    }

private:
    std::string device_;
    int fd_;
    std::uint64_t size_ = 0;
};

std::uint64_t little_endian_64(const std::string& bytes, std::size_t at)
{
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
    return value;
}

// A member's label (service/metadata/FORMAT.md) says where its data starts.
std::string device_head(const std::string& device)
{
    DirectReader reader(device);
    std::uint64_t length = std::min(4 * mib, reader.size());
    if (reader.size() >= label_offset + 4096) {
        const auto label = reader.read(label_offset, 4096);
        if (label.starts_with("VOLSDLBL")) {
            const auto data_start = little_endian_64(label, label_data_start_field);
            if (data_start > length && data_start <= reader.size())
                length = data_start;
        }
    }
    return reader.read(0, length - length % 4096);
}

std::string first_difference(const std::string& a, const std::string& b)
{
    if (a.size() != b.size())
        return fmt::format("{} bytes before, {} after", a.size(), b.size());
    const auto [left, right] = std::mismatch(a.begin(), a.end(), b.begin());
    const auto offset = static_cast<std::size_t>(left - a.begin());
    return fmt::format("first difference at byte {} (0x{:02x} before, 0x{:02x} after)", offset,
                       static_cast<unsigned char>(*left), static_cast<unsigned char>(*right));
}

template <class Map>
void compare_maps(const Map& before, const Map& after, const char* what, std::vector<std::string>& out,
                  bool show_values)
{
    for (const auto& [key, value] : before) {
        auto found = after.find(key);
        if (found == after.end())
            out.push_back(fmt::format("{} {} went away", what, key));
        else if (found->second != value)
            out.push_back(show_values ? fmt::format("{} {} changed from\n{}\nto\n{}", what, key, value, found->second)
                                      : fmt::format("{} {} changed: {}", what, key, first_difference(value, found->second)));
    }
    for (const auto& [key, value] : after)
        if (!before.contains(key))
            out.push_back(show_values ? fmt::format("{} {} appeared:\n{}", what, key, value)
                                      : fmt::format("{} {} appeared", what, key));
}

}  // namespace

std::map<std::string, std::string> dm_tables()
{
    namespace dm = kmod::dm;
    auto listed = dm::list();
    if (!listed)
        throw std::runtime_error("listing dm devices: " + listed.error().message);
    std::map<std::string, std::string> devices;
    for (const auto& entry : *listed) {
        const auto id = kmod::DeviceId::by_name(entry.name);
        auto info = dm::info(id);
        if (!info)
            throw std::runtime_error(fmt::format("dm info {}: {}", entry.name, info.error().message));
        if (!info->exists)
            continue;
        std::string text = fmt::format("uuid={} read_only={} suspended={} live={} inactive={}\n", info->uuid,
                                       info->read_only, info->suspended, info->live_table, info->inactive_table);
        if (info->live_table) {
            auto table = dm::table(id);
            if (!table)
                throw std::runtime_error(fmt::format("dm table {}: {}", entry.name, table.error().message));
            text += kmod::to_string(*table);
        }
        devices.emplace(entry.name, std::move(text));
    }
    return devices;
}

std::set<std::string> exported_objects(sdbus::IConnection& bus)
{
    auto proxy = sdbus::createProxy(bus, volumes_bus_name, "/org/example/Volumes");
    std::map<sdbus::ObjectPath, std::map<std::string, std::map<std::string, sdbus::Variant>>> objects;
    proxy->callMethod("GetManagedObjects").onInterface("org.freedesktop.DBus.ObjectManager").storeResultsTo(objects);
    std::set<std::string> paths;
    for (const auto& [path, interfaces] : objects)
        paths.insert(path);
    return paths;
}

StateSnapshot take_snapshot(sdbus::IConnection& bus, const std::vector<std::string>& devices)
{
    const auto settled = run_process({"udevadm", "settle", "--timeout=60"});
    if (settled.status != 0)
        throw std::runtime_error("udevadm settle: " + settled.describe());
    StateSnapshot snapshot;
    for (const auto& device : devices)
        snapshot.device_heads.emplace(device, device_head(device));
    snapshot.dm_devices = dm_tables();
    snapshot.objects = exported_objects(bus);
    return snapshot;
}

std::vector<std::string> differences(const StateSnapshot& before, const StateSnapshot& after)
{
    std::vector<std::string> out;
    compare_maps(before.device_heads, after.device_heads, "device", out, false);
    compare_maps(before.dm_devices, after.dm_devices, "dm device", out, true);
    for (const auto& path : before.objects)
        if (!after.objects.contains(path))
            out.push_back(fmt::format("object {} went away", path));
    for (const auto& path : after.objects)
        if (!before.objects.contains(path))
            out.push_back(fmt::format("object {} appeared", path));
    return out;
}

}  // namespace volumes::test
