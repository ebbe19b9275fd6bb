#pragma once

namespace volumes::test {

// Removes every dm device whose uuid starts with "VOLUMES-" (parents before children), so
// one test's pools never reach into the next. Throws if one cannot be removed.
void remove_all_pool_devices();

// Calls remove_all_pool_devices when it goes out of scope: declare it after the loop devices
// of a test so the pool's dm devices let go of them before they are detached.
class PoolDevicesRemovedOnExit {
public:
    PoolDevicesRemovedOnExit() = default;
    PoolDevicesRemovedOnExit(const PoolDevicesRemovedOnExit&) = delete;
    PoolDevicesRemovedOnExit& operator=(const PoolDevicesRemovedOnExit&) = delete;
    ~PoolDevicesRemovedOnExit();
};

}  // namespace volumes::test
