// volumectl: the command line of volumesd (see volumectl.1).
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "usage_error.hpp"

namespace {

using namespace volumectl;

void print_error(const GlobalOptions& options, const std::string& name, const std::string& message, int exit_code)
{
    std::fprintf(stderr, "volumectl: %s\n", message.c_str());
    if (options.json)
        std::cout << nlohmann::json{{"error", {{"name", name}, {"message", message}, {"exit_code", exit_code}}}}.dump(2)
                  << "\n";
}

int run(const Command& command, const GlobalOptions& options)
{
    Session session(options);
    try {
        const auto out = command.run(session);
        if (options.json)
            std::cout << out.json.dump(2) << "\n";
        else
            std::cout << out.text;
        return out.exit_code;
    } catch (const UsageError& error) {
        print_error(options, "UsageError", error.what(), exit_bad_input);
        return exit_bad_input;
    } catch (const volumes::client::Error& error) {
        const int code = exit_code_for(error.code());
        const std::string name = error.dbus_name().empty() ? std::string(error_code_name(error.code())) : error.dbus_name();
        print_error(options, name, error.message(), code);
        return code;
    } catch (const std::exception& error) {
        print_error(options, "Failed", error.what(), exit_failed);
        return exit_failed;
    }
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app("volumectl: pools and device-mapper volumes of volumesd, over D-Bus", "volumectl");
    app.require_subcommand(1);
    app.fallthrough();

    GlobalOptions options;
    app.add_option("--address", options.address, "D-Bus address of the bus to use instead of the system bus");
    app.add_flag("--json", options.json, "Print results as JSON (see volumectl(1) for the shapes)");
    app.add_flag("--no-ask-password", options.no_ask_password,
                 "Do not let polkit ask for a password (option auth.no_user_interaction)");
    app.add_flag("--no-progress", options.no_progress, "No progress bar while waiting, even on a terminal");

    std::vector<Command> commands;
    add_query_commands(app, commands);
    add_volume_commands(app, commands);
    add_raid1_and_snapshot_commands(app, commands);
    add_thin_commands(app, commands);
    add_lifetime_commands(app, commands);
    add_autoextend_command(app, commands);
    add_evacuate_commands(app, commands);
    add_convert_command(app, commands);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int status = app.exit(error);
        return status == 0 ? exit_ok : exit_bad_input;
    }

    install_interrupt_handlers();
    for (const auto& command : commands)
        if (command.app->parsed())
            return run(command, options);
    return exit_bad_input;
}
