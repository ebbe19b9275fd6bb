// run_transaction against the guest's kernel: new stacks, a layer removed, refusals.
#include <map>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "kmod/tables/error_table.hpp"
#include "tests/executor/kernel_view.hpp"
#include "tests/executor/pool_fixture.hpp"
#include "tests/executor/recording_commit.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::executor::test {
namespace {

using TransactionTest = PoolTest;

// The pool as commit() saw it, with the inactive tables.
struct AtCommit {
    planner::LiveState state;
    std::map<std::string, kmod::Table> inactive;
};

void capture_at_commit(RecordingCommit& metadata, std::optional<AtCommit>& seen)
{
    metadata.on_commit = [&seen] {
        AtCommit now{pool_state(), {}};
        for (const auto& device : now.state.devices)
            if (device.has_inactive_table)
                now.inactive[device.uuid] = inactive_table(device.uuid);
        seen = std::move(now);
    };
}

TEST_F(TransactionTest, CreatesANewStackBottomUpAndCommitsBeforeAnyResume)
{
    const Layers stack{
        {"lower", {{disk_.number(), 1 * mib_sectors, 7 * mib_sectors}}},
        {"upper", {{std::string("lower"), 0, 7 * mib_sectors}}},
    };
    RecordingCommit metadata;
    std::optional<AtCommit> at_commit;
    capture_at_commit(metadata, at_commit);

    auto report = run_transaction(pool_prefix, source_of(stack), metadata);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(metadata.calls(), (std::vector<std::string>{"write_precommitted", "commit"}));
    EXPECT_EQ(report->created, (std::vector<std::string>{uuid_of("lower"), uuid_of("upper")}));
    EXPECT_EQ(summaries(report->plan), (std::vector<std::string>{
                                           "load " + uuid_of("lower"),
                                           "resume-new-child " + uuid_of("lower") + " awaited",
                                           "load " + uuid_of("upper"),
                                           "commit-metadata",
                                           "resume " + uuid_of("upper") + " awaited",
                                           "wait-for-udev",
                                       }));

    // At the commit both devices exist. lower, which upper stacks on, is live already so that
    // upper's table could see its size; upper is loaded and not live yet.
    ASSERT_TRUE(at_commit);
    const auto numbers_now = pool_state();
    const auto* lower = find_device(at_commit->state, "lower");
    ASSERT_TRUE(lower) << "lower did not exist at the commit";
    EXPECT_EQ(lower->table, find_device(numbers_now, "lower")->table) << "lower was not live before the commit";
    EXPECT_FALSE(lower->has_inactive_table);
    const auto* upper = find_device(at_commit->state, "upper");
    ASSERT_TRUE(upper) << "upper did not exist at the commit";
    EXPECT_TRUE(upper->table.empty()) << "upper was resumed before the commit";
    EXPECT_TRUE(upper->has_inactive_table) << "upper was not loaded before the commit";
    EXPECT_EQ(at_commit->inactive[uuid_of("upper")], find_device(numbers_now, "upper")->table);

    EXPECT_TRUE(pool_matches(stack));
    volumes::test::write_pattern(mapper_path("upper"), 0, 7 * mib, 41);
    EXPECT_EQ(volumes::test::digest(mapper_path("upper"), 0, 7 * mib), volumes::test::digest(disk_.path(), mib, 7 * mib))
        << "what was written through upper is not on the disk at lower's offset";
    EXPECT_NE(volumes::test::digest(disk_.path(), mib, 7 * mib), volumes::test::digest(disk_.path(), 16 * mib, 7 * mib))
        << "the disk region is still zeros";
}

TEST_F(TransactionTest, RemovesAMiddleLayerThroughAnErrorTable)
{
    ASSERT_TRUE(run(old_stack()));
    volumes::test::write_pattern(mapper_path("top"), 0, 7 * mib, 42);

    RecordingCommit metadata;
    std::optional<AtCommit> at_commit;
    capture_at_commit(metadata, at_commit);
    auto report = run_transaction(pool_prefix, source_of(seed_stack()), metadata);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(metadata.calls(), (std::vector<std::string>{"write_precommitted", "commit"}));
    EXPECT_TRUE(report->created.empty());
    EXPECT_EQ(summaries(report->plan), (std::vector<std::string>{
                                           "load " + uuid_of("top"),
                                           "load-error " + uuid_of("mid") + " 14336",
                                           "suspend " + uuid_of("top") + " flush skip-lockfs",
                                           "commit-metadata",
                                           "resume " + uuid_of("top"),
                                           "resume " + uuid_of("mid") + " as internal",
                                           "remove " + uuid_of("mid"),
                                           "wait-for-udev",
                                       }));

    ASSERT_TRUE(at_commit);
    const auto* mid = find_device(at_commit->state, "mid");
    const auto* top = find_device(at_commit->state, "top");
    ASSERT_TRUE(mid && top);
    EXPECT_FALSE(mid->suspended) << "mid was suspended under its live parent";
    EXPECT_TRUE(top->suspended);
    EXPECT_EQ(mid->table.at(0).target_type, "linear") << "mid's error table went live before the commit";
    EXPECT_EQ(at_commit->inactive[uuid_of("mid")], kmod::Table{kmod::error_table_line(7 * mib_sectors)});
    EXPECT_EQ(at_commit->inactive[uuid_of("top")],
              (kmod::Table{{0, 7 * mib_sectors, "linear", fmt::format("{} 2048", disk_.number().to_string())}}));

    EXPECT_TRUE(pool_matches(seed_stack()));
    EXPECT_EQ(find_device(pool_state(), "mid"), nullptr);
    EXPECT_TRUE(volumes::test::holds_pattern(mapper_path("top"), 0, 7 * mib, 42));
}

TEST_F(TransactionTest, AGraphOutsideThePrefixIsRefusedBeforeAnythingIsWritten)
{
    ASSERT_TRUE(run(old_stack()));
    const auto before = comparable(pool_state());
    RecordingCommit metadata;
    const GraphSource foreign = [&](const graph::DeviceNumbers& numbers) -> model::Result<graph::DerivedGraph> {
        auto derived = derive(seed_stack(), numbers);
        derived.graph.devices.front().uuid = "VOLUMES-elsewhere-top";
        return derived;
    };
    auto report = run_transaction(pool_prefix, foreign, metadata);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::Refused);
    EXPECT_FALSE(report.error().committed);
    EXPECT_TRUE(metadata.calls().empty());
    EXPECT_EQ(comparable(pool_state()), before);
}

TEST_F(TransactionTest, AGraphSourceErrorIsRefusedBeforeAnythingIsWritten)
{
    RecordingCommit metadata;
    const GraphSource broken = [](const graph::DeviceNumbers&) -> model::Result<graph::DerivedGraph> {
        return model::fail(model::ErrorCode::InvalidArgument, "no such member");
    };
    auto report = run_transaction(pool_prefix, broken, metadata);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::Refused);
    EXPECT_NE(report.error().message.find("no such member"), std::string::npos) << report.error().message;
    EXPECT_TRUE(metadata.calls().empty());
}

TEST_F(TransactionTest, ALeavingDeviceOpenOutsideThePoolIsBusy)
{
    ASSERT_TRUE(run(old_stack()));
    const int holder = ::open(mapper_path("mid").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(holder, 0);
    RecordingCommit metadata;
    auto report = run_transaction(pool_prefix, source_of(seed_stack()), metadata);
    ::close(holder);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::Busy) << report.error().message;
    EXPECT_TRUE(metadata.calls().empty());
    EXPECT_TRUE(pool_matches(old_stack()));
}

TEST_F(TransactionTest, AnUnchangedGraphOnlyCommits)
{
    ASSERT_TRUE(run(old_stack()));
    RecordingCommit metadata;
    auto report = run_transaction(pool_prefix, source_of(old_stack()), metadata);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(summaries(report->plan), std::vector<std::string>{"commit-metadata"});
    EXPECT_EQ(metadata.calls(), (std::vector<std::string>{"write_precommitted", "commit"}));
    EXPECT_TRUE(pool_matches(old_stack()));
}

}  // namespace
}  // namespace volumes::executor::test
