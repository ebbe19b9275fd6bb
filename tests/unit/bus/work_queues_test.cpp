// The workers of WorkQueues: one item at a time per key in order, keys in parallel, and a
// key's thread ends when its queue is empty (so a destroyed pool keeps no worker).
#include <dirent.h>

#include <chrono>
#include <future>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "service/bus/work_queues.hpp"

namespace volumes::bus {
namespace {

using namespace std::chrono_literals;

// The threads of this process, as the kernel lists them.
std::size_t thread_count()
{
    std::size_t count = 0;
    if (DIR* tasks = ::opendir("/proc/self/task")) {
        while (const dirent* entry = ::readdir(tasks))
            if (entry->d_name[0] != '.')
                ++count;
        ::closedir(tasks);
    }
    return count;
}

// Waits up to five seconds for the process to have `expected` threads.
bool threads_become(std::size_t expected)
{
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (thread_count() != expected) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

TEST(WorkQueues, AKeysWorkerEndsWhenItsQueueIsEmpty)
{
    WorkQueues queues;
    const auto before = thread_count();
    std::promise<void> release;
    std::promise<void> ran;
    queues.submit("tank", [&, wait = release.get_future().share()] {
        wait.wait();
        ran.set_value();
    });
    EXPECT_EQ(thread_count(), before + 1) << "no worker started for the key";
    release.set_value();
    ran.get_future().wait();
    EXPECT_TRUE(threads_become(before)) << thread_count() << " threads, " << before << " before the work";

    // The key gets a worker again for new work.
    std::promise<std::thread::id> again;
    queues.submit("tank", [&] { again.set_value(std::this_thread::get_id()); });
    auto worker = again.get_future();
    ASSERT_EQ(worker.wait_for(5s), std::future_status::ready);
    EXPECT_NE(worker.get(), std::this_thread::get_id());
    EXPECT_TRUE(threads_become(before));
}

TEST(WorkQueues, OneKeyRunsInOrderOneAtATime)
{
    std::mutex lock;
    std::vector<int> order;
    int running = 0;
    int most_running = 0;
    {
        WorkQueues queues;
        for (int i = 0; i < 50; ++i)
            queues.submit("tank", [&, i] {
                {
                    std::lock_guard guard(lock);
                    most_running = std::max(most_running, ++running);
                    order.push_back(i);
                }
                std::this_thread::sleep_for(100us);
                std::lock_guard guard(lock);
                --running;
            });
        queues.shutdown();
    }
    ASSERT_EQ(order.size(), 50u);
    for (int i = 0; i < 50; ++i)
        EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
    EXPECT_EQ(most_running, 1);
}

TEST(WorkQueues, KeysRunInParallel)
{
    WorkQueues queues;
    // Each item waits for the other: they finish only if they run at the same time.
    std::latch both(2);
    std::promise<void> a_done;
    std::promise<void> b_done;
    queues.submit("a", [&] {
        both.arrive_and_wait();
        a_done.set_value();
    });
    queues.submit("b", [&] {
        both.arrive_and_wait();
        b_done.set_value();
    });
    EXPECT_EQ(a_done.get_future().wait_for(5s), std::future_status::ready);
    EXPECT_EQ(b_done.get_future().wait_for(5s), std::future_status::ready);
}

TEST(WorkQueues, ShutdownRunsWhatIsQueuedAndDropsLaterWork)
{
    const auto before = thread_count();
    int ran = 0;
    WorkQueues queues;
    for (int i = 0; i < 5; ++i)
        queues.submit("tank", [&] {
            std::this_thread::sleep_for(1ms);
            ++ran;
        });
    queues.shutdown();
    EXPECT_EQ(ran, 5);
    queues.submit("tank", [&] { ++ran; });
    EXPECT_EQ(ran, 5);
    EXPECT_EQ(thread_count(), before);
}

}  // namespace
}  // namespace volumes::bus
