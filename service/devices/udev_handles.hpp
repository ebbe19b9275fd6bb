#pragma once

#include <memory>

#include <libudev.h>

// Owning libudev handles, unreferenced on destruction (internal to devices/).
namespace volumes::devices {

struct UdevUnref {
    void operator()(udev* handle) const { udev_unref(handle); }
    void operator()(udev_enumerate* handle) const { udev_enumerate_unref(handle); }
    void operator()(udev_device* handle) const { udev_device_unref(handle); }
    void operator()(udev_queue* handle) const { udev_queue_unref(handle); }
};

using Udev = std::unique_ptr<udev, UdevUnref>;
using UdevEnumerate = std::unique_ptr<udev_enumerate, UdevUnref>;
using UdevDevice = std::unique_ptr<udev_device, UdevUnref>;
using UdevQueue = std::unique_ptr<udev_queue, UdevUnref>;

}  // namespace volumes::devices
