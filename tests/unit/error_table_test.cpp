#include "kmod/tables/error_table.hpp"

#include <gtest/gtest.h>

namespace volumes::kmod {
namespace {

TEST(ErrorTable, HasNoParameters)
{
    const auto line = error_table_line(2097152);
    EXPECT_EQ(line, (TableLine{0, 2097152, "error", ""}));
    EXPECT_EQ(line.to_string(), "0 2097152 error");
}

}  // namespace
}  // namespace volumes::kmod
