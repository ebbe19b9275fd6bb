#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "service/daemon/activate_pools.hpp"
#include "service/logging/log.hpp"

namespace volumes::daemon {

struct DaemonOptions {
    // --activate: assemble and activate the pools, then exit (boot); no D-Bus.
    bool activate_only = false;
    Activation activation;  // --pool, --volume: what --activate brings up and requires
    std::optional<std::string> bus_address;  // the system bus when absent
    std::chrono::seconds job_retention{300};
    logging::Sink log_sink = logging::Sink::Automatic;
    logging::Level log_level = logging::Level::Info;
};

// Parses the command line; on --help or a bad argument, prints and returns the exit status.
struct ParsedOptions {
    std::optional<DaemonOptions> options;
    int exit_status = 0;
};
ParsedOptions parse_daemon_options(int argc, char** argv);

}  // namespace volumes::daemon
