// A program the test runs next to itself (dbus-daemon, dbus-send), killed if still running
// when the test is done with it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace volumes::testing {

class ChildProcess {
public:
    enum class Capture { Nothing, Stdout, StdoutAndStderr };

    // Runs argv[0] (looked up in PATH). What `capture` names goes to a pipe the test reads
    // with read_line() or read_all().
    ChildProcess(const std::vector<std::string>& argv, Capture capture);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }

    // Whether the child has exited; its wait status once it has.
    std::optional<int> exit_status();

    // The next line of the child's stdout, without its newline; empty at end of file.
    std::string read_line();
    // Everything the child writes until it closes its output.
    std::string read_all();

private:
    pid_t pid_ = -1;
    int stdout_ = -1;
    std::optional<int> status_;
};

// Whether `program` is found in PATH.
bool program_available(const std::string& program);

}  // namespace volumes::testing
