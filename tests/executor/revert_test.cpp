// Failures before the commit leave the kernel as it was: fault points set to fail, a failing
// commit, a table the kernel refuses.
#include <gtest/gtest.h>

#include "kmod/kernel_targets.hpp"
#include "tests/executor/kernel_view.hpp"
#include "tests/executor/pool_fixture.hpp"
#include "tests/executor/recording_commit.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::executor::test {
namespace {

class RevertTest : public PoolTest {
protected:
    void SetUp() override
    {
        PoolTest::SetUp();
        if (HasFatalFailure())
            return;
        ASSERT_TRUE(run(old_stack()));
        volumes::test::write_pattern(mapper_path("top"), 0, 7 * mib, 43);
        before_ = comparable(pool_state());
    }

    // Nothing changed, the precommitted metadata was dropped and never committed.
    void expect_reverted(const RecordingCommit& metadata, const std::vector<std::string>& calls)
    {
        EXPECT_EQ(metadata.calls(), calls);
        EXPECT_EQ(comparable(pool_state()), before_);
        EXPECT_TRUE(pool_matches(old_stack()));
        EXPECT_TRUE(volumes::test::holds_pattern(mapper_path("top"), 0, 7 * mib, 43));
    }

    std::vector<planner::LiveDevice> before_;
};

class FaultBeforeCommit : public RevertTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(FaultBeforeCommit, LeavesTheKernelAsItWas)
{
    RecordingCommit metadata;
    Result<TransactionReport> report;
    {
        FaultSetting fault(std::string(GetParam()) + ":fail");
        report = run_transaction(pool_prefix, source_of(grown_stack()), metadata);
    }
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::Fault) << report.error().message;
    EXPECT_FALSE(report.error().committed);
    EXPECT_EQ(report.error().message.find("reverting also failed"), std::string::npos) << report.error().message;
    expect_reverted(metadata, {"write_precommitted", "drop_precommitted"});
}

INSTANTIATE_TEST_SUITE_P(Points, FaultBeforeCommit, ::testing::Values("precommitted", "created", "preloaded", "suspended"),
                         [](const auto& info) { return std::string(info.param); });

TEST_F(RevertTest, AFailedCommitLeavesTheKernelAsItWas)
{
    RecordingCommit metadata;
    metadata.fail_commit = true;
    bool suspended_at_commit = false;
    metadata.on_commit = [&] {
        const auto state = pool_state();
        const auto* top = find_device(state, "top");
        suspended_at_commit = top && top->suspended;
    };
    auto report = run_transaction(pool_prefix, source_of(grown_stack()), metadata);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::Metadata) << report.error().message;
    EXPECT_FALSE(report.error().committed);
    EXPECT_TRUE(suspended_at_commit) << "the commit ran before the suspends";
    expect_reverted(metadata, {"write_precommitted", "commit failed", "drop_precommitted"});
}

TEST_F(RevertTest, ATableTheKernelRefusesRevertsTheLoadsAndCreatesBeforeIt)
{
    auto targets = kmod::KernelTargets::open();
    ASSERT_TRUE(targets) << targets.error().message;
    ASSERT_TRUE(targets->require(kmod::Feature::ThinPool));

    // A thin device whose "pool" is the plain disk: thin_ctr refuses it at the load, after
    // e1-lower, e2-upper and top were loaded (the plan keeps the listed order).
    auto layers = grown_stack();
    layers.push_back({"e3-thin", {{disk_.number(), 0, 1 * mib_sectors}}, Target::Thin});
    RecordingCommit metadata;
    auto report = run_transaction(pool_prefix, source_of(layers), metadata);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::Kernel) << report.error().message;
    EXPECT_FALSE(report.error().committed);
    EXPECT_NE(report.error().message.find(uuid_of("e3-thin")), std::string::npos) << report.error().message;
    expect_reverted(metadata, {"write_precommitted", "drop_precommitted"});
}

}  // namespace
}  // namespace volumes::executor::test
