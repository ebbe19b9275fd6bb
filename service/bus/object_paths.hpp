#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Object paths of the service (architecture.md "D-Bus API"). Names become path elements the
// way systemd's bus_label_escape does it: ASCII letters and digits stay, every other byte is
// "_" and two lower-case hex digits, and the empty name is "_".
namespace volumes::bus {

inline constexpr const char* kBusName = "org.example.Volumes";
inline constexpr const char* kRootPath = "/org/example/Volumes";
inline constexpr const char* kNoObject = "/";

std::string escape_path_element(std::string_view name);
// The name an escaped element stands for; nullopt for an element escape_path_element
// cannot have produced.
std::optional<std::string> unescape_path_element(std::string_view element);

std::string pool_path(std::string_view pool);
std::string volume_path(std::string_view pool, std::string_view volume);
std::string job_path(std::uint64_t id);

}  // namespace volumes::bus
