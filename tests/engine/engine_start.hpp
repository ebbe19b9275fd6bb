#pragma once

#include <memory>
#include <stdexcept>

#include "service/engine/engine.hpp"

namespace volumes::test {

inline std::unique_ptr<engine::Engine> start_engine()
{
    auto started = engine::Engine::start();
    if (!started)
        throw std::runtime_error("engine start: " + started.error().message);
    return std::move(*started);
}

}  // namespace volumes::test
