#include "kernel_floor.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timing.hpp"
#include "volumesd_process.hpp"

namespace volumes::bench {

namespace {

// strace, attached to every thread of `pid`; its stderr is read until it says so.
class Strace {
public:
    Strace(std::uint32_t pid, const std::string& trace_file)
    {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            throw std::runtime_error(fmt::format("pipe2: {}", std::strerror(errno)));
        const std::string pid_text = std::to_string(pid);
        std::vector<const char*> argv{"strace", "-f", "-T", "-e", "trace=ioctl,semop,semtimedop",
                                      "-o", trace_file.c_str(), "-p", pid_text.c_str(), nullptr};
        child_ = ::fork();
        if (child_ < 0)
            throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
        if (child_ == 0) {
            const int null = ::open("/dev/null", O_RDWR);
            if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(null, 1) < 0 || ::dup2(fds[1], 2) < 0)
                ::_exit(126);
            ::execvp(argv[0], const_cast<char**>(argv.data()));
            ::_exit(127);
        }
        ::close(fds[1]);
        stderr_ = fds[0];
        std::string said;
        char buffer[512];
        while (said.find("attached") == std::string::npos) {
            const ssize_t got = ::read(stderr_, buffer, sizeof buffer);
            if (got > 0)
                said.append(buffer, static_cast<std::size_t>(got));
            else if (got == 0 || errno != EINTR) {
                stop();
                throw std::runtime_error(fmt::format("strace did not attach to volumesd ({}): {}", pid, said));
            }
        }
    }

    Strace(const Strace&) = delete;
    Strace& operator=(const Strace&) = delete;
    ~Strace() { stop(); }

    // Detaches (SIGINT) and waits for strace to finish writing the trace.
    void stop()
    {
        if (child_ <= 0)
            return;
        ::kill(child_, SIGINT);
        char buffer[512];
        while (::read(stderr_, buffer, sizeof buffer) > 0) {
        }
        ::close(stderr_);
        int status = 0;
        while (::waitpid(child_, &status, 0) < 0 && errno == EINTR) {
        }
        child_ = -1;
    }

private:
    pid_t child_ = -1;
    int stderr_ = -1;
};

// Lines of `strace -f -T -o`: "<tid>  ioctl(3, DM_DEV_SUSPEND, {...}) = 0 <0.000250>", or a
// call split in two around another thread's: "... <unfinished ...>" then
// "<tid>  <... ioctl resumed>...) = 0 <0.000250>".
KernelFloor sum_trace(const std::string& trace_file)
{
    static const std::regex started(R"(^(\d+)\s+(ioctl|semop|semtimedop)\(\d+, ([A-Z_0-9]+)?)");
    static const std::regex resumed(R"(^(\d+)\s+<\.\.\. (ioctl|semop|semtimedop) resumed>)");
    static const std::regex duration(R"(<(\d+\.\d+)>\s*$)");
    std::ifstream trace(trace_file);
    if (!trace)
        throw std::runtime_error(fmt::format("cannot read the trace {}", trace_file));
    std::map<std::string, std::pair<std::string, std::string>> unfinished;  // tid -> (syscall, ioctl name)
    KernelFloor floor;
    std::map<std::string, double> waits;  // tid -> seconds in semop/semtimedop
    std::map<std::string, bool> changed;  // tid -> made a dm ioctl
    std::string line;
    std::smatch match;
    while (std::getline(trace, line)) {
        std::string syscall, name, tid;
        if (std::regex_search(line, match, started)) {
            tid = match[1];
            syscall = match[2];
            name = match[3];
            if (line.find("<unfinished ...>") != std::string::npos) {
                unfinished[match[1]] = {syscall, name};
                continue;
            }
        } else if (std::regex_search(line, match, resumed)) {
            tid = match[1];
            auto found = unfinished.find(match[1]);
            if (found == unfinished.end())
                continue;
            std::tie(syscall, name) = found->second;
            unfinished.erase(found);
        } else {
            continue;
        }
        if (!std::regex_search(line, match, duration))
            continue;
        const double seconds = std::stod(match[1]);
        if (syscall == "ioctl" && name.starts_with("DM_")) {
            ++floor.ioctls;
            floor.ioctl_seconds += seconds;
            changed[tid] = true;
        } else if (syscall != "ioctl") {
            waits[tid] += seconds;
        }
    }
    for (const auto& [tid, seconds] : waits)
        (changed[tid] ? floor.udev_wait_seconds : floor.udev_later_seconds) += seconds;
    return floor;
}

}  // namespace

KernelFloor trace_volumesd_call(const std::string& trace_file, const std::function<void()>& call)
{
    double call_seconds = 0;
    {
        Strace strace(volumesd_pid(), trace_file);
        const auto start = Clock::now();
        call();
        call_seconds = seconds_between(start, Clock::now());
    }
    auto floor = sum_trace(trace_file);
    floor.call_seconds = call_seconds;
    if (floor.ioctls == 0)
        throw std::runtime_error(fmt::format("the trace {} holds no dm ioctl of volumesd", trace_file));
    return floor;
}

std::string trace_path(const std::string& fallback_dir, const std::string& name)
{
    const char* dir = std::getenv("VOLUMES_BENCH_TRACE_DIR");
    return fmt::format("{}/{}", dir && *dir ? dir : fallback_dir, name);
}

int print_kernel_floors(const KernelFloors& floors)
{
    if (!floors.failure.empty()) {
        fmt::print(stderr, "kernel floor FAILED: {}\n", floors.failure);
        return 1;
    }
    if (floors.steps.empty())
        return 0;
    fmt::print("\nkernel floor: one more volumesd cycle under strace -f -T (dm ioctls and udev cookie waits)\n");
    fmt::print("  {:<16} {:>10} {:>10} {:>14} {:>14} {:>15}\n", "", "call (s)", "dm ioctls", "in ioctls (s)",
               "udev wait (s)", "udev later (s)");
    for (const auto& [label, floor] : floors.steps)
        fmt::print("  {:<16} {:>10.3f} {:>10} {:>14.4f} {:>14.3f} {:>15.3f}\n", label, floor.call_seconds,
                   floor.ioctls, floor.ioctl_seconds, floor.udev_wait_seconds, floor.udev_later_seconds);
    return 0;
}

}  // namespace volumes::bench
