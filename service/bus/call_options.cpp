#include "service/bus/call_options.hpp"

#include <limits>

#include <fmt/format.h>

namespace volumes::bus {

OptionReader::OptionReader(const Options& options) : options_(options)
{
    accepted_.insert(kNoUserInteraction);
}

const sdbus::Variant* OptionReader::accept(const std::string& key)
{
    accepted_.insert(key);
    auto found = options_.find(key);
    return found == options_.end() ? nullptr : &found->second;
}

void OptionReader::wrong_type(const std::string& key, const sdbus::Variant& value, std::string_view expected)
{
    if (problem_)
        return;
    problem_ = engine::Error{engine::ErrorCode::InvalidArgument,
                             fmt::format("option '{}' must be of D-Bus type {}, not {}", key, expected,
                                         value.peekValueType())};
}

std::optional<bool> OptionReader::boolean(const std::string& key)
{
    const auto* value = accept(key);
    if (!value)
        return std::nullopt;
    if (!value->containsValueOfType<bool>()) {
        wrong_type(key, *value, "b (boolean)");
        return std::nullopt;
    }
    return value->get<bool>();
}

std::optional<std::string> OptionReader::string(const std::string& key)
{
    const auto* value = accept(key);
    if (!value)
        return std::nullopt;
    if (!value->containsValueOfType<std::string>()) {
        wrong_type(key, *value, "s (string)");
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::optional<std::vector<std::string>> OptionReader::strings(const std::string& key)
{
    const auto* value = accept(key);
    if (!value)
        return std::nullopt;
    if (!value->containsValueOfType<std::vector<std::string>>()) {
        wrong_type(key, *value, "as (array of strings)");
        return std::nullopt;
    }
    return value->get<std::vector<std::string>>();
}

std::optional<std::uint64_t> OptionReader::uint64(const std::string& key)
{
    const auto* value = accept(key);
    if (!value)
        return std::nullopt;
    if (value->containsValueOfType<std::uint64_t>())
        return value->get<std::uint64_t>();
    if (value->containsValueOfType<std::uint32_t>())
        return value->get<std::uint32_t>();
    wrong_type(key, *value, "t (uint64) or u (uint32)");
    return std::nullopt;
}

std::optional<std::uint32_t> OptionReader::uint32(const std::string& key)
{
    auto wide = uint64(key);
    if (!wide)
        return std::nullopt;
    if (*wide > std::numeric_limits<std::uint32_t>::max()) {
        if (!problem_)
            problem_ = engine::Error{engine::ErrorCode::InvalidArgument,
                                     fmt::format("option '{}' is {}, more than the largest allowed, {}", key, *wide,
                                                 std::numeric_limits<std::uint32_t>::max())};
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(*wide);
}

engine::Result<void> OptionReader::finish() const
{
    if (problem_)
        return std::unexpected(*problem_);
    for (const auto& [key, value] : options_) {
        if (!accepted_.contains(key)) {
            std::string known;
            for (const auto& name : accepted_)
                known += (known.empty() ? "" : ", ") + name;
            return engine::fail(engine::ErrorCode::InvalidArgument,
                                fmt::format("unknown option '{}'; this method takes: {}", key, known));
        }
    }
    return {};
}

engine::Result<bool> allows_user_interaction(const Options& options)
{
    auto found = options.find(kNoUserInteraction);
    if (found == options.end())
        return true;
    if (!found->second.containsValueOfType<bool>())
        return engine::fail(engine::ErrorCode::InvalidArgument,
                            fmt::format("option '{}' must be of D-Bus type b (boolean), not {}", kNoUserInteraction,
                                        found->second.peekValueType()));
    return !found->second.get<bool>();
}

}  // namespace volumes::bus
