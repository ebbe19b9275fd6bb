// Manager.CreatePool, Manager.ImportPool, and the Pool interface's methods, declared for the
// pipeline.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "service/bus/requests/method_parts.hpp"
#include "service/bus/requests/request_handler.hpp"
#include "service/logging/log.hpp"

namespace volumes::bus {

namespace {

// Pool creation and the pool list are one queue, so two CreatePool calls never race for a device.
constexpr const char* kPoolsQueue = "\x01pools";

// What a polkit rule sees of a call that writes over whole disks: "devices" (the paths, separated
// by spaces) and "force".
std::map<std::string, std::string> pool_disk_details(const std::vector<std::string>& devices, bool force)
{
    return {{"devices", fmt::format("{}", fmt::join(devices, " "))}, {"force", force ? "true" : "false"}};
}

}  // namespace

void RequestHandler::create_pool(CallContext call, std::string name, std::vector<std::string> devices,
                                 sdbus::Result<sdbus::ObjectPath> result)
{
    // Parsed before authorization, so that polkit sees "force"; refused only after it.
    auto request = parse_create_pool(name, devices, call.options);
    const bool force = request && request->options.force;
    pipeline_.run(call, std::move(result), Method<CreatePoolRequest, engine::PoolSummary, Path>{
        .action = action::manage_pools,
        .target = {name, {}, "CreatePool", pool_disk_details(devices, force)},
        .parse = [request] { return request; },
        .run = [](engine::Engine& engine, const CreatePoolRequest& pool) {
            return engine.create_pool(pool.name, pool.devices, pool.options);
        },
        .answer = [](Reply<Path>& reply, const engine::PoolSummary& created,
                     uid_t) { reply.reply(Path(pool_path(created.name))); },
        .queue = kPoolsQueue,
    });
}

void RequestHandler::import_pool(CallContext call, std::string pool, sdbus::Result<sdbus::ObjectPath> result)
{
    auto request = parse_import_pool(std::move(pool), call.options);
    const bool force = request && request->force;
    pipeline_.run(call, std::move(result), Method<ImportPoolRequest, engine::PoolSummary, Path>{
        .action = action::import_pool,
        .target = {request ? request->pool : std::string(), {}, "ImportPool", {{"force", force ? "true" : "false"}}},
        .parse = [request] { return request; },
        .run = [](engine::Engine& engine, const ImportPoolRequest& import) {
            return engine.import_pool(import.pool, import.force);
        },
        .answer = [](Reply<Path>& reply, const engine::PoolSummary& imported, uid_t) {
            logging::info({imported.name, {}, "ImportPool"}, "pool '{}' ({}) imported", imported.name,
                          imported.uuid.to_string());
            reply.reply(Path(pool_path(imported.name)));
        },
        .queue = kPoolsQueue,
        // The pool may have been named by its uuid: its objects are read by the name it has.
        .shows = [](const engine::Result<engine::PoolSummary>& imported) {
            return imported ? std::optional<std::string>(imported->name) : std::nullopt;
        },
        .shows_problems = true,
    });
}

void RequestHandler::destroy_pool(CallContext call, std::string pool, sdbus::Result<> result)
{
    auto force = parse_force(call.options);
    pipeline_.run(call, std::move(result), Method<bool, Done>{
        .action = action::manage_pools,
        .target = {pool, {}, "Destroy", pool_disk_details(tree_->member_paths(pool), force && *force)},
        .parse = [force] { return force; },
        .run = [pool](engine::Engine& engine, const bool& wipe) { return done(engine.destroy_pool(pool, wipe)); },
        .answer = answer_nothing,
    });
}

void RequestHandler::add_member(CallContext call, std::string pool, std::string device, sdbus::Result<> result)
{
    auto request = parse_add_member(std::move(device), call.options);
    const auto details = request ? pool_disk_details({request->device}, request->force)
                                 : std::map<std::string, std::string>{};
    pipeline_.run(call, std::move(result), Method<AddMemberRequest, engine::PoolSummary>{
        .action = action::manage_pools,
        .target = {pool, {}, "AddMember", details},
        .parse = [request] { return request; },
        .run = [pool](engine::Engine& engine, const AddMemberRequest& added) {
            return engine.add_member(pool, added.device, added.force);
        },
        .answer = [](Reply<>& reply, const engine::PoolSummary&, uid_t) { reply.reply(); },
    });
}

void RequestHandler::remove_member(CallContext call, std::string pool, std::string device, sdbus::Result<> result)
{
    auto request = parse_remove_member(std::move(device), call.options);
    const auto details =
        request ? pool_disk_details({request->device}, false) : std::map<std::string, std::string>{};
    // moving: the member held extents, and their move (ending with its removal) has started.
    struct Removal {
        bool moving = false;
    };
    pipeline_.run(call, std::move(result), Method<RemoveMemberRequest, Removal>{
        .action = action::manage_pools,
        .target = {pool, {}, "RemoveMember", details},
        .parse = [request] { return request; },
        .run = [pool](engine::Engine& engine, const RemoveMemberRequest& removal) -> engine::Result<Removal> {
            auto removed = engine.remove_member(pool, removal.device);
            if (removed)
                return Removal{};
            if (!removal.move || removed.error().code != engine::ErrorCode::InUse)
                return std::unexpected(removed.error());
            if (auto started = engine.start_extent_move(pool, removal.device, {.remove_member = true}); !started)
                return std::unexpected(started.error());
            return Removal{true};
        },
        .answer = {},
        .answer_later =
            [this, pool](const SharedReply<>& reply, const Removal& removal, uid_t uid) {
                if (!removal.moving)
                    return reply->reply();
                reply->step("moving the member's extents off it");
                start_move_job(pool, uid, reply);
            },
    });
}

void RequestHandler::create_volume(CallContext call, std::string pool, std::string name, std::uint64_t size,
                                   sdbus::Result<sdbus::ObjectPath> result)
{
    pipeline_.run(call, std::move(result), Method<VolumeRequest, engine::VolumeSummary, Path>{
        .action = action::manage,
        .target = {pool, name, "CreateVolume"},
        .parse = [name, size, options = call.options] { return parse_create_volume(name, size, options); },
        .run = [pool](engine::Engine& engine, const VolumeRequest& request) -> engine::Result<engine::VolumeSummary> {
            if (const auto* linear = std::get_if<engine::LinearRequest>(&request))
                return engine.create_linear_volume(pool, *linear);
            return engine.create_raid1_volume(pool, std::get<engine::Raid1Request>(request));
        },
        .answer = [this](Reply<Path>& reply, const engine::VolumeSummary& created, uid_t uid) {
            if (created.kind == "raid1")
                start_sync_job(created.pool, created.name, "raid1-sync", uid);
            answer_volume(reply, created, uid);
        },
    });
}

void RequestHandler::create_thin_pool(CallContext call, std::string pool, std::string name, std::uint64_t data_size,
                                      std::uint64_t metadata_size, sdbus::Result<sdbus::ObjectPath> result)
{
    pipeline_.run(call, std::move(result), Method<engine::ThinPoolRequest, engine::VolumeSummary, Path>{
        .action = action::manage,
        .target = {pool, name, "CreateThinPool"},
        .parse = [name, data_size, metadata_size, options = call.options] {
            return parse_create_thin_pool(name, data_size, metadata_size, options);
        },
        .run = [pool](engine::Engine& engine, const engine::ThinPoolRequest& request) {
            return engine.create_thin_pool(pool, request);
        },
        .answer = answer_volume,
    });
}

}  // namespace volumes::bus
