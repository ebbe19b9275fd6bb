#pragma once

#include <cstdint>

#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"

namespace volumes::engine {

// Writes zeros over `length` bytes of the member from byte `offset`; the caller flushes.
Result<void> zero_member_bytes(const OpenMember& member, std::uint64_t offset, std::uint64_t length);

// fdatasync of the member device.
Result<void> flush_member(const OpenMember& member);

}  // namespace volumes::engine
