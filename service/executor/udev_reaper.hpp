#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "kmod/udev_cookie.hpp"

namespace volumes::executor {

// Waits, on one thread of its own, for udev events that no caller waits for (a transaction's
// UdevWaits::later), so each cookie's semaphore is freed once udev is done with it. Errors
// are dropped: nobody is left to tell, and the next transaction reads the kernel afresh.
class UdevReaper {
public:
    UdevReaper();
    UdevReaper(const UdevReaper&) = delete;
    UdevReaper& operator=(const UdevReaper&) = delete;
    // Waits for every cookie handed over, then stops.
    ~UdevReaper();

    void hand_over(kmod::UdevCookie cookie);

    // Blocks until every cookie handed over so far has been waited for.
    void drain();

private:
    void run(std::stop_token stop);

    std::mutex lock_;
    std::condition_variable_any changed_;
    std::deque<kmod::UdevCookie> pending_;
    bool waiting_ = false;
    std::jthread thread_;  // last: it stops before the members above go
};

}  // namespace volumes::executor
