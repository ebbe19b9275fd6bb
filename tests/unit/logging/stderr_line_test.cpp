#include <gtest/gtest.h>

#include "service/logging/stderr_line.hpp"

namespace volumes::logging {
namespace {

TEST(StderrLine, WithoutFieldsHasNoBracket)
{
    EXPECT_EQ(stderr_line(Level::Info, {}, "started"), "volumesd: info: started");
}

TEST(StderrLine, NamesEveryLevel)
{
    EXPECT_EQ(stderr_line(Level::Debug, {}, "m"), "volumesd: debug: m");
    EXPECT_EQ(stderr_line(Level::Notice, {}, "m"), "volumesd: notice: m");
    EXPECT_EQ(stderr_line(Level::Warning, {}, "m"), "volumesd: warning: m");
    EXPECT_EQ(stderr_line(Level::Error, {}, "m"), "volumesd: error: m");
}

TEST(StderrLine, AllFields)
{
    EXPECT_EQ(stderr_line(Level::Error, {.pool = "tank", .volume = "root", .operation = "split-track"}, "failed"),
              "volumesd: error: [tank/root split-track] failed");
}

TEST(StderrLine, OnlyTheFieldsThatAreSet)
{
    EXPECT_EQ(stderr_line(Level::Info, {.pool = "tank"}, "m"), "volumesd: info: [tank] m");
    EXPECT_EQ(stderr_line(Level::Info, {.pool = "tank", .volume = "root"}, "m"), "volumesd: info: [tank/root] m");
    EXPECT_EQ(stderr_line(Level::Info, {.pool = "tank", .operation = "merge"}, "m"), "volumesd: info: [tank merge] m");
    EXPECT_EQ(stderr_line(Level::Info, {.volume = "root"}, "m"), "volumesd: info: [root] m");
    EXPECT_EQ(stderr_line(Level::Info, {.operation = "start-up"}, "m"), "volumesd: info: [start-up] m");
}

TEST(StderrLine, StaysOnOneLine)
{
    const auto line = stderr_line(Level::Warning, {}, "first\nsecond\n");
    EXPECT_EQ(line, "volumesd: warning: first\\nsecond\\n");
    EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace volumes::logging
