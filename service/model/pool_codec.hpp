#pragma once

#include <nlohmann/json.hpp>

#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

// The pool model as the "pool" object of a metadata document (service/model/FORMAT.md).
namespace volumes::model {

nlohmann::json encode_pool(const Pool& pool);
// Corrupt: a key missing or of the wrong type, a bad uuid, or a pool that check_pool refuses.
// Unsupported: a volume kind, merge state or key this version does not know. Never throws.
// The pool's uuid is read from the object's own "uuid"; comparing it with the envelope's
// pool_uuid is the caller's.
Result<Pool> decode_pool(const nlohmann::json& json);

}  // namespace volumes::model
