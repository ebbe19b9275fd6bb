#pragma once

#include <cstdint>

#include "service/metadata/uuid.hpp"

namespace volumes::metadata {

// A uuid whose 16 bytes are all `fill`: distinct, readable uuids for tests.
inline Uuid uuid_of(std::uint8_t fill)
{
    Uuid uuid;
    uuid.bytes.fill(fill);
    return uuid;
}

}  // namespace volumes::metadata
