#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kmod/udev_cookie.hpp"
#include "service/executor/executor_error.hpp"
#include "service/graph/change_scope.hpp"
#include "service/graph/derive_graph.hpp"
#include "service/planner/plan.hpp"

namespace volumes::executor {

// The metadata side of one transaction. The engine writes the new document to every member;
// tests may record calls.
class MetadataCommit {
public:
    virtual ~MetadataCommit() = default;
    // Writes the new document as every member's precommitted copy.
    virtual Result<void> write_precommitted() = 0;
    // Makes it the committed copy. An error means no member committed it: the old document is
    // still the pool's truth. If some members committed and others failed, it succeeds (the
    // highest committed copy wins on the next read; the others are stale and get rewritten).
    virtual Result<void> commit() = 0;
    // Forgets the precommitted copy on every member that has one.
    virtual Result<void> drop_precommitted() = 0;
};

// The desired graph for the devices that exist now; called once before and once after the
// new devices are created.
using GraphSource = std::function<model::Result<graph::DerivedGraph>(const graph::DeviceNumbers&)>;

struct TransactionReport {
    planner::Plan plan;                // the steps run after the new devices were created
    std::vector<std::string> created;  // uuids of the devices this transaction created
    // The udev events no caller waits for, still to be waited for (UdevReaper).
    kmod::UdevCookie udev_later;
};

// One transaction (architecture.md "A mutating call"; kernel-targets.md §4.2):
//   write_precommitted → fault "precommitted"
//   → create the new devices (no table) → "created" → derive again with their numbers, plan
//   → load tables and error tables → "preloaded" → suspend → "suspended"
//   → commit → "committed" → resume → "resumed" → remove → "removed" → wait for udev once,
//   for the awaited resumes and the removals only (the rest is in TransactionReport::udev_later).
// Before the commit every failure is reverted: inactive tables cleared, suspended devices
// resumed bottom-up on their old tables, created devices removed, the precommitted copy
// dropped; the error says what failed and committed == false. After the commit the remaining
// steps are still tried and the first error is returned with committed == true.
// Refused when the graph source or the planner refuses, Busy for the planner's Busy, before
// anything is written.
// With a scope, only its devices are read and planned (graph::within), the rest of the pool
// is taken to be as its committed metadata says; without one, every device of the pool is.
Result<TransactionReport> run_transaction(std::string_view uuid_prefix, const GraphSource& desired,
                                          MetadataCommit& metadata, const graph::ChangeScope* scope = nullptr);

}  // namespace volumes::executor
