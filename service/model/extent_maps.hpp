#pragma once

#include <type_traits>
#include <variant>

#include "service/model/pool_model.hpp"

namespace volumes::model {

// Calls `visit` with each extent map the volume owns (a tracked image and a thin volume own
// none), const or not as the volume is.
template <class V, class Visit>
    requires std::is_same_v<std::remove_const_t<V>, Volume>
void for_each_extent_map(V& volume, Visit&& visit)
{
    std::visit(
        [&](auto& layout) {
            using Layout = std::remove_cvref_t<decltype(layout)>;
            if constexpr (std::is_same_v<Layout, LinearLayout>) {
                visit(layout.data);
            } else if constexpr (std::is_same_v<Layout, Raid1Layout>) {
                for (auto& leg : layout.legs) {
                    visit(leg.meta);
                    visit(leg.data);
                }
            } else if constexpr (std::is_same_v<Layout, SnapshotLayout>) {
                visit(layout.cow);
            } else if constexpr (std::is_same_v<Layout, ThinPoolLayout>) {
                visit(layout.meta);
                visit(layout.data);
            }
        },
        volume.layout);
}

}  // namespace volumes::model
