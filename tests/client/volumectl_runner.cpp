#include "volumectl_runner.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <poll.h>
#include <pty.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace volumes::test {

namespace {

std::vector<std::string> command_line(const std::vector<std::string>& args)
{
    std::vector<std::string> argv{VOLUMECTL_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

// The guest mounts no devpts; openpty needs one at /dev/pts.
void ensure_devpts()
{
    if (std::filesystem::exists("/dev/pts/ptmx"))
        return;
    std::filesystem::create_directories("/dev/pts");
    if (::mount("devpts", "/dev/pts", "devpts", 0, "newinstance,ptmxmode=0666,mode=0620") != 0)
        throw std::runtime_error(fmt::format("mounting devpts on /dev/pts: {}", std::strerror(errno)));
    if (!std::filesystem::exists("/dev/ptmx"))
        std::filesystem::create_symlink("pts/ptmx", "/dev/ptmx");
}

}  // namespace

ProcessResult volumectl(const std::vector<std::string>& args, std::optional<Credentials> as)
{
    return run_process(command_line(args), as, std::chrono::seconds(300));
}

nlohmann::json parse_stdout(const ProcessResult& result)
{
    try {
        return nlohmann::json::parse(result.out);
    } catch (const nlohmann::json::exception& error) {
        throw std::runtime_error(fmt::format("volumectl's stdout is not JSON ({}): {}", error.what(), result.describe()));
    }
}

nlohmann::json volumectl_json(const std::vector<std::string>& args)
{
    std::vector<std::string> with_json{"--json"};
    with_json.insert(with_json.end(), args.begin(), args.end());
    const auto result = volumectl(with_json);
    if (result.status != 0)
        throw std::runtime_error(fmt::format("volumectl {} failed: {}", fmt::join(args, " "), result.describe()));
    return parse_stdout(result);
}

ProcessResult volumectl_on_terminal(const std::vector<std::string>& args)
{
    ensure_devpts();
    const auto argv = command_line(args);
    std::vector<char*> pointers;
    for (const auto& word : argv)
        pointers.push_back(const_cast<char*>(word.c_str()));
    pointers.push_back(nullptr);

    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0)
        throw std::runtime_error(fmt::format("forkpty: {}", std::strerror(errno)));
    if (pid == 0) {
        ::execv(pointers[0], pointers.data());
        ::_exit(127);
    }
    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) {
            ::kill(pid, SIGKILL);
            result.err = "killed after 300 s";
            break;
        }
        pollfd fd{master, POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(left)) < 0 && errno != EINTR)
            break;
        char buffer[4096];
        const ssize_t got = ::read(master, buffer, sizeof buffer);
        if (got > 0)
            result.out.append(buffer, static_cast<std::size_t>(got));
        else if (got == 0 || errno != EINTR)
            break;  // EIO once the child and its descendants closed the terminal
    }
    ::close(master);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

}  // namespace volumes::test
