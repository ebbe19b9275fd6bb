#pragma once

#include <functional>
#include <string>
#include <vector>

#include "service/executor/run_transaction.hpp"

namespace volumes::executor::test {

// A MetadataCommit that writes nothing and records its calls: "write_precommitted",
// "commit", "drop_precommitted". With a journal path each call is also appended to that
// file as one line, by one write(2), so it survives the process being killed right after.
class RecordingCommit : public MetadataCommit {
public:
    RecordingCommit() = default;
    explicit RecordingCommit(std::string journal_path) : journal_path_(std::move(journal_path)) {}

    Result<void> write_precommitted() override;
    Result<void> commit() override;
    Result<void> drop_precommitted() override;

    const std::vector<std::string>& calls() const { return calls_; }

    // Makes commit() fail (after running on_commit), as a commit no member took.
    bool fail_commit = false;
    // Runs inside commit(), to look at the kernel at the moment of the commit.
    std::function<void()> on_commit;

private:
    void record(const std::string& call);

    std::string journal_path_;
    std::vector<std::string> calls_;
};

// The calls a journal file holds, in order.
std::vector<std::string> read_journal(const std::string& path);

}  // namespace volumes::executor::test
