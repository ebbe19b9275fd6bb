// What start-up reports about its members' metadata: repairs go to the log, Problems keeps
// only what still stands (a member not rewritten, a rewrite that failed, a foreign pool's).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "service/engine/pool_assembly.hpp"

namespace volumes::engine {
namespace {

metadata::Uuid member(std::uint8_t n)
{
    metadata::Uuid uuid;
    uuid.bytes.fill(n);
    return uuid;
}

metadata::MemberReport report(std::uint8_t n, bool stale, std::vector<std::string> problems)
{
    metadata::MemberReport report;
    report.member_uuid = member(n);
    report.stale = stale;
    report.problems = std::move(problems);
    return report;
}

std::string about(std::uint8_t n, const std::string& problem)
{
    return "member " + member(n).to_string() + ": " + problem;
}

const std::string older = "its committed seq 2 is older than the pool's seq 3";

// A kill at "member-committed": seqs 3 2 2, then both stale members rewritten (3 3 3).
TEST(MemberFindings, StaleMembersRewrittenAreRepairsNotProblems)
{
    const std::vector reports{report(1, false, {}), report(2, true, {older}), report(3, true, {older})};
    const auto findings = member_findings(reports, {member(2), member(3)}, {});
    EXPECT_EQ(findings.standing, std::vector<std::string>{});
    EXPECT_EQ(findings.repaired, (std::vector{about(2, older), about(3, older)}));
}

TEST(MemberFindings, AStaleMemberWhoseRewriteFailedStillStands)
{
    const std::vector reports{report(1, false, {}), report(2, true, {older}), report(3, true, {older})};
    const auto findings = member_findings(reports, {member(2)}, {member(1), member(2), member(3)});
    EXPECT_EQ(findings.standing, std::vector{about(3, older)});
    EXPECT_EQ(findings.repaired, std::vector{about(2, older)});
}

// A foreign pool is never written: whatever its members have stands.
TEST(MemberFindings, NothingWrittenMeansEverythingStands)
{
    const std::vector reports{report(1, true, {older}), report(2, false, {"precommitted copy (seq 4): bad checksum"})};
    const auto findings = member_findings(reports, {}, {});
    EXPECT_EQ(findings.standing, (std::vector{about(1, older), about(2, "precommitted copy (seq 4): bad checksum")}));
    EXPECT_EQ(findings.repaired, std::vector<std::string>{});
}

// A member holding the committed document has problems only with its precommitted copy;
// dropping that copy repairs them. A stale member's committed copy is still wrong after its
// precommitted copy is dropped.
TEST(MemberFindings, DroppingThePrecommittedCopyRepairsOnlyAMemberThatIsNotStale)
{
    const std::string differs = "its precommitted seq 4 differs from member x's";
    const std::vector reports{report(1, false, {differs}), report(2, true, {older})};
    const auto findings = member_findings(reports, {}, {member(1), member(2)});
    EXPECT_EQ(findings.repaired, std::vector{about(1, differs)});
    EXPECT_EQ(findings.standing, std::vector{about(2, older)});
}

}  // namespace
}  // namespace volumes::engine
