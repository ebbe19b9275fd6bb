#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <sdbus-c++/IConnection.h>

// The daemon's one bus thread: it polls the bus connection, runs tasks other threads post,
// runs timers, and ends on SIGTERM or SIGINT. Everything that touches sdbus objects runs here;
// workers post their results back instead of touching the bus themselves.
namespace volumes::bus {

using Task = std::move_only_function<void()>;

class BusLoop {
public:
    // Blocks SIGTERM and SIGINT in the calling thread (call it before starting other threads,
    // so they inherit the mask) and takes them through a signalfd instead.
    explicit BusLoop(sdbus::IConnection& connection);
    ~BusLoop();
    BusLoop(const BusLoop&) = delete;
    BusLoop& operator=(const BusLoop&) = delete;

    // Any thread. The task runs on the bus thread, in posting order.
    void post(Task task);
    // Bus thread only. Runs `task` once, no sooner than `delay` from now.
    void after(std::chrono::milliseconds delay, Task task);

    // Runs until stop() or a SIGTERM/SIGINT; returns the signal number, or 0 after stop().
    // Call it on the thread that constructed the loop.
    int run();
    // Any thread.
    void stop();
    // Whether the caller runs on the bus thread: the one that constructed the loop and runs it.
    bool on_bus_thread() const { return std::this_thread::get_id() == bus_thread_; }

private:
    void run_posted();
    void run_due_timers();
    int poll_timeout_ms();

    const std::thread::id bus_thread_ = std::this_thread::get_id();
    sdbus::IConnection& connection_;
    int wake_fd_ = -1;
    int signal_fd_ = -1;
    std::mutex posted_lock_;
    std::vector<Task> posted_;
    bool stop_requested_ = false;
    std::multimap<std::chrono::steady_clock::time_point, Task> timers_;
};

}  // namespace volumes::bus
