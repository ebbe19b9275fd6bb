#include "kmod/tables/linear_table.hpp"

#include <limits>

#include <fmt/core.h>

namespace volumes::kmod {

Result<Table> linear_table(std::span<const LinearSegment> segments)
{
    if (segments.empty())
        return fail(ErrorCode::InvalidArgument, "a linear table needs at least one segment");

    constexpr auto max_sector = std::numeric_limits<std::uint64_t>::max();
    Table table;
    std::uint64_t start = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& segment = segments[i];
        if (segment.length == 0)
            return fail(ErrorCode::InvalidArgument, fmt::format("linear segment {} has zero length", i));
        if (segment.offset > max_sector - segment.length)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("linear segment {} runs past the last addressable sector", i));
        if (start > max_sector - segment.length)
            return fail(ErrorCode::InvalidArgument, "the linear segments add up to more sectors than a table can address");
        table.push_back(TableLine{start, segment.length, "linear",
                                  fmt::format("{} {}", segment.device.to_string(), segment.offset)});
        start += segment.length;
    }
    return table;
}

}  // namespace volumes::kmod
