#pragma once

#include <string>
#include <vector>

namespace volumes::bench {

// Runs argv[0] (looked up in PATH) and waits for it; returns its stdout and stderr,
// interleaved. Throws std::runtime_error, with that output, if it does not exit 0.
std::string run(const std::vector<std::string>& argv);

// Like run(), but returns whether it exited 0 and never throws for a failure.
bool try_run(const std::vector<std::string>& argv, std::string* output = nullptr);

}  // namespace volumes::bench
