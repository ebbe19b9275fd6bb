#include "service/planner/topological_order.hpp"

#include <algorithm>
#include <set>

namespace volumes::planner {

std::vector<std::size_t> topological_order(const std::vector<std::vector<std::size_t>>& after)
{
    const auto n = after.size();
    std::vector<std::size_t> waiting(n, 0);
    std::vector<std::vector<std::size_t>> unblocks(n);
    for (std::size_t node = 0; node < n; ++node) {
        auto before = after[node];
        std::sort(before.begin(), before.end());
        before.erase(std::unique(before.begin(), before.end()), before.end());
        waiting[node] = before.size();
        for (const auto prerequisite : before)
            unblocks[prerequisite].push_back(node);
    }

    std::set<std::size_t> ready;
    for (std::size_t node = 0; node < n; ++node)
        if (waiting[node] == 0)
            ready.insert(node);

    std::vector<std::size_t> order;
    order.reserve(n);
    while (!ready.empty()) {
        const auto node = *ready.begin();
        ready.erase(ready.begin());
        order.push_back(node);
        for (const auto next : unblocks[node])
            if (--waiting[next] == 0)
                ready.insert(next);
    }
    return order;
}

std::vector<std::size_t> find_cycle(const std::vector<std::vector<std::size_t>>& after,
                                    const std::vector<std::size_t>& ordered)
{
    std::vector<bool> placed(after.size(), false);
    for (const auto node : ordered)
        placed[node] = true;
    const auto first = std::find(placed.begin(), placed.end(), false);
    if (first == placed.end())
        return {};

    // Every unplaced node waits on at least one other unplaced node, so following those
    // edges must come back to a node already on the path.
    std::vector<std::size_t> path;
    std::vector<std::size_t> position(after.size(), after.size());
    auto node = static_cast<std::size_t>(first - placed.begin());
    while (position[node] == after.size()) {
        position[node] = path.size();
        path.push_back(node);
        for (const auto prerequisite : after[node]) {
            if (!placed[prerequisite]) {
                node = prerequisite;
                break;
            }
        }
    }
    return {path.begin() + static_cast<std::ptrdiff_t>(position[node]), path.end()};
}

}  // namespace volumes::planner
