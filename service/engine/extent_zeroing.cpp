#include "service/engine/extent_zeroing.hpp"

#include <algorithm>
#include <vector>

#include <fmt/core.h>

#include "service/engine/member_zeroing.hpp"

namespace volumes::engine {

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
            if (auto zeroed = zero_member_bytes(*member, label.data_start + run.start * label.extent_size,
                                                run.count * label.extent_size);
                !zeroed)
                return zeroed;
            touched.push_back(&*member);
        }
    }
    for (const auto* member : touched)
        if (auto flushed = flush_member(*member); !flushed)
            return flushed;
    return {};
}

}  // namespace volumes::engine
