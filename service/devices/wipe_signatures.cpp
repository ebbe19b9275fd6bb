#include "service/devices/wipe_signatures.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/core.h>
#include <unistd.h>

#include "service/devices/blkid_signatures.hpp"
#include "service/metadata/label.hpp"

namespace volumes::devices {
namespace {

// blkid_do_wipe steps back after each wipe to look again at the same place; a signature that
// keeps coming back (the write did not stick) must not loop forever.
constexpr int kMaxWipes = 64;

}  // namespace

Result<void> wipe_signatures(int fd, const std::string& path, bool member_label)
{
    auto probe = new_signature_probe(fd, path);
    if (!probe)
        return std::unexpected(probe.error());
    for (int wipes = 0;; ++wipes) {
        auto signature = next_signature(probe->get(), path);
        if (!signature)
            return std::unexpected(signature.error());
        if (!*signature)
            break;
        if (wipes == kMaxWipes)
            return fail(ErrorCode::Io, fmt::format("{} still shows a {} signature at byte {} after {} wipes", path,
                                                   (*signature)->type, (*signature)->offset, kMaxWipes));
        errno = 0;
        if (blkid_do_wipe(probe->get(), 0) != 0)
            return fail(ErrorCode::Io,
                        fmt::format("cannot erase the {} signature at byte {} of {}: {}", (*signature)->type,
                                    (*signature)->offset, path, std::strerror(errno)),
                        errno);
    }

    if (member_label) {
        if (auto erased = metadata::erase_label(fd); !erased)
            return fail(ErrorCode::Io, fmt::format("{}: {}", path, erased.error().message), erased.error().errnum);
    }
    if (::fsync(fd) != 0)
        return fail(ErrorCode::Io, fmt::format("fsync {}: {}", path, std::strerror(errno)), errno);
    return {};
}

}  // namespace volumes::devices
