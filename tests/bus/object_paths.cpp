#include "object_paths.hpp"

#include <fmt/core.h>

namespace volumes::test {

std::string escape_path_element(std::string_view name)
{
    if (name.empty())
        return "_";
    std::string escaped;
    for (const char c : name) {
        const bool letter_or_digit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (letter_or_digit)
            escaped += c;
        else
            escaped += fmt::format("_{:02x}", static_cast<unsigned char>(c));
    }
    return escaped;
}

std::string pool_path(std::string_view pool)
{
    return fmt::format("{}/pools/{}", manager_path, escape_path_element(pool));
}

std::string volume_path(std::string_view pool, std::string_view volume)
{
    return fmt::format("{}/volumes/{}/{}", manager_path, escape_path_element(pool), escape_path_element(volume));
}

}  // namespace volumes::test
