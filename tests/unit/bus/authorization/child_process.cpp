#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

extern char** environ;

namespace volumes::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, Capture capture)
{
    const bool capture_stdout = capture != Capture::Nothing;
    int pipe_fds[2] = {-1, -1};
    if (capture_stdout && ::pipe2(pipe_fds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe2 failed");

    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    if (capture_stdout)
        ::posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    if (capture == Capture::StdoutAndStderr)
        ::posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);

    std::vector<char*> args;
    for (const auto& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);

    const int error = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (capture_stdout) {
        ::close(pipe_fds[1]);
        stdout_ = pipe_fds[0];
    }
    if (error != 0) {
        if (stdout_ >= 0)
            ::close(stdout_);
        throw std::runtime_error(fmt::format("cannot run {}: error {}", argv.at(0), error));
    }
}

ChildProcess::~ChildProcess()
{
    if (!exit_status()) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    if (stdout_ >= 0)
        ::close(stdout_);
}

std::optional<int> ChildProcess::exit_status()
{
    if (status_)
        return status_;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_)
        status_ = status;
    return status_;
}

std::string ChildProcess::read_line()
{
    std::string line;
    char c = 0;
    while (::read(stdout_, &c, 1) == 1 && c != '\n')
        line += c;
    return line;
}

std::string ChildProcess::read_all()
{
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(stdout_, buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(n));
    return text;
}

bool program_available(const std::string& program)
{
    const char* path = std::getenv("PATH");
    if (path == nullptr)
        return false;
    std::string_view rest{path};
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const auto dir = rest.substr(0, colon);
        if (::access(fmt::format("{}/{}", dir, program).c_str(), X_OK) == 0)
            return true;
        if (colon == std::string_view::npos)
            break;
        rest.remove_prefix(colon + 1);
    }
    return false;
}

}  // namespace volumes::testing
