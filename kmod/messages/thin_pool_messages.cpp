#include "kmod/messages/thin_pool_messages.hpp"

#include <fmt/core.h>

namespace volumes::kmod {

namespace {

Result<void> check_id(const char* message, const char* field, std::uint32_t id)
{
    if (id >= thin_device_id_limit)
        return fail(ErrorCode::InvalidArgument, fmt::format("{} message: {} {} is not below 2^24 ({})", message, field,
                                                            id, thin_device_id_limit));
    return {};
}

}  // namespace

Result<std::string> create_thin_message(std::uint32_t id)
{
    if (auto checked = check_id("create_thin", "thin id", id); !checked)
        return std::unexpected(checked.error());
    return fmt::format("create_thin {}", id);
}

Result<std::string> create_snap_message(std::uint32_t id, std::uint32_t origin_id)
{
    if (auto checked = check_id("create_snap", "thin id", id); !checked)
        return std::unexpected(checked.error());
    if (auto checked = check_id("create_snap", "origin id", origin_id); !checked)
        return std::unexpected(checked.error());
    if (id == origin_id)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("create_snap message: thin id {} is also the origin id; a snapshot needs its own id",
                                id));
    return fmt::format("create_snap {} {}", id, origin_id);
}

Result<std::string> delete_thin_message(std::uint32_t id)
{
    if (auto checked = check_id("delete", "thin id", id); !checked)
        return std::unexpected(checked.error());
    return fmt::format("delete {}", id);
}

Result<std::string> set_transaction_id_message(std::uint64_t current, std::uint64_t next)
{
    if (current == next)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("set_transaction_id message: the next transaction id equals the current one ({})",
                                current));
    return fmt::format("set_transaction_id {} {}", current, next);
}

std::string reserve_metadata_snap_message()
{
    return "reserve_metadata_snap";
}

std::string release_metadata_snap_message()
{
    return "release_metadata_snap";
}

}  // namespace volumes::kmod
