#include "json_output.hpp"

namespace volumectl {

namespace {

using nlohmann::json;
namespace vc = volumes::client;

json path_or_null(const std::string& path)
{
    return path.empty() || path == "/" ? json(nullptr) : json(path);
}

template <class T, class F>
json optional_json(const std::optional<T>& value, F convert)
{
    return value ? convert(*value) : json(nullptr);
}

json autoextend_json(const vc::AutoextendInfo& policy)
{
    return {{"threshold", policy.threshold}, {"step", policy.step}, {"inherited", policy.inherited}};
}

json raid1_json(const vc::Raid1Info& raid1)
{
    json images = json::array();
    for (const auto& image : raid1.images)
        images.push_back({{"slot", image.slot}, {"health", image.health}, {"member", image.member_uuid}});
    return {{"health", raid1.health},
            {"images", images},
            {"sync_ratio", raid1.sync_ratio},
            {"sync_action", raid1.sync_action},
            {"region_size", raid1.region_size},
            {"tracked_image", path_or_null(raid1.tracked_image)}};
}

json tracked_image_json(const vc::TrackedImageInfo& image)
{
    return {{"array", path_or_null(image.array)}, {"slot", image.slot}};
}

json snapshot_json(const vc::SnapshotInfo& snapshot)
{
    return {{"origin", path_or_null(snapshot.origin)},
            {"used_sectors", snapshot.used_sectors},
            {"total_sectors", snapshot.total_sectors},
            {"invalid", snapshot.invalid},
            {"merge_state", snapshot.merge_state},
            {"autoextend", autoextend_json(snapshot.autoextend)}};
}

json thin_pool_json(const vc::ThinPoolInfo& pool)
{
    return {{"transaction_id", pool.transaction_id},
            {"data_used", pool.data_used},
            {"data_size", pool.data_size},
            {"metadata_used", pool.metadata_used},
            {"metadata_size", pool.metadata_size},
            {"mode", pool.mode},
            {"below_low_water", pool.below_low_water},
            {"needs_check", pool.needs_check},
            {"held_metadata_root", pool.held_metadata_root},
            {"metadata_device", pool.metadata_device},
            {"autoextend", autoextend_json(pool.autoextend)}};
}

json thin_json(const vc::ThinInfo& thin)
{
    return {{"thin_pool", path_or_null(thin.thin_pool)}, {"thin_id", thin.thin_id}, {"mapped_sectors", thin.mapped_sectors}};
}

}  // namespace

json to_json(const vc::PoolInfo& pool)
{
    json members = json::array();
    for (const auto& member : pool.members)
        members.push_back(
            {{"uuid", member.uuid}, {"device", member.device}, {"size", member.size}, {"present", member.present}});
    return {{"object", pool.path},   {"name", pool.name},         {"uuid", pool.uuid},
            {"size", pool.size},     {"free", pool.free},         {"extent_size", pool.extent_size},
            {"complete", pool.complete}, {"problems", pool.problems}, {"members", members},
            {"missing_members", pool.missing_members}, {"failed_members", pool.failed_members},
            {"autoextend", {{"thin_pool", {{"threshold", pool.thin_pool_autoextend.threshold},
                                           {"step", pool.thin_pool_autoextend.step}}},
                            {"snapshot", {{"threshold", pool.snapshot_autoextend.threshold},
                                          {"step", pool.snapshot_autoextend.step}}}}}};
}

json to_json(const vc::VolumeInfo& volume)
{
    return {{"object", volume.path},
            {"name", volume.name},
            {"pool", volume.pool_name},
            {"pool_object", path_or_null(volume.pool)},
            {"uuid", volume.uuid},
            {"kind", volume.kind},
            {"size", volume.size},
            {"device_path", volume.device_path},
            {"device_number", volume.device_number},
            {"read_only", volume.read_only},
            {"active", volume.active},
            {"origin", path_or_null(volume.origin)},
            {"unavailable", volume.unavailable},
            {"raid1", optional_json(volume.raid1, raid1_json)},
            {"tracked_image", optional_json(volume.tracked_image, tracked_image_json)},
            {"snapshot", optional_json(volume.snapshot, snapshot_json)},
            {"thin_pool", optional_json(volume.thin_pool, thin_pool_json)},
            {"thin", optional_json(volume.thin, thin_json)}};
}

json to_json(const vc::JobInfo& job)
{
    return {{"object", job.path},
            {"operation", job.operation},
            {"objects", job.objects},
            {"started_by_uid", job.started_by_uid},
            {"progress", job.progress},
            {"progress_valid", job.progress_valid},
            {"bytes", job.bytes},
            {"rate", job.rate},
            {"expected_end_time", job.expected_end_time},
            {"cancelable", job.cancelable},
            {"finished", job.finished},
            {"success", job.success},
            {"message", job.message}};
}

}  // namespace volumectl
