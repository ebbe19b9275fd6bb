#pragma once

#include <chrono>

namespace volumes::devices {

// Waits until udev's event queue is empty or `timeout` passes, polling every 50 ms (what
// `udevadm settle` does, without running it). Returns whether the queue emptied; a machine
// without a running udev counts as settled.
bool wait_for_udev_to_settle(std::chrono::milliseconds timeout);

}  // namespace volumes::devices
