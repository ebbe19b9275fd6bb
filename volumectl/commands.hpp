#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

#include "session.hpp"

namespace volumectl {

// One subcommand: what CLI11 parses, and what runs once it was chosen.
struct Command {
    CLI::App* app;
    std::function<Output(Session&)> run;
};

// list, show, jobs, wait
void add_query_commands(CLI::App& app, std::vector<Command>& commands);
// create-pool, create, remove, activate, deactivate
void add_volume_commands(CLI::App& app, std::vector<Command>& commands);
// split-track, split, merge, snapshot, rollback
void add_raid1_and_snapshot_commands(CLI::App& app, std::vector<Command>& commands);
// thin-pool, thin, reserve-metadata-snap, release-metadata-snap
void add_thin_commands(CLI::App& app, std::vector<Command>& commands);
// resize, rename, add-member, remove-member
void add_lifetime_commands(CLI::App& app, std::vector<Command>& commands);
// autoextend
void add_autoextend_command(CLI::App& app, std::vector<Command>& commands);
// evacuate_command.cpp: evacuate (Pool.EvacuateMember) and cancel (Job.Cancel).
void add_evacuate_commands(CLI::App& app, std::vector<Command>& commands);
// convert
void add_convert_command(CLI::App& app, std::vector<Command>& commands);

// A size argument's value as a string option with parse_size's syntax.
CLI::Option* add_size_option(CLI::App& app, const std::string& name, std::string& value, const std::string& help);

// {"jobs": [...]} and their table after waiting for each; exit 11 if one failed.
Output wait_for_jobs(Session& session, const std::vector<std::string>& jobs);

}  // namespace volumectl
