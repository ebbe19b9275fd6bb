#include "tests/executor/recording_commit.hpp"

#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace volumes::executor::test {

void RecordingCommit::record(const std::string& call)
{
    calls_.push_back(call);
    if (journal_path_.empty())
        return;
    const int fd = ::open(journal_path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error("cannot open the journal " + journal_path_);
    const auto line = call + '\n';
    const auto written = ::write(fd, line.data(), line.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(line.size()))
        throw std::runtime_error("cannot write the journal " + journal_path_);
}

Result<void> RecordingCommit::write_precommitted()
{
    record("write_precommitted");
    return {};
}

Result<void> RecordingCommit::commit()
{
    if (on_commit)
        on_commit();
    if (fail_commit) {
        record("commit failed");
        return fail(ErrorCode::Metadata, "the test's commit fails on purpose");
    }
    record("commit");
    return {};
}

Result<void> RecordingCommit::drop_precommitted()
{
    record("drop_precommitted");
    return {};
}

std::vector<std::string> read_journal(const std::string& path)
{
    std::vector<std::string> calls;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        calls.push_back(line);
    return calls;
}

}  // namespace volumes::executor::test
