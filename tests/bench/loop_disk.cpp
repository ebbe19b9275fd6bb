#include "loop_disk.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include "command.hpp"

namespace volumes::bench {

LoopDisk::LoopDisk(const std::string& directory, const std::string& name, std::uint64_t size_bytes)
    : file_(fmt::format("{}/{}.img", directory, name))
{
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error(fmt::format("creating {}: {}", file_, std::strerror(errno)));
    const bool sized = ::ftruncate(fd, static_cast<off_t>(size_bytes)) == 0;
    ::close(fd);
    if (!sized)
        throw std::runtime_error(fmt::format("sizing {}: {}", file_, std::strerror(errno)));
    std::string output = run({"losetup", "--find", "--show", file_});
    while (!output.empty() && output.back() == '\n')
        output.pop_back();
    device_ = output;
}

LoopDisk::~LoopDisk()
{
    if (!device_.empty())
        try_run({"losetup", "-d", device_});
    ::unlink(file_.c_str());
}

}  // namespace volumes::bench
