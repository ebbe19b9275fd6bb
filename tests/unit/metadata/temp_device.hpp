#pragma once

#include <cstdint>
#include <string>
#include <vector>

// A sparse regular file standing in for a block device: real pread/pwrite/fdatasync, removed
// when the object goes. Tests corrupt it behind the library's back with the raw accessors.
class TempDevice {
public:
    explicit TempDevice(std::uint64_t size);
    TempDevice(TempDevice&& other) noexcept;
    TempDevice& operator=(TempDevice&&) = delete;
    TempDevice(const TempDevice&) = delete;
    TempDevice& operator=(const TempDevice&) = delete;
    ~TempDevice();

    int fd() const { return fd_; }
    void resize(std::uint64_t size);

    std::vector<std::uint8_t> read(std::uint64_t offset, std::size_t length) const;
    void write(std::uint64_t offset, const std::vector<std::uint8_t>& bytes);
    void flip_bit(std::uint64_t offset, int bit = 0);
    // What a torn write of `wanted` over `before` leaves: the first half new, the rest old.
    void tear(std::uint64_t offset, const std::vector<std::uint8_t>& before, const std::vector<std::uint8_t>& wanted);

private:
    int fd_ = -1;
    std::string path_;
};
