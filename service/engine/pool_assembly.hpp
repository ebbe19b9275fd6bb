#pragma once

#include <memory>
#include <string>

#include "service/devices/member_scan.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"

namespace volumes::engine {

// Opens the devices the scan found for one pool and reads its committed metadata
// (metadata::read_pool: every copy decoded and model-checked before it counts; devices the
// winning document does not list are intruders, closed and reported). A pool whose document
// names another owner than `this_host` (or none) is foreign: nothing is written. Otherwise a
// precommitted copy above the committed one (a transaction that never committed) is dropped
// or rolled forward, and a member holding an older or damaged copy gets the committed one
// again. Members the document lists but the scan did not find are `missing`. Fails only when
// no committed document can be believed.
Result<std::unique_ptr<ManagedPool>> assemble_pool(const devices::FoundPool& found, const std::string& this_host);

}  // namespace volumes::engine
