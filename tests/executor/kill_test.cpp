// A transaction killed at each fault point, then repaired by running the transaction that the
// metadata says is the pool's truth: the old graph if the commit did not happen, the new one
// if it did.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "tests/executor/kernel_view.hpp"
#include "tests/executor/pool_fixture.hpp"
#include "tests/executor/recording_commit.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::executor::test {
namespace {

class KilledTransaction : public PoolTest, public ::testing::WithParamInterface<const char*> {
protected:
    void TearDown() override
    {
        std::filesystem::remove(journal_);
        PoolTest::TearDown();
    }

    // Runs old → grown in a child that dies at the fault point; returns how it ended.
    int run_in_child()
    {
        std::filesystem::remove(journal_);
        const pid_t child = ::fork();
        if (child == 0) {
            ::setenv("VOLUMESD_FAULT", GetParam(), 1);
            RecordingCommit metadata(journal_);
            auto report = run_transaction(pool_prefix, source_of(grown_stack()), metadata);
            ::_exit(report ? 0 : 1);
        }
        int status = 0;
        EXPECT_EQ(::waitpid(child, &status, 0), child);
        return status;
    }

    const std::string journal_ = fmt::format("/tmp/volumes-exec-journal-{}", ::getpid());
};

TEST_P(KilledTransaction, IsRepairedByTheNextTransaction)
{
    ASSERT_TRUE(run(old_stack()));
    volumes::test::write_pattern(mapper_path("top"), 0, 7 * mib, 44);

    const int status = run_in_child();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child did not die at '" << GetParam() << "': wait status " << status;

    const auto calls = read_journal(journal_);
    const bool committed = std::ranges::find(calls, "commit") != calls.end();
    const std::string point = GetParam();
    const bool after_commit = point == "committed" || point == "resumed" || point == "removed";
    EXPECT_EQ(committed, after_commit);
    EXPECT_EQ(calls.front(), "write_precommitted");
    EXPECT_EQ(std::ranges::find(calls, "drop_precommitted"), calls.end());

    const auto truth = committed ? grown_stack() : old_stack();
    RecordingCommit metadata;
    auto repaired = run_transaction(pool_prefix, source_of(truth), metadata);
    ASSERT_TRUE(repaired) << repaired.error().message;
    EXPECT_TRUE(pool_matches(truth));
    EXPECT_TRUE(volumes::test::holds_pattern(mapper_path("top"), 0, 7 * mib, 44));
}

INSTANTIATE_TEST_SUITE_P(Points, KilledTransaction,
                         ::testing::Values("precommitted", "created", "preloaded", "suspended", "committed", "resumed",
                                           "removed"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace volumes::executor::test
