#include "service/devices/udev_settle.hpp"

#include <thread>

#include "service/devices/udev_handles.hpp"

namespace volumes::devices {

bool wait_for_udev_to_settle(std::chrono::milliseconds timeout)
{
    Udev context(udev_new());
    if (!context)
        return false;
    UdevQueue queue(udev_queue_new(context.get()));
    if (!queue)
        return false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (!udev_queue_get_udev_is_active(queue.get()) || udev_queue_get_queue_is_empty(queue.get()))
            return true;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace volumes::devices
