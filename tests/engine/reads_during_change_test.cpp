// Reads of a pool never wait for a change in progress: while a CreateVolume is held inside
// its transaction (devices suspended), the pool's summary, model and volumes answer at once
// and show the pool as last committed; the change then completes and shows.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "kmod/device_mapper.hpp"
#include "pool_cleanup.hpp"
#include "service/executor/fault_point.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;

bool device_exists(const std::string& name)
{
    auto info = kmod::dm::info(kmod::DeviceId::by_name(name));
    return info && info->exists;
}

TEST(ReadsDuringChange, ThePoolIsReadWhileItsChangeIsHeldInsideTheTransaction)
{
    LoopDevice a(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("held", {a.path()}));
    ASSERT_TRUE(engine->create_linear_volume("held", {"before", 4 * mib}));

    const std::filesystem::path hold = executor::kFaultHoldFile;
    std::ofstream(hold) << "held by ReadsDuringChange\n";
    ::setenv("VOLUMESD_FAULT", "suspended:hold-at=1", 1);
    struct Restore {
        std::filesystem::path path;
        ~Restore()
        {
            std::filesystem::remove(path);
            ::unsetenv("VOLUMESD_FAULT");
        }
    } restore{hold};
    auto change = std::async(std::launch::async, [&] { return engine->create_linear_volume("held", {"new", 4 * mib}); });
    const auto waited = std::chrono::steady_clock::now();
    while (!device_exists("volumes-held-new")) {
        ASSERT_LT(std::chrono::steady_clock::now() - waited, std::chrono::seconds(60)) << "the change never created its device";
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(change.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout)
        << "the change finished: the hold proved nothing";

    auto reads = std::async(std::launch::async, [&] {
        const auto summary = engine->pool("held");
        const auto model = engine->model("held");
        const auto volumes = engine->volumes("held");
        const auto volume = engine->volume("held", "before");
        const auto missing = engine->volume("held", "new");
        return summary && model && model->volumes.size() == 1 && volumes && volumes->size() == 1 && volume &&
               !missing && missing.error().code == ErrorCode::NotFound;
    });
    ASSERT_EQ(reads.wait_for(std::chrono::seconds(10)), std::future_status::ready)
        << "reading the pool waited for the change in progress";
    EXPECT_TRUE(reads.get()) << "the reads did not show the pool as last committed";

    std::filesystem::remove(hold);
    ASSERT_EQ(change.wait_for(std::chrono::seconds(120)), std::future_status::ready) << "the change never completed";
    const auto created = change.get();
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_TRUE(engine->volume("held", "new"));
}

}  // namespace
}  // namespace volumes::engine
