#include "service/engine/member_return.hpp"

#include <algorithm>

#include <fcntl.h>
#include <sys/stat.h>

#include "service/devices/unique_fd.hpp"
#include "service/metadata/label.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

std::vector<model::Uuid> readd_returned(const ManagedPool& pool, model::Pool& next)
{
    auto returned = pool.returned(next);
    for (const auto& uuid : returned)
        if (auto* member = model::find_member(next, uuid))
            member->failed = false;
    return returned;
}

bool answers_again(const OpenMember& member)
{
    struct stat named {};
    if (::stat(member.device.path().c_str(), &named) != 0 || !S_ISBLK(named.st_mode) ||
        named.st_rdev != member.device.number().to_dev_t())
        return false;
    const devices::UniqueFd fd(::open(member.device.path().c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return false;
    // The label volumesd read at assembly may still be cached; the disk itself must answer.
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_DONTNEED);
    const auto label = metadata::read_label(fd.get());
    return label && label->member_uuid == member.area.label().member_uuid &&
           label->pool_uuid == member.area.label().pool_uuid;
}

std::vector<model::Uuid> readd_answering(const ManagedPool& pool, model::Pool& next)
{
    std::vector<model::Uuid> answering;
    for (const auto& uuid : pool.returned(next)) {
        const auto member = std::find_if(pool.members.begin(), pool.members.end(), [&](const OpenMember& open) {
            return open.area.label().member_uuid == uuid;
        });
        if (const auto failures = pool.failed_readds.find(uuid);
            failures != pool.failed_readds.end() && failures->second >= max_failed_readds)
            continue;
        if (member == pool.members.end() || !answers_again(*member))
            continue;
        if (auto* entry = model::find_member(next, uuid))
            entry->failed = false;
        answering.push_back(uuid);
    }
    return answering;
}

}  // namespace volumes::engine
