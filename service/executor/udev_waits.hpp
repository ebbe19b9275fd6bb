#pragma once

#include "kmod/udev_cookie.hpp"

namespace volumes::executor {

// The two udev cookies of a transaction: the events its caller waits for before the reply
// (planner::Resume::awaited, and every removal), and the rest, which udev may finish after
// it (handed to a UdevReaper once the transaction is done).
struct UdevWaits {
    kmod::UdevCookie awaited;
    kmod::UdevCookie later;

    kmod::UdevCookie& cookie(bool awaited_step) { return awaited_step ? awaited : later; }
};

}  // namespace volumes::executor
