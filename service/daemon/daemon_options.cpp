#include "service/daemon/daemon_options.hpp"

#include <map>

#include <CLI/CLI.hpp>

#include "service/model/names.hpp"

namespace volumes::daemon {

namespace {

template <class Check>
CLI::Validator valid(Check check)
{
    return CLI::Validator(
        [check](std::string& text) -> std::string {
            auto checked = check(text);
            return checked ? std::string() : checked.error().message;
        },
        "NAME");
}

}  // namespace

ParsedOptions parse_daemon_options(int argc, char** argv)
{
    CLI::App app{"volumesd: pools of block devices and their device-mapper volumes, over D-Bus", "volumesd"};
    DaemonOptions options;
    std::string address;
    long retention = options.job_retention.count();
    auto* activate = app.add_flag("--activate", options.activate_only,
                                  "Activate every pool's active volumes, start their pending merges, and exit "
                                  "(early boot); no D-Bus");
    std::string pool;
    std::string volume;
    auto* pool_option = app.add_option("--pool", pool, "With --activate: activate only this pool (the root's, in the initramfs)")
                            ->needs(activate)
                            ->check(valid(model::check_pool_name));
    app.add_option("--volume", volume,
                   "With --activate and --pool: this volume must be active afterwards, else print why and exit 3 (its pool or "
                   "a member is missing) or 4")
        ->needs(pool_option)
        ->check(valid(model::check_volume_name));
    app.add_option("--address", address, "D-Bus address to serve on instead of the system bus (for tests)")
        ->excludes(activate);
    app.add_option("--job-retention", retention, "Seconds a finished job stays exported")
        ->check(CLI::Range(0L, 7L * 24 * 3600))
        ->capture_default_str();
    const std::map<std::string, logging::Sink> sinks{
        {"auto", logging::Sink::Automatic}, {"journal", logging::Sink::Journal}, {"stderr", logging::Sink::Stderr}};
    app.add_option("--log-target", options.log_sink, "Where to log: auto (journal unless on a terminal), journal, stderr")
        ->transform(CLI::CheckedTransformer(sinks, CLI::ignore_case));
    const std::map<std::string, logging::Level> levels{{"debug", logging::Level::Debug},
                                                       {"info", logging::Level::Info},
                                                       {"notice", logging::Level::Notice},
                                                       {"warning", logging::Level::Warning},
                                                       {"error", logging::Level::Error}};
    app.add_option("--log-level", options.log_level, "Least important messages to log")
        ->transform(CLI::CheckedTransformer(levels, CLI::ignore_case));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return {std::nullopt, app.exit(e)};
    }
    if (!pool.empty())
        options.activation.pool = pool;
    if (!volume.empty())
        options.activation.required = RequiredVolume{pool, volume};
    if (!address.empty())
        options.bus_address = address;
    options.job_retention = std::chrono::seconds(retention);
    return {options, 0};
}

}  // namespace volumes::daemon
