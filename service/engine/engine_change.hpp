#pragma once

#include <utility>

#include "service/engine/engine.hpp"
#include "service/engine/pool_transaction.hpp"

// Engine::change, for the files that define the Engine's operations.
namespace volumes::engine {

template <class Change, class Prepare>
Result<void> Engine::change(std::string_view pool_name, Change&& change, Prepare&& prepare)
{
    auto locked = lock_owned_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    Result<model::Pool> next = change(std::as_const(managed.pool));
    if (!next)
        return std::unexpected(next.error());
    if (Result<void> prepared = prepare(managed, *next); !prepared)
        return prepared;
    return apply_pool_change(managed, *next, targets_, udev_reaper_);
}

template <class Change>
Result<void> Engine::change(std::string_view pool_name, Change&& change)
{
    return this->change(pool_name, std::forward<Change>(change),
                        [](ManagedPool&, const model::Pool&) -> Result<void> { return {}; });
}

}  // namespace volumes::engine
