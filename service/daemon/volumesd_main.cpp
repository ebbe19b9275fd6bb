#include <cstring>
#include <memory>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/authorization/authority.hpp"
#include "service/bus/bus_loop.hpp"
#include "service/bus/jobs/job_registry.hpp"
#include "service/bus/jobs/raid_sync_watch.hpp"
#include "service/bus/object_paths.hpp"
#include "service/bus/objects/manager_object.hpp"
#include "service/bus/objects/object_tree.hpp"
#include "service/bus/requests/request_handler.hpp"
#include "service/bus/work_queues.hpp"
#include "service/daemon/activate_pools.hpp"
#include "service/daemon/daemon_options.hpp"
#include "service/daemon/memory_lock.hpp"
#include "service/engine/engine.hpp"
#include "service/logging/log.hpp"

namespace {

using namespace volumes;

std::unique_ptr<sdbus::IConnection> connect(const daemon::DaemonOptions& options)
{
    if (options.bus_address)
        return sdbus::createSessionBusConnectionWithAddress(*options.bus_address);
    return sdbus::createSystemBusConnection();
}

int serve(const daemon::DaemonOptions& options)
{
    auto connection = connect(options);
    // Before any thread starts, so that they all leave SIGTERM and SIGINT to the bus loop.
    bus::BusLoop loop(*connection);

    auto engine = engine::Engine::start();
    if (!engine) {
        logging::error({}, "cannot start: {}", engine.error().message);
        return 1;
    }
    for (const auto& pool : (*engine)->pools())
        for (const auto& problem : pool.problems)
            logging::warning({pool.name, {}, "start"}, "{}", problem);

    bus::WorkQueues queues;
    bus::Authority authority(*connection);
    bus::RequestHandler handler(**engine, loop, queues, authority);
    bus::ManagerObject manager(*connection, VOLUMES_VERSION, (*engine)->kernel_targets(), handler);
    bus::ObjectTree tree(*connection, loop, handler);
    bus::JobRegistry jobs(*connection, loop, handler, options.job_retention);
    bus::RaidSyncWatches watches(**engine, loop);
    bus::SnapshotMergeWatches merges(**engine, loop);
    handler.attach(manager, tree, jobs, watches, merges);

    handler.export_all();
    // The name last, so a bus-activated caller's first message finds every object exported.
    connection->requestName(bus::kBusName);
    logging::info({}, "volumesd {} serving on {}", VOLUMES_VERSION,
                  options.bus_address ? *options.bus_address : std::string("the system bus"));
    int signal = loop.run();
    logging::info({}, "stopping ({}): finishing the work under way", signal ? strsignal(signal) : "asked to");
    watches.stop();
    merges.stop();
    queues.shutdown();
    connection->releaseName(bus::kBusName);
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    auto parsed = volumes::daemon::parse_daemon_options(argc, argv);
    if (!parsed.options)
        return parsed.exit_status;
    volumes::logging::configure(parsed.options->log_sink, parsed.options->log_level);
    // Before any thread starts or any device is suspended.
    volumes::daemon::lock_memory();
    try {
        if (parsed.options->activate_only)
            return volumes::daemon::activate_pools(parsed.options->activation);
        return serve(*parsed.options);
    } catch (const sdbus::Error& e) {
        volumes::logging::error({}, "D-Bus: {} ({})", e.getMessage(), e.getName());
    } catch (const std::exception& e) {
        volumes::logging::error({}, "{}", e.what());
    }
    return 1;
}
