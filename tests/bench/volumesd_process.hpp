#pragma once

#include <chrono>
#include <cstdint>

namespace volumes::bench {

// The pid of the process that owns org.example.Volumes on the system bus (asking the bus
// driver does not activate it). Throws when nobody owns the name.
std::uint32_t volumesd_pid();

// User plus system CPU time of every thread of process `pid` so far, from /proc/<pid>/stat
// (clock-tick resolution). Throws when the process is gone.
double process_cpu_seconds(std::uint32_t pid);

// Its resident set (VmRSS), in KiB; 0 when /proc does not say.
std::uint64_t process_rss_kib(std::uint32_t pid);

// SIGTERM to volumesd, then waits until org.example.Volumes has no owner and the process
// has exited (a zombie only waits for dbus-daemon to reap it). Returns how long that took;
// throws after `timeout`. The next call to the name bus-activates volumesd again.
double stop_volumesd(std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace volumes::bench
