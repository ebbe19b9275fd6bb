#pragma once

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <blkid/blkid.h>

#include "service/devices/device_error.hpp"
#include "service/devices/member_candidate.hpp"

// libblkid's low-level probe, set up to list (and wipe) every superblock and partition table
// on a device (internal to devices/).
namespace volumes::devices {

struct BlkidProbeFree {
    void operator()(blkid_probe probe) const { blkid_free_probe(probe); }
};
using BlkidProbe = std::unique_ptr<std::remove_pointer_t<blkid_probe>, BlkidProbeFree>;

// A probe over `fd` (borrowed; open it O_RDWR to wipe) with the superblocks and partitions
// chains enabled and the magic offsets recorded. `path` is only for messages.
Result<BlkidProbe> new_signature_probe(int fd, const std::string& path);

// The next signature the probe finds (blkid_do_probe), std::nullopt when there are no more.
Result<std::optional<Signature>> next_signature(blkid_probe probe, const std::string& path);

}  // namespace volumes::devices
