#include "kmod/tables/error_table.hpp"

namespace volumes::kmod {

TableLine error_table_line(std::uint64_t length)
{
    return TableLine{0, length, "error", {}};
}

}  // namespace volumes::kmod
