#pragma once

#include <cstddef>
#include <vector>

namespace volumes::planner {

// Orders the nodes 0..n-1 (n = after.size()) so that each comes after every node listed in
// its `after` entry. Among the nodes ready at any point the lowest index goes first, so the
// order keeps the caller's listing wherever the edges leave a choice. When some nodes lie on
// or hang off a cycle, the result holds only the nodes that could be ordered.
std::vector<std::size_t> topological_order(const std::vector<std::vector<std::size_t>>& after);

// One cycle among the nodes that topological_order could not place (`ordered` is its result):
// the nodes along it, first node not repeated. Empty when every node was placed.
std::vector<std::size_t> find_cycle(const std::vector<std::vector<std::size_t>>& after,
                                    const std::vector<std::size_t>& ordered);

}  // namespace volumes::planner
