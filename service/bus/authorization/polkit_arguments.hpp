// The arguments of org.freedesktop.PolicyKit1.Authority.CheckAuthorization.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

namespace volumes::bus::polkit {

inline constexpr const char* service = "org.freedesktop.PolicyKit1";
inline constexpr const char* object_path = "/org/freedesktop/PolicyKit1/Authority";
inline constexpr const char* interface = "org.freedesktop.PolicyKit1.Authority";

// (sa{sv}): the subject kind and its details.
using Subject = sdbus::Struct<std::string, std::map<std::string, sdbus::Variant>>;

// CheckAuthorizationFlags.
inline constexpr std::uint32_t no_flags = 0;
inline constexpr std::uint32_t allow_user_interaction = 1;

// The caller as polkit knows it: its unique bus name, from which polkit finds its process,
// uid and session itself.
Subject system_bus_name_subject(const std::string& sender);

std::uint32_t check_flags(bool allow_user_interaction);

// (bba{ss}): is_authorized, is_challenge, details.
using Reply = sdbus::Struct<bool, bool, std::map<std::string, std::string>>;

}  // namespace volumes::bus::polkit
