#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "kmod/device_number.hpp"
#include "service/executor/run_transaction.hpp"
#include "service/graph/derive_graph.hpp"

// Device graphs for the executor's tests, written by hand over loop devices: each layer is
// one dm device of the test pool, its table built with the kmod builders.
namespace volumes::executor::test {

inline const std::string pool_prefix = "VOLUMES-exec-test-";

std::string uuid_of(const std::string& role);  // "VOLUMES-exec-test-<role>"
std::string name_of(const std::string& role);  // "volumes-exec-test-<role>"

// `length` sectors from `offset` of a disk, or of another layer named by its role.
struct Extent {
    std::variant<kmod::DeviceNumber, std::string> device;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

enum class Target {
    Linear,  // linear over the extents
    Thin,    // thin device 1 of a "pool" that is the one extent's device (tests give it a non-pool)
};

struct Layer {
    std::string role;
    std::vector<Extent> extents;
    Target target = Target::Linear;
};

using Layers = std::vector<Layer>;

// The graph with the numbers that exist; a layer stacked on a missing one names 0:0 and is
// listed as unresolved, as derive_graph does.
graph::DerivedGraph derive(const Layers& layers, const graph::DeviceNumbers& numbers);

GraphSource source_of(Layers layers);

}  // namespace volumes::executor::test
