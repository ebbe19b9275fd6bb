#pragma once

#include <string>
#include <string_view>

namespace volumes::test {

inline constexpr const char* manager_path = "/org/example/Volumes";
inline constexpr const char* manager_interface = "org.example.Volumes.Manager";
inline constexpr const char* pool_interface = "org.example.Volumes.Pool";
inline constexpr const char* volume_interface = "org.example.Volumes.Volume";
inline constexpr const char* raid1_interface = "org.example.Volumes.Raid1";
inline constexpr const char* tracked_image_interface = "org.example.Volumes.TrackedImage";
inline constexpr const char* snapshot_interface = "org.example.Volumes.Snapshot";
inline constexpr const char* thin_pool_interface = "org.example.Volumes.ThinPool";
inline constexpr const char* thin_interface = "org.example.Volumes.Thin";
inline constexpr const char* job_interface = "org.example.Volumes.Job";
inline constexpr const char* object_manager_interface = "org.freedesktop.DBus.ObjectManager";

// A name as one object path element, as systemd's bus_label_escape writes it: ASCII
// letters and digits stay, every other byte is "_" and two lowercase hex digits, and the
// empty string is "_".
std::string escape_path_element(std::string_view name);

std::string pool_path(std::string_view pool);                             // .../pools/<pool>
std::string volume_path(std::string_view pool, std::string_view volume);  // .../volumes/<pool>/<volume>

}  // namespace volumes::test
