#pragma once

#include <memory>

#include "service/devices/member_scan.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"

namespace volumes::engine {

// Opens the members the scan found and reads the pool's committed metadata: a precommitted
// copy above it (a transaction that never committed) is dropped, and a member holding an
// older or damaged copy gets the committed one again. Members the document lists but the
// scan did not find are `missing`. Fails only when no committed document can be read.
Result<std::unique_ptr<ManagedPool>> assemble_pool(const devices::FoundPool& found);

}  // namespace volumes::engine
