#include "service/devices/device_use.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <sys/stat.h>


namespace volumes::devices {
namespace {

namespace fs = std::filesystem;

// /proc and mountinfo write ' ', '\t', '\n' and '\\' in paths as \ooo octal.
std::string unescape_octal(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size()) {
            const auto digits = text.substr(i + 1, 3);
            if (digits.find_first_not_of("01234567") == std::string::npos) {
                out.push_back(static_cast<char>(std::stoi(digits, nullptr, 8)));
                i += 3;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

// Where the device is mounted, from /proc/self/mountinfo's "major:minor" field.
Result<std::optional<std::string>> mount_point_of(kmod::DeviceNumber number)
{
    std::ifstream mountinfo("/proc/self/mountinfo");
    if (!mountinfo)
        return fail(ErrorCode::Io, "cannot read /proc/self/mountinfo");
    const auto wanted = number.to_string();
    std::string line;
    while (std::getline(mountinfo, line)) {
        std::istringstream fields(line);
        std::string mount_id, parent_id, device, root, mount_point;
        if (!(fields >> mount_id >> parent_id >> device >> root >> mount_point))
            continue;
        if (device == wanted)
            return unescape_octal(mount_point);
    }
    return std::nullopt;
}

// Whether the device is an active swap area (/proc/swaps names it by path).
Result<bool> is_swap(kmod::DeviceNumber number)
{
    std::ifstream swaps("/proc/swaps");
    if (!swaps)
        return fail(ErrorCode::Io, "cannot read /proc/swaps");
    std::string line;
    std::getline(swaps, line);  // the column headings
    while (std::getline(swaps, line)) {
        std::istringstream fields(line);
        std::string filename;
        if (!(fields >> filename))
            continue;
        struct stat st {};
        if (::stat(unescape_octal(filename).c_str(), &st) == 0 && S_ISBLK(st.st_mode) &&
            kmod::DeviceNumber::from_dev_t(st.st_rdev) == number)
            return true;
    }
    return false;
}

// The entries of a sysfs directory, sorted; `keep` filters them.
template <class Keep>
Result<std::vector<std::string>> list_sysfs(const fs::path& dir, Keep keep)
{
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (keep(*it))
            names.push_back(it->path().filename().string());
    }
    if (ec)
        return fail(ErrorCode::Io, fmt::format("cannot list {}: {}", dir.string(), ec.message()), ec.value());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

Result<std::optional<std::string>> in_use_reason(kmod::DeviceNumber number, const std::string& path)
{
    auto mount_point = mount_point_of(number);
    if (!mount_point)
        return std::unexpected(mount_point.error());
    if (*mount_point)
        return fmt::format("{} is mounted at {}", path, **mount_point);

    auto swap = is_swap(number);
    if (!swap)
        return std::unexpected(swap.error());
    if (*swap)
        return fmt::format("{} is in use as swap", path);

    const fs::path sysfs = fs::path("/sys/dev/block") / number.to_string();
    auto holders = list_sysfs(sysfs / "holders", [](const fs::directory_entry&) { return true; });
    if (!holders)
        return std::unexpected(holders.error());
    if (!holders->empty())
        return fmt::format("{} is held by {}", path, fmt::join(*holders, ", "));

    std::error_code ec;
    const auto kernel_name = fs::canonical(sysfs, ec).filename().string();
    if (ec)
        return fail(ErrorCode::Io, fmt::format("cannot resolve {}: {}", sysfs.string(), ec.message()), ec.value());
    auto partitions = list_sysfs(sysfs, [&](const fs::directory_entry& entry) {
        std::error_code ignored;
        return entry.path().filename().string().starts_with(kernel_name) &&
               fs::exists(entry.path() / "partition", ignored);
    });
    if (!partitions)
        return std::unexpected(partitions.error());
    if (!partitions->empty())
        return fmt::format("{} has partitions: {}", path, fmt::join(*partitions, ", "));
    return std::nullopt;
}

}  // namespace volumes::devices
