#include "kmod/tables/thin_table.hpp"

#include <string>

#include <fmt/core.h>

namespace volumes::kmod {

Result<TableLine> thin_table_line(const ThinTable& table)
{
    const auto invalid = [](std::string message) {
        return fail(ErrorCode::InvalidArgument, "thin table: " + message);
    };
    if (table.length == 0)
        return invalid("zero length");
    if (table.device_id > max_thin_device_id)
        return invalid(fmt::format("device id {} exceeds the 24-bit maximum {}", table.device_id, max_thin_device_id));
    if (table.external_origin && *table.external_origin == table.pool)
        return invalid("the external origin cannot be the pool itself");

    auto params = fmt::format("{} {}", table.pool.to_string(), table.device_id);
    if (table.external_origin)
        params += fmt::format(" {}", table.external_origin->to_string());
    return TableLine{0, table.length, "thin", std::move(params)};
}

}  // namespace volumes::kmod
