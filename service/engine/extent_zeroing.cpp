#include "service/engine/extent_zeroing.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/core.h>

namespace volumes::engine {

namespace {

constexpr std::size_t chunk_bytes = 1024 * 1024;

Result<void> zero_range(const OpenMember& member, std::uint64_t offset, std::uint64_t length)
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

}  // namespace

Result<void> zero_raid1_metadata(ManagedPool& pool, const model::Volume& volume)
{
    const auto* raid = std::get_if<model::Raid1Layout>(&volume.layout);
    if (!raid)
        return {};
    std::vector<const OpenMember*> touched;
    for (const auto& leg : raid->legs) {
        for (const auto& run : leg.meta) {
            const auto member = std::find_if(pool.members.begin(), pool.members.end(), [&](const OpenMember& m) {
                return m.area.label().member_uuid == run.member;
            });
            if (member == pool.members.end())
                return fail(ErrorCode::Failed, fmt::format("member {} is not open", run.member.to_string()));
            const auto& label = member->area.label();
            if (auto zeroed = zero_range(*member, label.data_start + run.start * label.extent_size,
                                         run.count * label.extent_size);
                !zeroed)
                return zeroed;
            touched.push_back(&*member);
        }
    }
    for (const auto* member : touched)
        if (::fdatasync(member->device.fd()) != 0)
            return fail(ErrorCode::Failed,
                        fmt::format("flushing {}: {}", member->device.path(), std::strerror(errno)));
    return {};
}

}  // namespace volumes::engine
