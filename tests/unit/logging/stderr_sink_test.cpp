// write() through the stderr sink: the threshold, and whole lines when threads log at once.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "service/logging/log.hpp"

namespace volumes::logging {
namespace {

// Sends stderr to a temporary file for the life of the object.
class CapturedStderr {
public:
    CapturedStderr()
    {
        std::fflush(stderr);
        saved_ = ::dup(STDERR_FILENO);
        file_ = std::tmpfile();
        ::dup2(::fileno(file_), STDERR_FILENO);
    }
    ~CapturedStderr()
    {
        std::fflush(stderr);
        ::dup2(saved_, STDERR_FILENO);
        ::close(saved_);
        std::fclose(file_);
    }

    std::vector<std::string> lines()
    {
        std::fflush(stderr);
        std::string text;
        std::rewind(file_);
        char buffer[4096];
        while (const auto n = std::fread(buffer, 1, sizeof buffer, file_))
            text.append(buffer, n);
        std::vector<std::string> result;
        std::istringstream stream{text};
        for (std::string line; std::getline(stream, line);)
            result.push_back(line);
        return result;
    }

private:
    int saved_ = -1;
    std::FILE* file_ = nullptr;
};

TEST(StderrSink, DropsMessagesBelowTheThreshold)
{
    CapturedStderr captured;
    configure(Sink::Stderr, Level::Warning);
    info({}, "not shown {}", 1);
    debug({}, "not shown {}", 2);
    warning({.pool = "tank"}, "shown {}", 3);
    error({}, "shown {}", 4);
    configure(Sink::Stderr, Level::Info);

    EXPECT_EQ(captured.lines(), (std::vector<std::string>{"volumesd: warning: [tank] shown 3", "volumesd: error: shown 4"}));
}

TEST(StderrSink, AHugeNameCostsTheLogOneBoundedLine)
{
    CapturedStderr captured;
    const std::string name(10'000'000, 'n');
    warning({.pool = name, .volume = name, .operation = name}, "refused '{}'", name);

    const auto lines = captured.lines();
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_LT(lines[0].size(), 4096U);
    EXPECT_NE(lines[0].find("more bytes]"), std::string::npos) << lines[0].substr(0, 200);
}

TEST(StderrSink, LinesFromManyThreadsStayWhole)
{
    constexpr int threads = 8;
    constexpr int per_thread = 200;
    CapturedStderr captured;
    configure(Sink::Stderr, Level::Info);
    {
        std::vector<std::jthread> workers;
        for (int t = 0; t < threads; ++t)
            workers.emplace_back([t] {
                for (int i = 0; i < per_thread; ++i)
                    info({.pool = "tank", .operation = "scrub"}, "worker {} message {} {}", t, i, std::string(100, 'x'));
            });
    }

    const auto lines = captured.lines();
    ASSERT_EQ(lines.size(), static_cast<std::size_t>(threads * per_thread));
    std::set<std::string> expected;
    for (int t = 0; t < threads; ++t)
        for (int i = 0; i < per_thread; ++i)
            expected.insert(fmt::format("volumesd: info: [tank scrub] worker {} message {} {}", t, i, std::string(100, 'x')));
    EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()), expected);
}

}  // namespace
}  // namespace volumes::logging
