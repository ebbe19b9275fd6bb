#include "service/graph/udev_identity.hpp"

#include <variant>

namespace volumes::graph {

kmod::UdevIdentity udev_identity(const model::Volume& volume, std::string_view role)
{
    if (!role.empty() || std::holds_alternative<model::ThinPoolLayout>(volume.layout))
        return kmod::UdevIdentity::Internal;
    if (std::holds_alternative<model::SnapshotLayout>(volume.layout) ||
        std::holds_alternative<model::TrackedImageLayout>(volume.layout))
        return kmod::UdevIdentity::LowPriority;
    if (const auto* thin = std::get_if<model::ThinLayout>(&volume.layout); thin && thin->origin_thin_id)
        return kmod::UdevIdentity::LowPriority;
    return kmod::UdevIdentity::Visible;
}

}  // namespace volumes::graph
