#include "process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/core.h>
#include <grp.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace volumes::test {

namespace {

[[noreturn]] void throw_errno(const std::string& what)
{
    throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

struct Pipe {
    int read_end = -1;
    int write_end = -1;
    Pipe()
    {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            throw_errno("pipe2");
        read_end = fds[0];
        write_end = fds[1];
    }
    ~Pipe()
    {
        if (read_end >= 0)
            ::close(read_end);
        if (write_end >= 0)
            ::close(write_end);
    }
};

// Between fork and exec only async-signal-safe calls: the parent may have threads.
[[noreturn]] void exec_child(char* const* argv, const std::optional<Credentials>& as, int out, int err)
{
    const int null = ::open("/dev/null", O_RDONLY);
    if (null < 0 || ::dup2(null, 0) < 0 || (out >= 0 && ::dup2(out, 1) < 0) || (err >= 0 && ::dup2(err, 2) < 0))
        ::_exit(126);
    if (as && (::setgroups(0, nullptr) != 0 || ::setresgid(as->gid, as->gid, as->gid) != 0 ||
               ::setresuid(as->uid, as->uid, as->uid) != 0))
        ::_exit(126);
    ::execvp(argv[0], argv);
    ::_exit(127);
}

std::vector<char*> c_argv(const std::vector<std::string>& argv)
{
    if (argv.empty())
        throw std::invalid_argument("run_process: empty argv");
    std::vector<char*> pointers;
    for (const auto& word : argv)
        pointers.push_back(const_cast<char*>(word.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

int decode_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

}  // namespace

std::string ProcessResult::describe() const
{
    return fmt::format("exit status {}, stdout: '{}', stderr: '{}'", status, out, err);
}

ProcessResult run_process(const std::vector<std::string>& argv, std::optional<Credentials> as,
                          std::chrono::seconds timeout)
{
    auto pointers = c_argv(argv);
    Pipe out;
    Pipe err;
    const pid_t pid = ::fork();
    if (pid < 0)
        throw_errno("fork");
    if (pid == 0)
        exec_child(pointers.data(), as, out.write_end, err.write_end);
    ::close(out.write_end);
    out.write_end = -1;
    ::close(err.write_end);
    err.write_end = -1;

    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    pollfd fds[2] = {{out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_streams = 2;
    bool killed = false;
    while (open_streams > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 && !killed) {
            ::kill(pid, SIGKILL);
            killed = true;
        }
        if (::poll(fds, 2, killed ? 1000 : static_cast<int>(left.count())) < 0 && errno != EINTR)
            throw_errno("poll");
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            char buffer[4096];
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                sinks[i]->append(buffer, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                fds[i].fd = -1;
                --open_streams;
            }
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            throw_errno("waitpid");
    result.status = decode_status(status);
    if (killed)
        result.err += fmt::format("\n(killed after {} s)", timeout.count());
    return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, std::optional<Credentials> as)
{
    auto pointers = c_argv(argv);
    pid_ = ::fork();
    if (pid_ < 0)
        throw_errno("fork");
    if (pid_ == 0)
        exec_child(pointers.data(), as, -1, -1);
}

BackgroundProcess::~BackgroundProcess()
{
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace volumes::test
