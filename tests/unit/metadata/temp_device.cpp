#include "temp_device.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace {

[[noreturn]] void die(const std::string& what)
{
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

TempDevice::TempDevice(std::uint64_t size)
{
    auto pattern = (std::filesystem::temp_directory_path() / "volumes-metadata-test-XXXXXX").string();
    fd_ = ::mkstemp(pattern.data());
    if (fd_ < 0)
        die("mkstemp " + pattern);
    path_ = pattern;
    resize(size);
}

TempDevice::TempDevice(TempDevice&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_))
{
    other.fd_ = -1;
    other.path_.clear();
}

TempDevice::~TempDevice()
{
    if (fd_ >= 0)
        ::close(fd_);
    if (!path_.empty())
        ::unlink(path_.c_str());
}

void TempDevice::resize(std::uint64_t size)
{
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0)
        die("ftruncate " + path_);
}

std::vector<std::uint8_t> TempDevice::read(std::uint64_t offset, std::size_t length) const
{
    std::vector<std::uint8_t> bytes(length);
    if (::pread(fd_, bytes.data(), length, static_cast<off_t>(offset)) != static_cast<ssize_t>(length))
        die("pread " + path_);
    return bytes;
}

void TempDevice::write(std::uint64_t offset, const std::vector<std::uint8_t>& bytes)
{
    if (::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset)) != static_cast<ssize_t>(bytes.size()))
        die("pwrite " + path_);
}

void TempDevice::flip_bit(std::uint64_t offset, int bit)
{
    auto byte = read(offset, 1);
    byte[0] ^= static_cast<std::uint8_t>(1u << bit);
    write(offset, byte);
}

void TempDevice::tear(std::uint64_t offset, const std::vector<std::uint8_t>& before, const std::vector<std::uint8_t>& wanted)
{
    auto torn = before;
    std::copy(wanted.begin(), wanted.begin() + static_cast<std::ptrdiff_t>(wanted.size() / 2), torn.begin());
    write(offset, torn);
}
