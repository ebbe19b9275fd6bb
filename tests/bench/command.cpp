#include "command.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

namespace volumes::bench {

namespace {

int run_collecting(const std::vector<std::string>& argv, std::string& output)
{
    std::vector<char*> c_argv;
    for (const auto& word : argv)
        c_argv.push_back(const_cast<char*>(word.c_str()));
    c_argv.push_back(nullptr);

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error(fmt::format("pipe2: {}", std::strerror(errno)));
    const pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
    if (pid == 0) {
        const int null = ::open("/dev/null", O_RDONLY);
        if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(fds[1], 1) < 0 || ::dup2(fds[1], 2) < 0)
            ::_exit(126);
        ::execvp(c_argv[0], c_argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(fds[0], buffer, sizeof buffer);
        if (got > 0)
            output.append(buffer, static_cast<std::size_t>(got));
        else if (got == 0 || errno != EINTR)
            break;
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string joined(const std::vector<std::string>& argv)
{
    std::string line;
    for (const auto& word : argv)
        line += (line.empty() ? "" : " ") + word;
    return line;
}

}  // namespace

std::string run(const std::vector<std::string>& argv)
{
    std::string output;
    const int status = run_collecting(argv, output);
    if (status != 0)
        throw std::runtime_error(fmt::format("'{}' failed with status {}: {}", joined(argv), status, output));
    return output;
}

bool try_run(const std::vector<std::string>& argv, std::string* output)
{
    std::string collected;
    const int status = run_collecting(argv, collected);
    if (output)
        *output = std::move(collected);
    return status == 0;
}

}  // namespace volumes::bench
