#pragma once

#include <cstdint>
#include <string>

namespace volumes::bench {

// A sparse file in a tmpfs directory attached to a loop device; detached and deleted
// when destroyed.
class LoopDisk {
public:
    LoopDisk(const std::string& directory, const std::string& name, std::uint64_t size_bytes);
    LoopDisk(const LoopDisk&) = delete;
    LoopDisk& operator=(const LoopDisk&) = delete;
    ~LoopDisk();

    const std::string& device() const { return device_; }

private:
    std::string file_;
    std::string device_;
};

}  // namespace volumes::bench
