#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "service/devices/block_device.hpp"
#include "service/graph/derive_graph.hpp"
#include "service/metadata/metadata_area.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::engine {

// A member device the engine holds open, with its metadata area.
struct OpenMember {
    devices::BlockDevice device;
    metadata::MetadataArea area;
};

// One pool the engine manages: its committed model and the members it can write.
struct ManagedPool {
    model::Pool pool;   // as last committed
    std::uint64_t seq;  // of that commit
    std::vector<OpenMember> members;
    // Members the model lists that were not found at assembly. The committed model in memory
    // marks them failed (never allocated on); the next commit writes that.
    std::vector<model::Uuid> missing;
    // Failed members whose disk answered the runtime probe and still could not be written
    // (Engine::readd_answering_members), how many times in a row: a disk that reads but no
    // longer writes is not committed to every probe (member_return.hpp, max_failed_readds).
    std::map<model::Uuid, unsigned> failed_readds;
    std::vector<std::string> problems;  // what still stands after assembly and reconciliation, for callers
    // Why the kernel's devices differ from the committed metadata, after a transaction that
    // failed once committed or whose revert left something behind; empty while they agree.
    // Engine::heal reconciles it; the summary lists it among the problems meanwhile.
    std::string unhealed;
    // The volumes whose shown state the commit of `touched_seq` can have changed, by name
    // (touched_volumes); nullopt when that transaction was planned over the whole pool, or failed.
    std::optional<std::set<std::string>> last_touched;
    std::uint64_t touched_seq = 0;
    // Why the pool is not this machine's (another host's, or no owner): it is listed, never
    // activated and never written until it is imported. Empty for an owned pool.
    std::string foreign;
    std::mutex lock;                    // one mutation at a time
    // Also held, briefly, by readers that must not wait for a mutation (Engine::pools,
    // Engine::volume_status), and by a mutation while it replaces pool, seq, members, missing
    // or problems.
    std::mutex view_lock;
    // Set under both locks when the pool is destroyed: whoever then gets `lock` finds no pool.
    bool destroyed = false;

    bool complete() const { return missing.empty(); }
    bool owned() const { return foreign.empty(); }
    // Every present member, failed or not: a volume on a failed member that is still there
    // keeps its devices.
    graph::MemberPlacements placements() const;
    // The present members `model` does not mark failed: those a commit of it writes.
    std::vector<OpenMember*> writable(const model::Pool& model);
    // The model's failed members that are present again: a re-add clears their mark.
    std::vector<model::Uuid> returned(const model::Pool& model) const;
};

}  // namespace volumes::engine
