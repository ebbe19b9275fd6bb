#include "service/devices/blkid_signatures.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include <fmt/core.h>

namespace volumes::devices {
namespace {

std::optional<std::string_view> lookup(blkid_probe probe, const char* name)
{
    const char* value = nullptr;
    if (blkid_probe_lookup_value(probe, name, &value, nullptr) != 0 || value == nullptr)
        return std::nullopt;
    return std::string_view(value);
}

std::uint64_t offset_of(blkid_probe probe, const char* name)
{
    const auto text = lookup(probe, name);
    std::uint64_t offset = 0;
    if (text)
        std::from_chars(text->data(), text->data() + text->size(), offset);
    return offset;
}

Error blkid_failure(const std::string& what, const std::string& path)
{
    const int err = errno;
    return Error{ErrorCode::Io,
                 err != 0 ? fmt::format("libblkid: {} on {}: {}", what, path, std::strerror(err))
                          : fmt::format("libblkid: {} on {} failed", what, path),
                 err};
}

}  // namespace

Result<BlkidProbe> new_signature_probe(int fd, const std::string& path)
{
    errno = 0;
    BlkidProbe probe(blkid_new_probe());
    if (!probe)
        return std::unexpected(blkid_failure("new probe", path));
    errno = 0;
    if (blkid_probe_set_device(probe.get(), fd, 0, 0) != 0)
        return std::unexpected(blkid_failure("setting up the probe", path));
    // BADCSUM: a superblock with a bad checksum is still someone's data, and wiping needs to
    // see it too.
    if (blkid_probe_enable_superblocks(probe.get(), 1) != 0 ||
        blkid_probe_set_superblocks_flags(probe.get(), BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE | BLKID_SUBLKS_MAGIC |
                                                           BLKID_SUBLKS_BADCSUM) != 0 ||
        blkid_probe_enable_partitions(probe.get(), 1) != 0 ||
        blkid_probe_set_partitions_flags(probe.get(), BLKID_PARTS_MAGIC) != 0)
        return std::unexpected(blkid_failure("enabling the superblock and partition probes", path));
    return probe;
}

Result<std::optional<Signature>> next_signature(blkid_probe probe, const std::string& path)
{
    for (;;) {
        errno = 0;
        const int rc = blkid_do_probe(probe);
        if (rc == 1)
            return std::nullopt;
        if (rc != 0)
            return std::unexpected(blkid_failure("probing", path));
        // The partitions chain runs after the superblocks chain, whose last values may still
        // be set, so PTTYPE decides which kind this result is.
        if (const auto table = lookup(probe, "PTTYPE"))
            return Signature{std::string(*table), "partition table", offset_of(probe, "PTMAGIC_OFFSET")};
        if (const auto type = lookup(probe, "TYPE"))
            return Signature{std::string(*type), std::string(lookup(probe, "USAGE").value_or("other")),
                             offset_of(probe, "SBMAGIC_OFFSET")};
    }
}

}  // namespace volumes::devices
