// The one thread that follows every raid sync and merge: many watches on one thread, a paced
// cadence, an ended watch freed at once, cancel() by owner.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "service/bus/jobs/watch_poller.hpp"

namespace volumes::bus {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::size_t thread_count()
{
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task"))
        ++count;
    return count;
}

template <class Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit = 5s)
{
    const auto until = Clock::now() + limit;
    while (!done()) {
        if (Clock::now() > until)
            return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

TEST(WatchPoller, TwentyWatchesShareOneThread)
{
    WatchPoller poller;
    const auto before = thread_count();
    std::atomic<int> samples{0};
    const int owner = 0;
    for (int i = 0; i < 20; ++i)
        poller.add({&owner, 20ms, i % 2 == 0, [&] {
                        ++samples;
                        return false;
                    }});
    EXPECT_TRUE(eventually([&] { return samples >= 100; }));
    EXPECT_EQ(thread_count(), before + 1);
    EXPECT_EQ(poller.watch_count(), 20u);
    poller.cancel(&owner);
    EXPECT_EQ(poller.watch_count(), 0u);
}

TEST(WatchPoller, AnEventsOnlyWatchIsSampledAtAddAndNotPaced)
{
    WatchPoller poller;
    std::atomic<int> events_only{0};
    std::atomic<int> paced{0};
    const int owner = 0;
    // A dm event of the host could sample it again, but not within two fifths of 10 s.
    poller.add({&owner, 10s, true,
                [&] {
                    ++events_only;
                    return false;
                },
                true});
    poller.add({&owner, 20ms, true, [&] {
                    ++paced;
                    return false;
                }});
    EXPECT_TRUE(eventually([&] { return paced >= 10; }));
    EXPECT_EQ(events_only, 1);
    EXPECT_EQ(poller.watch_count(), 2u);
    poller.cancel(&owner);
}

TEST(WatchPoller, AnEndedWatchIsFreedAtOnce)
{
    WatchPoller poller;
    auto held = std::make_shared<int>(0);
    std::weak_ptr<int> watched = held;
    const int owner = 0;
    poller.add({&owner, 10ms, false, [held = std::move(held)] { return ++*held == 3; }});
    EXPECT_TRUE(eventually([&] { return poller.watch_count() == 0; }));
    EXPECT_TRUE(eventually([&] { return watched.expired(); })) << "the ended watch's function is still held";
}

// SyncProgress must come at least once a second: the cadence holds with a slow neighbour.
TEST(WatchPoller, SamplesKeepTheirIntervalBesideASlowWatch)
{
    WatchPoller poller;
    std::mutex lock;
    std::vector<Clock::time_point> times;
    const int owner = 0;
    poller.add({&owner, 100ms, true, [&] {
                    std::lock_guard guard(lock);
                    times.push_back(Clock::now());
                    return false;
                }});
    poller.add({&owner, 100ms, false, [] {
                    std::this_thread::sleep_for(40ms);
                    return false;
                }});
    std::this_thread::sleep_for(1500ms);
    poller.cancel(&owner);
    std::lock_guard guard(lock);
    ASSERT_GE(times.size(), 10u);
    EXPECT_LE(times.size(), 17u);
    Clock::duration widest{};
    for (std::size_t i = 1; i < times.size(); ++i)
        widest = std::max(widest, times[i] - times[i - 1]);
    EXPECT_LT(widest, 600ms) << std::chrono::duration_cast<std::chrono::milliseconds>(widest).count() << " ms";
}

TEST(WatchPoller, CancelEndsOnlyItsOwnersWatchesAndWaitsForTheirSample)
{
    WatchPoller poller;
    const int mine = 0;
    const int theirs = 0;
    std::atomic<bool> in_sample{false};
    std::atomic<bool> started{false};
    std::atomic<int> their_samples{0};
    poller.add({&mine, 10ms, false, [&] {
                    in_sample = true;
                    started = true;
                    std::this_thread::sleep_for(200ms);
                    in_sample = false;
                    return false;
                }});
    poller.add({&theirs, 10ms, false, [&] {
                    ++their_samples;
                    return false;
                }});
    ASSERT_TRUE(eventually([&] { return started.load(); }));
    poller.cancel(&mine);
    EXPECT_FALSE(in_sample) << "cancel() returned while its owner's sample ran";
    EXPECT_EQ(poller.watch_count(), 1u);
    const int seen = their_samples;
    EXPECT_TRUE(eventually([&] { return their_samples > seen + 3; }));
}

TEST(WatchPoller, TheSharedPollerIsOneWhileHeld)
{
    auto a = WatchPoller::shared();
    auto b = WatchPoller::shared();
    EXPECT_EQ(a, b);
    std::weak_ptr<WatchPoller> held = a;
    a.reset();
    b.reset();
    EXPECT_TRUE(held.expired()) << "the shared poller outlives its holders";
    EXPECT_NE(WatchPoller::shared(), nullptr);
}

}  // namespace
}  // namespace volumes::bus
