#include "service/model/json_fields.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include <fmt/core.h>

namespace volumes::model {

namespace {

// A value built in code from a signed int is number_integer even when non-negative; one parsed
// from text is number_unsigned. Both are accepted.
std::optional<std::uint64_t> as_unsigned(const nlohmann::json& value)
{
    if (value.is_number_unsigned())
        return value.get<std::uint64_t>();
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
        return static_cast<std::uint64_t>(value.get<std::int64_t>());
    return std::nullopt;
}

}  // namespace

Result<JsonFields> JsonFields::open(const nlohmann::json& value, std::string path)
{
    if (!value.is_object())
        return fail(ErrorCode::Corrupt, fmt::format("{} is a JSON {}, not an object", path, value.type_name()));
    return JsonFields(value, std::move(path));
}

const nlohmann::json* JsonFields::find(std::string_view key)
{
    std::string name(key);
    if (std::find(asked_.begin(), asked_.end(), name) == asked_.end())
        asked_.push_back(name);
    const auto found = object_->find(name);
    return found == object_->end() ? nullptr : &*found;
}

std::unexpected<Error> JsonFields::missing(std::string_view key, std::string_view type) const
{
    return fail(ErrorCode::Corrupt, fmt::format("{} has no {} \"{}\"", path_, type, key));
}

bool JsonFields::has(std::string_view key)
{
    return find(key) != nullptr;
}

Result<std::uint64_t> JsonFields::u64(std::string_view key)
{
    const auto* value = find(key);
    const auto number = value ? as_unsigned(*value) : std::nullopt;
    if (!number)
        return missing(key, "unsigned integer");
    return *number;
}

Result<std::uint32_t> JsonFields::u32(std::string_view key)
{
    const auto* value = find(key);
    const auto number = value ? as_unsigned(*value) : std::nullopt;
    if (!number || *number > std::numeric_limits<std::uint32_t>::max())
        return missing(key, "32-bit unsigned integer");
    return static_cast<std::uint32_t>(*number);
}

Result<bool> JsonFields::boolean(std::string_view key)
{
    const auto* value = find(key);
    if (!value || !value->is_boolean())
        return missing(key, "boolean");
    return value->get<bool>();
}

Result<std::string> JsonFields::string(std::string_view key)
{
    const auto* value = find(key);
    if (!value || !value->is_string())
        return missing(key, "string");
    return value->get<std::string>();
}

Result<Uuid> JsonFields::uuid(std::string_view key)
{
    const auto text = string(key);
    if (!text)
        return missing(key, "uuid string");
    const auto parsed = Uuid::parse(*text);
    if (!parsed)
        return fail(ErrorCode::Corrupt, fmt::format("{} \"{}\": {}", path_, key, parsed.error().message));
    return *parsed;
}

Result<const nlohmann::json*> JsonFields::array(std::string_view key)
{
    const auto* value = find(key);
    if (!value || !value->is_array())
        return missing(key, "array");
    return value;
}

Result<const nlohmann::json*> JsonFields::object(std::string_view key)
{
    const auto* value = find(key);
    if (!value || !value->is_object())
        return missing(key, "object");
    return value;
}

Result<void> JsonFields::no_other_keys() const
{
    for (const auto& item : object_->items())
        if (std::find(asked_.begin(), asked_.end(), item.key()) == asked_.end())
            return fail(ErrorCode::Unsupported,
                        fmt::format("{} has a key \"{}\" this version of volumesd does not know", path_, item.key()));
    return {};
}

}  // namespace volumes::model
