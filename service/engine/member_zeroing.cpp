#include "service/engine/member_zeroing.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/core.h>

namespace volumes::engine {

namespace {

constexpr std::size_t chunk_bytes = 1024 * 1024;

}  // namespace

Result<void> zero_member_bytes(const OpenMember& member, std::uint64_t offset, std::uint64_t length)
{
    static const std::vector<char> zeros(chunk_bytes, 0);
    while (length > 0) {
        const auto size = static_cast<std::size_t>(std::min<std::uint64_t>(length, chunk_bytes));
        const auto written = ::pwrite(member.device.fd(), zeros.data(), size, static_cast<off_t>(offset));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return fail(ErrorCode::Failed, fmt::format("zeroing {} at byte {}: {}", member.device.path(), offset,
                                                       written < 0 ? std::strerror(errno) : "short write"));
        offset += static_cast<std::uint64_t>(written);
        length -= static_cast<std::uint64_t>(written);
    }
    return {};
}

Result<void> flush_member(const OpenMember& member)
{
    if (::fdatasync(member.device.fd()) != 0)
        return fail(ErrorCode::Failed, fmt::format("flushing {}: {}", member.device.path(), std::strerror(errno)));
    return {};
}

}  // namespace volumes::engine
