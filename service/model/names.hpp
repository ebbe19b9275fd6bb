#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

// dm names and uuids of a pool's devices (architecture.md "Persistent model"):
//   name  volumes-<pool>-<volume>            a visible volume
//         volumes-<pool>-<volume>_<role>     a hidden sub-volume
//   uuid  VOLUMES-<pool uuid>-<volume uuid>[-<role>]
// In names, a '-' inside a pool or volume name is written "--" (as lvm does), so no two
// (pool, volume) pairs map to one dm name.
namespace volumes::model {

// The sub-volumes a volume's stack may have.
namespace role {
std::string rmeta(unsigned slot);   // "rmeta_<slot>"
std::string rimage(unsigned slot);  // "rimage_<slot>"
inline constexpr std::string_view real = "real";  // an origin's own table while it has snapshots
inline constexpr std::string_view cow = "cow";
inline constexpr std::string_view tmeta = "tmeta";
inline constexpr std::string_view tdata = "tdata";
}  // namespace role

// 1 to 64 characters of [A-Za-z0-9+_.-], not starting with '-' or '.', and for volumes not
// containing a reserved role suffix ("_rmeta", "_rimage", "_real", "_cow", "_tmeta",
// "_tdata"). InvalidArgument saying which rule the name breaks.
Result<void> check_pool_name(std::string_view name);
Result<void> check_volume_name(std::string_view name);

// A systemd machine-id as /etc/machine-id holds it: 32 lower-case hexadecimal digits.
bool is_machine_id(std::string_view text);

std::string dm_name(std::string_view pool_name, std::string_view volume_name, std::string_view role = {});

// The kernel's DM_NAME_LEN less its NUL.
inline constexpr std::size_t max_dm_name_bytes = 127;
// The longest dm name a volume's stack may use (a leg's "_rimage_<two digits>") fits in
// max_dm_name_bytes; InvalidArgument saying by how much it does not. With an empty
// volume name, whether a one-character volume still fits in the pool.
Result<void> check_dm_names_fit(std::string_view pool_name, std::string_view volume_name);
// "VOLUMES-<pool uuid>-": every device of the pool has it, and no device of another pool does.
std::string dm_uuid_prefix(const Uuid& pool_uuid);
std::string dm_uuid(const Uuid& pool_uuid, const Uuid& volume_uuid, std::string_view role = {});

}  // namespace volumes::model
