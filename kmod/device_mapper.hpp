#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kmod/device_id.hpp"
#include "kmod/device_info.hpp"
#include "kmod/error.hpp"
#include "kmod/table_line.hpp"
#include "kmod/udev_cookie.hpp"
#include "kmod/udev_identity.hpp"

// The device-mapper operations volumesd uses, one libdevmapper task each.
namespace volumes::kmod::dm {

struct NewDevice {
    std::string name;
    std::string uuid;
    bool read_only = false;
    // Rides on the cookie when the device is created with a table (its first uevents).
    UdevIdentity identity = UdevIdentity::Visible;
};

struct SuspendOptions {
    bool no_flush = true;     // keep queued I/O for the next table instead of waiting it out
    bool skip_lockfs = true;  // false freezes a filesystem on top (snapshots need this)
};

// Creates the device; with a table it is loaded and resumed too (libdevmapper reverts
// the creation if the load fails), with an empty table it has no table until a reload and
// resume. Returns the new device's info.
Result<DeviceInfo> create(const NewDevice& device, const Table& table, UdevCookie& cookie);

// Loads an inactive table; it goes live at the next resume. An identical reload is a no-op.
Result<void> reload(const DeviceId& device, const Table& table, bool read_only = false);

// Drops a loaded inactive table (the revert of reload).
Result<void> clear_inactive(const DeviceId& device);

Result<void> suspend(const DeviceId& device, SuspendOptions options = {});
// The resume's CHANGE uevent is the one udev's rules act on, so the device's identity rides
// on its cookie: a resume without it would make an internal device visible again.
Result<void> resume(const DeviceId& device, UdevCookie& cookie, UdevIdentity identity);
// A resume without a cookie: udev's dm rules then take the device's flags from their database,
// so it keeps the identity its last announced resume gave it. Nothing to wait for.
Result<void> resume_keeping_udev_identity(const DeviceId& device);

// Renames the device in place: its table, its users and its dev_t stay; udev moves its
// /dev/mapper node and links on the change event this sends with `identity`.
Result<void> rename(const DeviceId& device, const std::string& new_name, UdevCookie& cookie, UdevIdentity identity);

// Removes the device, retrying for a bounded time while udev or a prober still holds it.
Result<void> remove(const DeviceId& device, UdevCookie& cookie);

// Info of a device; a device that does not exist is not an error (exists == false).
Result<DeviceInfo> info(const DeviceId& device);

// The status lines of the live table. no_flush keeps a thin pool from committing.
Result<Table> status(const DeviceId& device, bool no_flush = true);

// The live table as the kernel reports it.
Result<Table> table(const DeviceId& device);

// The devices the live table maps onto (DM_DEVICE_DEPS); empty when there is no live table.
Result<std::vector<DeviceNumber>> deps(const DeviceId& device);

// Sends a target message (sector 0) and returns the target's response, if any.
Result<std::string> message(const DeviceId& device, std::string_view text);

// Blocks until the device's event counter differs from event_nr, then returns its info
// and status. It has no timeout: callers that need one use DmEventPoller.
Result<DeviceEvent> wait_event(const DeviceId& device, std::uint32_t event_nr);

Result<std::vector<DeviceListEntry>> list();

}  // namespace volumes::kmod::dm
