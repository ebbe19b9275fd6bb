#include "kmod/tables/snapshot_table.hpp"

#include <bit>
#include <string>

#include <fmt/core.h>

namespace volumes::kmod {

namespace {

const char* store_code(SnapshotStore store)
{
    switch (store) {
    case SnapshotStore::Persistent: return "P";
    case SnapshotStore::PersistentOverflow: return "PO";
    case SnapshotStore::Transient: return "N";
    }
    return "P";
}

Result<std::string> snapshot_params(const SnapshotTable& table, std::string_view target)
{
    const auto invalid = [target](std::string message) {
        return fail(ErrorCode::InvalidArgument, fmt::format("{} table: {}", target, message));
    };
    if (table.length == 0)
        return invalid("zero length");
    if (table.origin == table.cow)
        return invalid("COW device cannot be the same as origin device");
    if (!std::has_single_bit(table.chunk_size) || table.chunk_size < min_snapshot_chunk_sectors ||
        table.chunk_size > max_snapshot_chunk_sectors)
        return invalid(fmt::format("chunk size {} is not a power of 2 from {} to {} sectors", table.chunk_size,
                                   min_snapshot_chunk_sectors, max_snapshot_chunk_sectors));
    if (table.discard_passdown_origin && !table.discard_zeroes_cow)
        return invalid("discard_passdown_origin feature depends on discard_zeroes_cow");

    auto params = fmt::format("{} {} {} {}", table.origin.to_string(), table.cow.to_string(),
                              store_code(table.store), table.chunk_size);
    // Features only when there are any, as dm-snap prints its own table.
    if (table.discard_passdown_origin)
        params += " 2 discard_zeroes_cow discard_passdown_origin";
    else if (table.discard_zeroes_cow)
        params += " 1 discard_zeroes_cow";
    return params;
}

}  // namespace

Result<TableLine> snapshot_origin_table_line(std::uint64_t length, DeviceNumber origin)
{
    if (length == 0)
        return fail(ErrorCode::InvalidArgument, "snapshot-origin table: zero length");
    return TableLine{0, length, "snapshot-origin", origin.to_string()};
}

Result<TableLine> snapshot_table_line(const SnapshotTable& table)
{
    auto params = snapshot_params(table, "snapshot");
    if (!params)
        return std::unexpected(params.error());
    return TableLine{0, table.length, "snapshot", std::move(*params)};
}

Result<TableLine> snapshot_merge_table_line(const SnapshotTable& table)
{
    if (table.store == SnapshotStore::Transient)
        return fail(ErrorCode::InvalidArgument,
                    "snapshot-merge table: a transient (N) store cannot be merged; it needs a persistent one");
    auto params = snapshot_params(table, "snapshot-merge");
    if (!params)
        return std::unexpected(params.error());
    return TableLine{0, table.length, "snapshot-merge", std::move(*params)};
}

}  // namespace volumes::kmod
