#include "service/model/names.hpp"

#include <algorithm>
#include <array>

#include <fmt/core.h>

namespace volumes::model {

namespace role {

std::string rmeta(unsigned slot)
{
    return fmt::format("rmeta_{}", slot);
}

std::string rimage(unsigned slot)
{
    return fmt::format("rimage_{}", slot);
}

}  // namespace role

namespace {

constexpr std::size_t max_name_length = 64;
constexpr std::array<std::string_view, 6> reserved_suffixes{"_rmeta", "_rimage", "_real", "_cow", "_tmeta", "_tdata"};

bool allowed_character(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '_' ||
           c == '.' || c == '-';
}

Result<void> check_name(std::string_view what, std::string_view name)
{
    if (name.empty())
        return fail(ErrorCode::InvalidArgument, fmt::format("a {} name cannot be empty", what));
    if (name.size() > max_name_length)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("{} name '{}' is longer than {} characters", what, name, max_name_length));
    if (!std::all_of(name.begin(), name.end(), allowed_character))
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("{} name '{}' may only hold letters, digits and '+', '_', '.', '-'", what, name));
    if (name.front() == '-' || name.front() == '.')
        return fail(ErrorCode::InvalidArgument, fmt::format("{} name '{}' cannot start with '-' or '.'", what, name));
    return {};
}

std::string escape_dashes(std::string_view name)
{
    std::string escaped;
    for (const char c : name) {
        escaped += c;
        if (c == '-')
            escaped += '-';
    }
    return escaped;
}

}  // namespace

Result<void> check_pool_name(std::string_view name)
{
    return check_name("pool", name);
}

Result<void> check_volume_name(std::string_view name)
{
    if (auto checked = check_name("volume", name); !checked)
        return checked;
    for (const auto suffix : reserved_suffixes)
        if (name.find(suffix) != std::string_view::npos)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("volume name '{}' contains '{}', which names the pool's hidden sub-volumes",
                                    name, suffix));
    return {};
}

std::string dm_name(std::string_view pool_name, std::string_view volume_name, std::string_view role)
{
    auto name = fmt::format("volumes-{}-{}", escape_dashes(pool_name), escape_dashes(volume_name));
    if (!role.empty())
        name += fmt::format("_{}", role);
    return name;
}

Result<void> check_dm_names_fit(std::string_view pool_name, std::string_view volume_name)
{
    const auto longest = dm_name(pool_name, volume_name.empty() ? "v" : volume_name, role::rimage(99));
    if (longest.size() <= max_dm_name_bytes)
        return {};
    const auto over = longest.size() - max_dm_name_bytes;
    if (volume_name.empty())
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("pool name '{}' leaves no room for a volume's dm names, which may be {} bytes at most: "
                                "shorten it by {} (a '-' counts twice)",
                                pool_name, max_dm_name_bytes, over));
    return fail(ErrorCode::InvalidArgument,
                fmt::format("volume name '{}' in pool '{}' makes dm names like '{}', {} bytes, above the kernel's {}: "
                            "shorten the names by {} (a '-' counts twice)",
                            volume_name, pool_name, longest, longest.size(), max_dm_name_bytes, over));
}

std::string dm_uuid_prefix(const Uuid& pool_uuid)
{
    return fmt::format("VOLUMES-{}-", pool_uuid.to_string());
}

std::string dm_uuid(const Uuid& pool_uuid, const Uuid& volume_uuid, std::string_view role)
{
    auto uuid = dm_uuid_prefix(pool_uuid) + volume_uuid.to_string();
    if (!role.empty())
        uuid += fmt::format("-{}", role);
    return uuid;
}

bool is_machine_id(std::string_view text)
{
    return text.size() == 32 &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace volumes::model
