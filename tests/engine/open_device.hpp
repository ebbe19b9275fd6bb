#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace volumes::test {

// Holds a device open, as a mounted filesystem or a reader would.
class OpenDevice {
public:
    explicit OpenDevice(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC))
    {
        if (fd_ < 0)
            throw std::runtime_error("cannot open " + path);
    }
    OpenDevice(const OpenDevice&) = delete;
    OpenDevice& operator=(const OpenDevice&) = delete;
    ~OpenDevice() { ::close(fd_); }

private:
    int fd_;
};

}  // namespace volumes::test
