#include "service/bus/object_paths.hpp"

#include <fmt/format.h>

namespace volumes::bus {

namespace {

bool is_kept(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

}  // namespace

std::string escape_path_element(std::string_view name)
{
    if (name.empty())
        return "_";
    std::string element;
    element.reserve(name.size());
    for (char c : name) {
        if (is_kept(c))
            element += c;
        else
            element += fmt::format("_{:02x}", static_cast<unsigned char>(c));
    }
    return element;
}

std::optional<std::string> unescape_path_element(std::string_view element)
{
    if (element == "_")
        return std::string();
    if (element.empty())
        return std::nullopt;
    std::string name;
    for (std::size_t i = 0; i < element.size(); ++i) {
        char c = element[i];
        if (is_kept(c)) {
            name += c;
            continue;
        }
        if (c != '_' || i + 2 >= element.size())
            return std::nullopt;
        int high = hex_value(element[i + 1]);
        int low = hex_value(element[i + 2]);
        if (high < 0 || low < 0)
            return std::nullopt;
        char decoded = static_cast<char>(high * 16 + low);
        if (is_kept(decoded))
            return std::nullopt;
        name += decoded;
        i += 2;
    }
    return name;
}

std::string pool_path(std::string_view pool)
{
    return fmt::format("{}/pools/{}", kRootPath, escape_path_element(pool));
}

std::string volume_path(std::string_view pool, std::string_view volume)
{
    return fmt::format("{}/volumes/{}/{}", kRootPath, escape_path_element(pool), escape_path_element(volume));
}

std::string job_path(std::uint64_t id)
{
    return fmt::format("{}/jobs/{}", kRootPath, id);
}

}  // namespace volumes::bus
