#pragma once

#include <nlohmann/json.hpp>

#include "service/model/json_fields.hpp"
#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

// The pool's "extent_move" object (FORMAT.md, "Extent move"), written only while a move lasts.
namespace volumes::model {

nlohmann::json encode_extent_move(const ExtentMove& move);
// Corrupt (a key missing or of the wrong type) or Unsupported (a key this version does not know).
Result<ExtentMove> decode_extent_move(const nlohmann::json& value, std::string path);

}  // namespace volumes::model
