#pragma once

#include <vector>

#include "kmod/feature.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::engine {

// The kernel features the active volumes of a pool need, each once.
std::vector<kmod::Feature> required_features(const model::Pool& pool);

}  // namespace volumes::engine
