#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sdbus {
class IConnection;
}

namespace volumes::test {

// What a refused call must leave exactly as it was.
struct StateSnapshot {
    // Block device → its first bytes: up to the data area of a pool member (label and
    // metadata area), the first 4 MiB of any other device.
    std::map<std::string, std::string> device_heads;
    // Every dm device (not only the pools'): name → uuid, flags and live table.
    std::map<std::string, std::string> dm_devices;
    // The object paths volumesd exports.
    std::set<std::string> objects;
};

// Waits for udev to settle first, so no probe of an earlier change is still running.
StateSnapshot take_snapshot(sdbus::IConnection& bus, const std::vector<std::string>& devices);

// What differs, one line each; empty when the snapshots are identical.
std::vector<std::string> differences(const StateSnapshot& before, const StateSnapshot& after);

// Every dm device's name, uuid, flags and live table (part of take_snapshot).
std::map<std::string, std::string> dm_tables();

// The object paths of GetManagedObjects.
std::set<std::string> exported_objects(sdbus::IConnection& bus);

}  // namespace volumes::test
