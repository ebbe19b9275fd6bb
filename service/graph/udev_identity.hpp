#pragma once

#include <string_view>

#include "kmod/udev_identity.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::graph {

// What udev should make of the device of `volume`, or of its hidden sub-volume `role`
// (architecture.md "On a real machine"): sub-volumes and thin pools are Internal; CoW
// snapshots, thin snapshots and tracked raid1 images, which hold a copy of another volume's
// filesystem, are LowPriority so the original owns the shared names; the rest are Visible.
kmod::UdevIdentity udev_identity(const model::Volume& volume, std::string_view role = {});

}  // namespace volumes::graph
