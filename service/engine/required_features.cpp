#include "service/engine/required_features.hpp"

#include <algorithm>

namespace volumes::engine {

namespace {

void need(std::vector<kmod::Feature>& features, kmod::Feature feature)
{
    if (std::find(features.begin(), features.end(), feature) == features.end())
        features.push_back(feature);
}

struct Needs {
    std::vector<kmod::Feature>& features;
    void operator()(const model::LinearLayout&) const { need(features, kmod::Feature::Linear); }
    void operator()(const model::Raid1Layout& raid) const
    {
        need(features, kmod::Feature::Linear);
        need(features, kmod::Feature::Raid1);
        if (std::any_of(raid.legs.begin(), raid.legs.end(), [](const auto& leg) { return leg.tracked_image; }))
            need(features, kmod::Feature::Raid1SplitTrack);
    }
    void operator()(const model::TrackedImageLayout&) const { need(features, kmod::Feature::Linear); }
    void operator()(const model::SnapshotLayout& snapshot) const
    {
        need(features, kmod::Feature::Snapshot);
        if (snapshot.merge == model::SnapshotMergeState::Merging)
            need(features, kmod::Feature::SnapshotMerge);
    }
    void operator()(const model::ThinPoolLayout& pool) const
    {
        need(features, kmod::Feature::ThinPool);
        if (pool.error_if_no_space)
            need(features, kmod::Feature::ThinErrorIfNoSpace);
        if (pool.held_metadata_root)
            need(features, kmod::Feature::ThinMetadataSnapshot);
    }
    void operator()(const model::ThinLayout&) const { need(features, kmod::Feature::ThinPool); }
};

}  // namespace

std::vector<kmod::Feature> required_features(const model::Pool& pool)
{
    std::vector<kmod::Feature> features;
    for (const auto& volume : pool.volumes)
        if (volume.active)
            std::visit(Needs{features}, volume.layout);
    // An extent move copies through temporary raid1 arrays (extent_move_devices.hpp).
    if (pool.extent_move)
        need(features, kmod::Feature::Raid1);
    return features;
}

}  // namespace volumes::engine
