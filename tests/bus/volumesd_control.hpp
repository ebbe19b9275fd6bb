#pragma once

#include <chrono>

#include <sys/types.h>

namespace sdbus {
class IConnection;
}

namespace volumes::test {

// Throws, saying why, unless the guest installed volumesd for bus activation (see
// start_system_services in tests/vm/guest-environment.sh).
void require_volumesd_activatable();

// Whether org.example.Volumes has an owner now (asking does not activate it).
bool volumesd_running(sdbus::IConnection& bus);

// The pid of the process that owns org.example.Volumes. Throws when nobody does.
pid_t volumesd_pid(sdbus::IConnection& bus);

// SIGTERM to the owner of org.example.Volumes, then waits until the name is released and
// the process is gone. Nothing to do when nobody owns the name. Throws on timeout.
void stop_volumesd(sdbus::IConnection& bus, std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace volumes::test
