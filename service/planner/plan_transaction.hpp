#pragma once

#include <string_view>

#include "service/planner/desired_graph.hpp"
#include "service/planner/error.hpp"
#include "service/planner/live_state.hpp"
#include "service/planner/plan.hpp"

namespace volumes::planner {

// The steps that take the pool's dm devices from `live` to `desired` in one transaction,
// between writing the precommitted metadata and dropping or keeping it (architecture.md "A
// mutating call"; kernel-targets.md §2.4 and §4). Pure: it reads its arguments and nothing
// else. The pool's devices are those whose uuid starts with `uuid_prefix`; no step ever names
// another device. "Live graph" is the stacking of the live tables, "desired graph" that of
// the new ones. Where the stacking leaves a choice, devices keep the order they are listed in.
//
// 1. Refused, with nothing planned:
//    - an empty prefix (InvalidPrefix); a desired uuid outside it (ForeignDevice);
//    - two desired devices with one name or uuid, a desired name held by a live device with
//      another uuid, two live devices with one uuid (DuplicateName, DuplicateUuid);
//    - a live uuid desired under another name (Rename: no step renames);
//    - an empty table, a zero-length line, lines not laid end to end from sector 0
//      (InvalidTable);
//    - a child uuid that is not desired: UnknownChild when it is not live either, LeavingChild
//      when it is live (it would get an error table under the device), unless it is listed in
//      DesiredGraph::outside and not live (the plan covers part of the pool); LeavingChild too when
//      a device whose table does not change still maps onto a leaving one;
//    - a cycle in either graph (Cycle);
//    - a leaving device open by anything but the pool's devices on it (Busy): its open count
//      may be at most the number of its live parents plus the number of pool devices holding
//      an inactive table, which may map it too.
// 2. Preload, bottom-up in the desired graph (children before parents, and quiesced devices
//    after the devices that quiesce them): Create then Load each
//    desired device that is not live; Load each one whose live table, or read-only flag,
//    differs from the desired one (tables compared line by line as TableLine values), or that
//    has an inactive table left over, so a Resume never activates a table this plan did not
//    load. A live device with no live table (created, never loaded) gets Load and no Create.
//    A new or table-less device that a desired device stacks on gets ResumeNewChild right
//    after its Load, so its parent's table, loaded later, sees its size.
// 3. In the same preload, after those and bottom-up in the live graph, every live device of
//    the pool that is not desired ("leaving") gets LoadError with its live table's length, so
//    no two live tables share a sub-device once the new ones resume (lvm's fix for a removed
//    layer whose old table stayed live next to its parent's new one). A leaving device with
//    no live table only gets removed.
// 4. Suspend, top-down in the live graph: every device with a live table that gets a Load,
//    every live device with a table that a device getting a Load lists as quiesced,
//    every leaving device with a live table that no live device stacks on, and every live
//    ancestor of one. A leaving device under a live parent is not suspended: the parent's old
//    table may still write to it while it is torn down (md writes its superblocks when a raid
//    table is destroyed), and a write to a suspended device would wait forever. Desired
//    devices use their SuspendMode; leaving ones flush and lock the filesystem, the most
//    careful mode, as nothing outside the pool has them open. Devices already suspended get
//    no Suspend; new and table-less devices are never suspended.
// 5. CommitMetadata, once, after every preload and suspend.
// 6. Resume: first, bottom-up, any leaving device found already suspended under a live
//    parent (onto its error table, so no parent's resume waits on it); then, bottom-up in the
//    desired graph (where a quiesced device counts as stacked on the device that quiesces
//    it), every desired device that is new or got its first table (unless resumed
//    in the preload), was suspended by this plan or was already suspended; then, top-down in
//    the live graph, every other leaving device with a live table, onto its error table, each
//    parent before its children so a parent's old table is gone before theirs. So in a
//    snapshot merge the origin (snapshot-merge) takes over the COW while the old snapshot
//    device is still suspended, as the handover requires.
// 7. Remove the leaving devices, top-down in the live graph, then WaitForUdev once, if any
//    step created, resumed or removed a device. A resume is awaited (the caller waits for its
//    udev events) only when the device gets its first table and is not internal; udev
//    finishes the others after the reply.
// 8. When nothing changes the plan is CommitMetadata alone: every transaction commits its
//    metadata, and the caller runs every plan the same way.
//
// Tables name devices by major:minor, which a device has only once created. A caller that
// needs the numbers of new devices may run a plan's Create steps first (they depend on
// nothing), then plan again: the created devices are then live with no table (rule 2).
Result<Plan> plan_transaction(const LiveState& live, const DesiredGraph& desired, std::string_view uuid_prefix);

}  // namespace volumes::planner
