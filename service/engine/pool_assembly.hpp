#pragma once

#include <memory>
#include <string>
#include <vector>

#include "service/devices/member_scan.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"
#include "service/metadata/pool_reader.hpp"

namespace volumes::engine {

// Opens the devices the scan found for one pool and reads its committed metadata
// (metadata::read_pool: every copy decoded and model-checked before it counts; devices the
// winning document does not list are intruders, closed and reported). A pool whose document
// names another owner than `this_host` (or none) is foreign: nothing is written. Otherwise a
// precommitted copy above the committed one (a transaction that never committed) is dropped
// or rolled forward, and a member holding an older or damaged copy gets the committed one
// again. Members the document lists but the scan did not find are `missing`. What it repaired
// is logged (notice); the pool's `problems` keep only what still stands: members it could not
// open, intruders, rewrites that failed, the problems of a member nothing was written to
// (every member of a foreign pool). Fails only when no committed document can be believed.
Result<std::unique_ptr<ManagedPool>> assemble_pool(const devices::FoundPool& found, const std::string& this_host);

// The read's findings about each member ("member <uuid>: <problem>"), split by what start-up
// did about them. A member's problems are repaired when its whole area was rewritten with the
// pool's document (`rewritten`), or, for a member that was not stale (its committed copy is
// the pool's, so its problems are about its precommitted copy), when its precommitted copy was
// dropped (`cleared`); the others stand.
struct MemberFindings {
    std::vector<std::string> standing;
    std::vector<std::string> repaired;
};
MemberFindings member_findings(const std::vector<metadata::MemberReport>& reports,
                               const std::vector<metadata::Uuid>& rewritten, const std::vector<metadata::Uuid>& cleared);

}  // namespace volumes::engine
