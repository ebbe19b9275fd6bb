#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace volumes::test {

// Runs volumectl (VOLUMECTL_PATH: the installed one in the guest, the build tree's on the
// host) with `args`, as root or as `as`.
ProcessResult volumectl(const std::vector<std::string>& args, std::optional<Credentials> as = std::nullopt);

// volumectl --json <args>; throws unless it exits 0 with JSON on stdout, which it returns.
nlohmann::json volumectl_json(const std::vector<std::string>& args);

// stdout parsed as JSON; throws (with the whole result) when it is not.
nlohmann::json parse_stdout(const ProcessResult& result);

// Runs volumectl with its stdin, stdout and stderr on a new pseudo-terminal, so that it
// behaves as on a user's terminal; `out` holds everything it wrote there.
ProcessResult volumectl_on_terminal(const std::vector<std::string>& args);

}  // namespace volumes::test
