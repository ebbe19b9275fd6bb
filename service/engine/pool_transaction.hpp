#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/engine/shared_targets.hpp"
#include "service/executor/udev_reaper.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"
#include "service/planner/plan.hpp"

namespace volumes::engine {

// Makes `next` the pool's committed model and brings its dm devices to match, in one
// transaction (service/executor/run_transaction.hpp). Refused, with nothing changed, when the
// model breaks a rule, no member of the pool can be written, or the kernel lacks a feature it
// needs. A member whose metadata cannot be written (an I/O error, before anything is committed)
// is marked failed and the transaction runs again without it. On success, or on a failure
// after the commit, the pool's model becomes `next` with those members marked.
//
// With `thin`, the change also sends thin-pool messages once the precommitted document is
// written (thin_messages_commit.hpp).
struct ThinPoolSideChange {
    model::Uuid thin_pool;                  // the thin pool volume the messages go to
    std::vector<std::string> messages;
    std::vector<std::string> undo;          // sent, best effort, when the transaction reverts
    std::optional<model::Uuid> quiesced;    // a volume whose device is suspended while they go
};
//
// The udev events the caller need not wait for go to `udev_reaper`.
Result<void> apply_pool_change(ManagedPool& pool, const model::Pool& next, SharedTargets& targets,
                               executor::UdevReaper& udev_reaper, const ThinPoolSideChange* thin = nullptr);

// Brings the pool's dm devices to its committed model without writing metadata: start-up
// reconciliation, after assemble_pool has settled which document is committed. Devices of
// uncommitted transactions get error tables and are removed; suspended devices resume. A
// plan refused because udev still held a leaving device is tried once more after udev settles.
Result<void> reconcile_pool(ManagedPool& pool, SharedTargets& targets, executor::UdevReaper& udev_reaper);

// Reconciles a pool whose devices differ from its committed metadata (ManagedPool::unhealed),
// as start-up does, and clears `unhealed` once the kernel agrees. Nothing to do is success.
Result<void> heal_pool(ManagedPool& pool, SharedTargets& targets, executor::UdevReaper& udev_reaper);

// The plan reconcile_pool would run now; reads the kernel, changes nothing.
Result<planner::Plan> plan_reconciliation(const ManagedPool& pool);

}  // namespace volumes::engine
