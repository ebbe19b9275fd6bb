#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/engine/engine_error.hpp"
#include "service/model/pool_model.hpp"

// Autoextend, decided purely like resize_changes.hpp: which thin pools' data and metadata and
// which CoW snapshots' COWs grow, by how much, and which cannot. The engine reads the usage
// from the kernel and applies the result in one transaction (Engine::autoextend).
namespace volumes::engine {

enum class AutoextendPart { Data, Metadata, Cow };
// "data", "metadata", "cow": the `what` of Pool.SpaceWarning.
const char* part_name(AutoextendPart part);

// What the kernel reports of one part; `used` and `total` in one unit of the caller's (blocks,
// sectors): only their ratio counts. The caller lists only what may grow now: an active thin
// pool in mode "rw" or "out_of_data_space" without needs_check, a valid snapshot.
struct PartUsage {
    model::Uuid volume;
    AutoextendPart part = AutoextendPart::Data;
    std::uint64_t used = 0;
    std::uint64_t total = 0;
};

struct AutoextendGrowth {
    model::Uuid volume;
    std::string name;
    AutoextendPart part = AutoextendPart::Data;
    std::uint32_t used_percent = 0;
    std::uint64_t from_bytes = 0;
    std::uint64_t to_bytes = 0;
};

// A part past its threshold that did not grow by its whole step: the pool had too few free
// extents (it grew by what there was, if any), or thin metadata is at dm-thin's 16 GiB.
struct AutoextendShortfall {
    model::Uuid volume;
    std::string name;
    AutoextendPart part = AutoextendPart::Data;
    std::uint32_t used_percent = 0;
    std::string message;
};

struct AutoextendPlan {
    model::Pool next;  // the pool with every growth; equal to the input when nothing grows
    std::vector<AutoextendGrowth> grown;
    std::vector<AutoextendShortfall> shortfalls;
};

// For each usage in order: nothing while the part is below its volume's threshold
// (model::effective_autoextend) or autoextend is off (threshold 100); else the part grows by
// the step, a percent of its current extents rounded up, at least one extent, from the free
// extents left by the parts before it. With fewer free extents than the step it takes what is
// free and is a shortfall too, and with none it is only a shortfall: growing by less still buys
// time, and the warning says the pool itself is full. Usages of volumes the pool no longer
// has, of another kind, or of a snapshot being merged are skipped.
Result<AutoextendPlan> plan_autoextend(const model::Pool& pool, const std::vector<PartUsage>& usages);

// The pool with a new default policy for its thin pools (`snapshots` false) or its CoW
// snapshots. InvalidArgument for a policy out of bounds (model::check_autoextend_policy).
Result<model::Pool> with_pool_autoextend(const model::Pool& pool, bool snapshots, const model::AutoextendPolicy& policy);

// The pool with the thin pool's or CoW snapshot's own policy set, or with nullopt, inheriting
// its pool's again. InvalidArgument for another kind of volume or a policy out of bounds;
// NotFound for no such volume.
Result<model::Pool> with_volume_autoextend(const model::Pool& pool, const model::Uuid& volume,
                                           const std::optional<model::AutoextendPolicy>& policy);

}  // namespace volumes::engine
