#pragma once

#include <string>
#include <vector>

#include "kmod/table_line.hpp"
#include "kmod/udev_identity.hpp"

namespace volumes::planner {

// How a device is suspended before its table (or one beneath it) changes. The defaults wait
// for in-flight I/O and leave filesystems alone, lvm's plain suspend.
struct SuspendMode {
    // Keep queued I/O for the next table instead of waiting it out: for repairs and thin pools
    // that queue when out of space. A shrinking device needs a flush.
    bool no_flush = false;
    // false freezes a filesystem mounted on the device first: snapshots and snapshot origins
    // need it, as lvm's SUSPEND_WITH_LOCKFS.
    bool skip_lockfs = true;

    bool operator==(const SuspendMode&) const = default;
};

// One dm device the metadata being committed describes.
struct DesiredDevice {
    std::string name;  // "volumes-<pool>-<volume>[_<role>]"
    std::string uuid;  // starts with the pool's prefix
    kmod::Table table;
    bool read_only = false;
    // The uuids of the graph's devices this table maps onto; every one must be in the graph.
    // Member disks and other devices outside the pool are not listed.
    std::vector<std::string> children;
    // Desired devices that must be suspended while this device gets a table, and resume only
    // after it has: a snapshot's origin. snapshot.rst: "When loading or unloading the snapshot
    // target, the corresponding snapshot-origin or snapshot-merge target must be suspended";
    // a write through the origin before the snapshot is resumed would miss the snapshot.
    std::vector<std::string> quiesced;
    SuspendMode suspend;
    // What udev's rules make of it, announced on every resume.
    kmod::UdevIdentity udev_identity = kmod::UdevIdentity::Visible;

    bool operator==(const DesiredDevice&) const = default;
};

// Every dm device of one pool as the metadata being committed describes it. The order is the
// caller's; the planner follows it wherever the stacking leaves a choice, so plans are stable.
struct DesiredGraph {
    std::vector<DesiredDevice> devices;
    // Devices of the pool that this plan leaves alone although desired devices stack on them:
    // they exist, keep their tables, and are not in the LiveState either (a plan over part of
    // a pool).
    std::vector<std::string> outside;
};

}  // namespace volumes::planner
