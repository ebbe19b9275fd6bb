#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "service/logging/journal_fields.hpp"

namespace volumes::logging {
namespace {

using Entry = std::vector<std::string>;

TEST(JournalFields, MessagePriorityAndIdentifierAlways)
{
    EXPECT_EQ(journal_fields(Level::Info, {}, "started"),
              (Entry{"MESSAGE=started", "PRIORITY=6", "SYSLOG_IDENTIFIER=volumesd"}));
}

TEST(JournalFields, PriorityFollowsSyslog)
{
    EXPECT_EQ(journal_fields(Level::Debug, {}, "m").at(1), "PRIORITY=7");
    EXPECT_EQ(journal_fields(Level::Notice, {}, "m").at(1), "PRIORITY=5");
    EXPECT_EQ(journal_fields(Level::Warning, {}, "m").at(1), "PRIORITY=4");
    EXPECT_EQ(journal_fields(Level::Error, {}, "m").at(1), "PRIORITY=3");
}

TEST(JournalFields, OnlyTheFieldsThatAreSet)
{
    EXPECT_EQ(journal_fields(Level::Error, {.pool = "tank", .volume = "root", .operation = "merge"}, "failed"),
              (Entry{"MESSAGE=failed", "PRIORITY=3", "SYSLOG_IDENTIFIER=volumesd", "POOL=tank", "VOLUME=root",
                     "OPERATION=merge"}));
    EXPECT_EQ(journal_fields(Level::Info, {.volume = "root"}, "m"),
              (Entry{"MESSAGE=m", "PRIORITY=6", "SYSLOG_IDENTIFIER=volumesd", "VOLUME=root"}));
}

TEST(JournalFields, MessageKeepsItsNewlines)
{
    EXPECT_EQ(journal_fields(Level::Info, {}, "a\nb").front(), "MESSAGE=a\nb");
}

}  // namespace
}  // namespace volumes::logging
