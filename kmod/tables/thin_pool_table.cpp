#include "kmod/tables/thin_pool_table.hpp"

#include <string>
#include <vector>

#include <fmt/core.h>

namespace volumes::kmod {

Result<TableLine> thin_pool_table_line(const ThinPoolTable& table)
{
    const auto invalid = [](std::string message) {
        return fail(ErrorCode::InvalidArgument, "thin-pool table: " + message);
    };
    if (table.length == 0)
        return invalid("zero length");
    if (table.metadata == table.data)
        return invalid(fmt::format("metadata and data are the same device {}", table.data.to_string()));
    if (table.block_size < min_thin_pool_block_sectors || table.block_size > max_thin_pool_block_sectors ||
        table.block_size % min_thin_pool_block_sectors != 0)
        return invalid(fmt::format("block size {} is not a multiple of {} from {} to {} sectors", table.block_size,
                                   min_thin_pool_block_sectors, min_thin_pool_block_sectors,
                                   max_thin_pool_block_sectors));

    // The order lvm emits and pool_ctr documents.
    std::vector<const char*> features;
    if (table.skip_block_zeroing)
        features.push_back("skip_block_zeroing");
    if (table.discards == ThinPoolDiscards::Ignore)
        features.push_back("ignore_discard");
    if (table.discards == ThinPoolDiscards::NoPassdown)
        features.push_back("no_discard_passdown");
    if (table.read_only)
        features.push_back("read_only");
    if (table.error_if_no_space)
        features.push_back("error_if_no_space");

    auto params = fmt::format("{} {} {} {} {}", table.metadata.to_string(), table.data.to_string(), table.block_size,
                              table.low_water_mark, features.size());
    for (const auto* feature : features)
        params += fmt::format(" {}", feature);
    return TableLine{0, table.length, "thin-pool", std::move(params)};
}

}  // namespace volumes::kmod
