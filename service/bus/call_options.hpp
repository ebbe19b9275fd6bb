#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <sdbus-c++/Types.h>

#include "service/engine/engine_error.hpp"

// The a{sv} options every method takes. Each getter accepts its key; finish() refuses a key
// no getter accepted and any value of the wrong type, so a misspelt option is an error, not
// silently ignored.
namespace volumes::bus {

using Options = std::map<std::string, sdbus::Variant>;

inline constexpr const char* kNoUserInteraction = "auth.no_user_interaction";

class OptionReader {
public:
    explicit OptionReader(const Options& options);

    std::optional<bool> boolean(const std::string& key);
    std::optional<std::string> string(const std::string& key);
    std::optional<std::vector<std::string>> strings(const std::string& key);  // "as"
    // Unsigned integers accept both "u" and "t" values that fit.
    std::optional<std::uint32_t> uint32(const std::string& key);
    std::optional<std::uint64_t> uint64(const std::string& key);

    // InvalidArgument for the first wrong type or unknown key, naming it and what was expected.
    engine::Result<void> finish() const;

private:
    const sdbus::Variant* accept(const std::string& key);
    void wrong_type(const std::string& key, const sdbus::Variant& value, std::string_view expected);

    const Options& options_;
    std::set<std::string, std::less<>> accepted_;
    std::optional<engine::Error> problem_;
};

// Whether polkit may ask the caller for a password: the one option read before authorization.
// InvalidArgument when the option has the wrong type.
engine::Result<bool> allows_user_interaction(const Options& options);

}  // namespace volumes::bus
