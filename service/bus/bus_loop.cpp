#include "service/bus/bus_loop.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "service/logging/log.hpp"

namespace volumes::bus {

namespace {

std::system_error system_failure(const char* what)
{
    return std::system_error(errno, std::generic_category(), what);
}

void drain(int fd)
{
    std::uint64_t value = 0;
    while (::read(fd, &value, sizeof value) > 0) {
    }
}

}  // namespace

BusLoop::BusLoop(sdbus::IConnection& connection) : connection_(connection)
{
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0)
        throw system_failure("eventfd");
    // An ignored signal is discarded even while blocked, and a parent may have left them ignored.
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0)
        throw system_failure("pthread_sigmask");
    signal_fd_ = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd_ < 0)
        throw system_failure("signalfd");
}

BusLoop::~BusLoop()
{
    ::close(signal_fd_);
    ::close(wake_fd_);
}

void BusLoop::post(Task task)
{
    {
        std::lock_guard guard(posted_lock_);
        posted_.push_back(std::move(task));
    }
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
}

void BusLoop::after(std::chrono::milliseconds delay, Task task)
{
    timers_.emplace(std::chrono::steady_clock::now() + delay, std::move(task));
}

void BusLoop::stop()
{
    post([this] { stop_requested_ = true; });
}

void BusLoop::run_posted()
{
    drain(wake_fd_);
    // Tasks posted by these tasks run too before the next bus message is read: an object a
    // task retires is gone before anyone can ask for it after the task's reply.
    for (;;) {
        std::vector<Task> tasks;
        {
            std::lock_guard guard(posted_lock_);
            tasks.swap(posted_);
        }
        if (tasks.empty())
            return;
        for (auto& task : tasks) {
            try {
                task();
            } catch (const std::exception& e) {
                logging::error({}, "a bus task failed: {}", e.what());
            }
        }
    }
}

void BusLoop::run_due_timers()
{
    auto now = std::chrono::steady_clock::now();
    while (!timers_.empty() && timers_.begin()->first <= now) {
        auto task = std::move(timers_.begin()->second);
        timers_.erase(timers_.begin());
        try {
            task();
        } catch (const std::exception& e) {
            logging::error({}, "a bus timer failed: {}", e.what());
        }
    }
}

int BusLoop::poll_timeout_ms()
{
    int timeout = connection_.getEventLoopPollData().getPollTimeout();
    if (!timers_.empty()) {
        auto until = std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first - std::chrono::steady_clock::now());
        int timer_ms = until.count() < 0 ? 0 : static_cast<int>(until.count());
        if (timeout < 0 || timer_ms < timeout)
            timeout = timer_ms;
    }
    return timeout;
}

int BusLoop::run()
{
    while (!stop_requested_) {
        run_posted();
        // A posted stop() ends the loop now, not after the next message or timer.
        if (stop_requested_)
            break;
        run_due_timers();
        while (connection_.processPendingRequest()) {
        }
        auto bus = connection_.getEventLoopPollData();
        pollfd fds[3] = {
            {bus.fd, bus.events, 0},
            {wake_fd_, POLLIN, 0},
            {signal_fd_, POLLIN, 0},
        };
        int ready = ::poll(fds, 3, poll_timeout_ms());
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            throw system_failure("poll");
        }
        if (fds[2].revents & POLLIN) {
            signalfd_siginfo info{};
            if (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info))
                return static_cast<int>(info.ssi_signo);
        }
    }
    return 0;
}

}  // namespace volumes::bus
