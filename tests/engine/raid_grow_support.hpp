#pragma once

// What the raid1 grow tests (resize_test.cpp, resize_fault_test.cpp) look at: how many sectors
// the kernel wrote to a device, which block devices a linear sub-device maps onto, and files
// whose content is checked after the page cache was dropped.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "kmod/table_line.hpp"

namespace volumes::test {

// Sectors written to the block device at `path` since it appeared (field 7 of its sysfs stat).
inline std::uint64_t written_sectors(const std::string& path)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0 || !S_ISBLK(st.st_mode))
        throw std::runtime_error(path + " is not a block device");
    const auto sys = "/sys/dev/block/" + std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev)) +
                     "/stat";
    std::ifstream file(sys);
    std::vector<std::uint64_t> fields;
    std::uint64_t value = 0;
    while (file >> value)
        fields.push_back(value);
    if (fields.size() < 7)
        throw std::runtime_error("cannot read " + sys);
    return fields[6];
}

// The devices ("major:minor") the linear lines of `table` map onto.
inline std::set<std::string> linear_backing(const kmod::Table& table)
{
    std::set<std::string> devices;
    for (const auto& line : table) {
        if (line.target_type != "linear")
            throw std::runtime_error("not a linear line: " + line.to_string());
        std::istringstream words(line.params);
        std::string device;
        words >> device;
        devices.insert(device);
    }
    return devices;
}

// A file of `bytes` bytes whose content is a function of `seed`.
inline void write_file(const std::string& path, std::uint64_t bytes, std::uint64_t seed)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
    std::string block(4096, '\0');
    for (std::uint64_t done = 0; done < bytes; done += block.size()) {
        for (std::size_t i = 0; i < block.size(); i += 8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            for (int b = 0; b < 8; ++b)
                block[i + b] = static_cast<char>(state >> (8 * b));
        }
        file.write(block.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(block.size(), bytes - done)));
    }
    file.flush();
    if (!file)
        throw std::runtime_error("writing " + path + " failed");
}

// Drops the page cache, so the next read of a file comes from the device.
inline void drop_caches()
{
    ::sync();
    std::ofstream("/proc/sys/vm/drop_caches") << "3\n";
}

// FNV-1a of a file's content.
inline std::uint64_t file_digest(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw std::runtime_error("cannot open " + path);
    std::uint64_t hash = 0xcbf29ce484222325ull;
    char buffer[65536];
    while (file.read(buffer, sizeof buffer) || file.gcount() > 0) {
        for (std::streamsize i = 0; i < file.gcount(); ++i)
            hash = (hash ^ static_cast<unsigned char>(buffer[i])) * 0x100000001b3ull;
    }
    return hash;
}

}  // namespace volumes::test
