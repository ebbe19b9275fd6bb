// Pool.EvacuateMember and the cancelable job that follows the move (Job.Cancel).
#include <chrono>

#include <fmt/format.h>

#include "service/bus/bus_errors.hpp"
#include "service/bus/object_paths.hpp"
#include "service/bus/requests/method_parts.hpp"
#include "service/bus/requests/request_handler.hpp"
#include "service/bus/state/state_reader.hpp"
#include "service/logging/log.hpp"

namespace volumes::bus {

namespace {

constexpr const char* kMoveOperation = "member-evacuate";
constexpr std::chrono::milliseconds kMoveSampleInterval{250};

}  // namespace

void RequestHandler::evacuate_member(CallContext call, std::string pool, std::string device,
                                     sdbus::Result<sdbus::ObjectPath> result)
{
    auto request = parse_evacuate_member(device, call.options);
    std::map<std::string, std::string> details{{"devices", device}, {"force", "false"}};
    pipeline_.run(call, std::move(result), Method<EvacuateMemberRequest, Done, Path>{
        .action = action::manage_pools,
        .target = {pool, {}, "EvacuateMember", details},
        .parse = [request] { return request; },
        .run = [pool](engine::Engine& engine, const EvacuateMemberRequest& evacuate) -> engine::Result<Done> {
            if (auto started = engine.start_extent_move(pool, evacuate.device, evacuate.move); !started)
                return std::unexpected(started.error());
            return Done{};
        },
        .answer = [this, pool](Reply<Path>& reply, const Done&, uid_t uid) {
            reply.reply(Path(start_move_job(pool, uid)));
        },
    });
}

std::string RequestHandler::start_move_job(const std::string& pool, uid_t uid, SharedReply<> waiter)
{
    auto id = jobs_->start({kMoveOperation, {pool_path(pool)}, uid, true});
    move_jobs_.emplace(id, pool);
    if (waiter)
        move_waiters_.emplace(id, std::move(waiter));
    sample_move(id, pool);
    return job_path(id);
}

void RequestHandler::sample_move(std::uint64_t id, const std::string& pool)
{
    if (!move_jobs_.contains(id))
        return;  // cancelled or ended meanwhile
    auto progress = engine_.extent_move_progress(pool);
    if (!progress) {
        // A copy lost a leg (or the pool is gone): the move is dropped, so the volumes stay on
        // the runs they had, and the job fails.
        const auto reason = progress.error().message;
        move_jobs_.erase(id);
        queues_.submit(pool, [this, id, pool, reason] {
            auto cancelled = engine_.cancel_extent_move(pool);
            auto snapshot = read_pool(engine_, pool);
            loop_.post([this, id, pool, reason, cancelled = std::move(cancelled), snapshot = std::move(snapshot)] {
                if (snapshot && tree_->has_pool(pool))
                    tree_->apply(*snapshot);
                end_move_job(id, pool, false,
                             cancelled ? fmt::format("the move was dropped: {}", reason)
                                       : fmt::format("{}; dropping the move failed too: {}", reason,
                                                     cancelled.error().message));
            });
        });
        return;
    }
    if (!progress->moving) {
        move_jobs_.erase(id);
        end_move_job(id, pool, false, "the move ended without this job");
        return;
    }
    jobs_->progress(id, progress->copied_sectors * 512, progress->total_sectors * 512);
    if (progress->copying && !progress->copied) {
        loop_.after(kMoveSampleInterval, [this, id, pool] { sample_move(id, pool); });
        return;
    }
    // Every copy is in sync: the destinations become the volumes' extents on the pool's worker.
    // Until that runs, a Job.Cancel still finds the job and drops the move instead.
    queues_.submit(pool, [this, id, pool] {
        auto finished = engine_.finish_extent_move(pool);
        auto snapshot = read_pool(engine_, pool);
        loop_.post([this, id, pool, finished = std::move(finished), snapshot = std::move(snapshot)] {
            if (snapshot && tree_->has_pool(pool))
                tree_->apply(*snapshot);
            if (!move_jobs_.contains(id))
                return;  // cancelled first: its cancel ended the job
            if (!finished) {
                move_jobs_.erase(id);
                end_move_job(id, pool, false, finished.error().message);
                return;
            }
            if (*finished == engine::ExtentMoveEnd::Copying) {
                loop_.after(kMoveSampleInterval, [this, id, pool] { sample_move(id, pool); });
                return;
            }
            move_jobs_.erase(id);
            end_move_job(id, pool, true,
                         *finished == engine::ExtentMoveEnd::Removed
                             ? "the member's extents were moved and it left the pool"
                             : "the member's extents were moved");
        });
    });
}

void RequestHandler::end_move_job(std::uint64_t id, const std::string& pool, bool success, const std::string& message,
                                  engine::ErrorCode failure)
{
    if (const auto waiter = move_waiters_.find(id); waiter != move_waiters_.end()) {
        if (success)
            waiter->second->reply();
        else
            waiter->second->fail(sdbus::Error(error_name(failure), message));
        move_waiters_.erase(waiter);
    }
    const logging::Fields fields{pool, {}, kMoveOperation};
    if (success)
        logging::info(fields, "job {}: {}", id, message);
    else
        logging::warning(fields, "job {} ended: {}", id, message);
    jobs_->finish(id, success, message);
}

void RequestHandler::cancel_move_job(std::uint64_t id, std::function<void(engine::Result<void>)> done)
{
    const auto found = move_jobs_.find(id);
    if (found == move_jobs_.end())
        return done(engine::fail(engine::ErrorCode::Busy, fmt::format("job {} has already ended", id)));
    const auto pool = found->second;
    queues_.submit(pool, [this, id, pool, done = std::move(done)] {
        auto cancelled = engine_.cancel_extent_move(pool);
        auto snapshot = read_pool(engine_, pool);
        loop_.post([this, id, pool, done, cancelled = std::move(cancelled), snapshot = std::move(snapshot)] {
            if (snapshot && tree_->has_pool(pool))
                tree_->apply(*snapshot);
            if (!cancelled) {
                // The move had finished first (its end is the job's), or the transaction failed.
                return done(std::unexpected(cancelled.error()));
            }
            if (move_jobs_.erase(id))
                end_move_job(id, pool, false, "cancelled: the volumes stay on the member, as before the move",
                             engine::ErrorCode::Cancelled);
            done({});
        });
    });
}

}  // namespace volumes::bus
