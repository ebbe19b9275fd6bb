#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace volumes::test {

// Who a child process runs as: the uid and gid, with no supplementary groups.
struct Credentials {
    uid_t uid;
    gid_t gid;
};

// "nobody": the unprivileged caller of the authorization tests.
inline constexpr Credentials unprivileged{65534, 65534};

struct ProcessResult {
    int status = -1;  // the exit status, or 128 + the signal that ended it
    std::string out;
    std::string err;

    std::string describe() const;  // "exit status 1, stderr: ..."
};

// Runs argv[0] (looked up in PATH) with argv and waits for it, collecting stdout and
// stderr. With `as`, the child drops to those credentials before exec. A child still
// running after `timeout` is killed; a failure to start throws.
ProcessResult run_process(const std::vector<std::string>& argv, std::optional<Credentials> as = std::nullopt,
                          std::chrono::seconds timeout = std::chrono::seconds(120));

// A child process that runs until it is destroyed (SIGKILL, then reaped), e.g. a process
// of the unprivileged user for polkit to check.
class BackgroundProcess {
public:
    BackgroundProcess(const std::vector<std::string>& argv, std::optional<Credentials> as = std::nullopt);
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;
    ~BackgroundProcess();

    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
};

}  // namespace volumes::test
