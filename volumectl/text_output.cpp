#include "text_output.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "sizes.hpp"

namespace volumectl {

namespace {

namespace vc = volumes::client;

using Row = std::vector<std::string>;

std::string table(const std::vector<Row>& rows)
{
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths.resize(std::max(widths.size(), row.size()));
            widths[i] = std::max(widths[i], row[i].size());
        }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i)
            line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], widths[i]);
        out += line + "\n";
    }
    return out;
}

std::string line(const char* key, const std::string& value)
{
    return fmt::format("  {:<18} {}\n", std::string(key) + ":", value);
}

std::string yes_no(bool value)
{
    return value ? "yes" : "no";
}

std::string none_if_root(const std::string& path)
{
    return path.empty() || path == "/" ? "-" : path;
}

std::string dash_if_empty(const std::string& text)
{
    return text.empty() ? "-" : text;
}

std::string listed(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return dash_if_empty(out);
}

bool contains(const std::vector<std::string>& items, const std::string& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

// " (missing)", " (failed)", " (missing, failed)" or "".
std::string member_marks(const vc::PoolInfo& pool, const vc::PoolMember& member)
{
    std::vector<std::string> marks;
    if (!member.present)
        marks.emplace_back("missing");
    if (contains(pool.failed_members, member.uuid))
        marks.emplace_back("failed");
    return marks.empty() ? "" : " (" + listed(marks) + ")";
}

// A raid1's Health, "-" for any other volume.
std::string health_word(const vc::VolumeInfo& volume)
{
    return volume.raid1 ? dash_if_empty(volume.raid1->health) : "-";
}

}  // namespace

std::string volume_label(const vc::VolumeInfo& volume)
{
    return volume.pool_name + "/" + volume.name;
}

namespace {

// "at 80% used, by 20%" or "off", with " (the pool's)" for a volume that inherits it.
std::string autoextend_words(const vc::AutoextendInfo& policy, bool volume)
{
    auto words = policy.threshold >= 100 ? std::string("off")
                                          : fmt::format("at {}% used, by {}%", policy.threshold, policy.step);
    if (volume && policy.inherited)
        words += " (the pool's)";
    return words;
}

}  // namespace

std::string describe(const vc::PoolInfo& pool)
{
    std::string out = fmt::format("pool {}\n", pool.name);
    out += line("object", pool.path);
    out += line("uuid", pool.uuid);
    out += line("size", format_size(pool.size));
    out += line("free", format_size(pool.free));
    out += line("extent size", format_size(pool.extent_size));
    out += line("complete", yes_no(pool.complete));
    for (const auto& member : pool.members)
        out += line("member", fmt::format("{} {} {}{}", member.device.empty() ? "-" : member.device, member.uuid,
                                          format_size(member.size), member_marks(pool, member)));
    out += line("missing members", listed(pool.missing_members));
    out += line("failed members", listed(pool.failed_members));
    out += line("autoextend thin pools", autoextend_words(pool.thin_pool_autoextend, false));
    out += line("autoextend snapshots", autoextend_words(pool.snapshot_autoextend, false));
    for (const auto& problem : pool.problems)
        out += line("problem", problem);
    return out;
}

std::string describe(const vc::VolumeInfo& volume)
{
    std::string out = fmt::format("volume {}\n", volume_label(volume));
    out += line("object", volume.path);
    out += line("uuid", volume.uuid);
    out += line("kind", volume.kind);
    out += line("size", format_size(volume.size));
    out += line("active", yes_no(volume.active));
    out += line("read-only", yes_no(volume.read_only));
    out += line("device", volume.device_path);
    out += line("device number",
                volume.device_number ? fmt::format("{}:{}", volume.device_number >> 8, volume.device_number & 0xff) : "-");
    out += line("origin", none_if_root(volume.origin));
    out += line("unavailable", dash_if_empty(volume.unavailable));
    if (volume.raid1) {
        out += line("health", health_word(volume));
        out += line("sync", fmt::format("{:.1f}% ({})", volume.raid1->sync_ratio * 100.0,
                                        volume.raid1->sync_action.empty() ? "inactive" : volume.raid1->sync_action));
        out += line("region size", format_size(volume.raid1->region_size));
        for (const auto& image : volume.raid1->images)
            out += line("image", fmt::format("slot {} {} {}", image.slot, image.health, image.member_uuid));
        out += line("tracked image", none_if_root(volume.raid1->tracked_image));
    }
    if (volume.tracked_image) {
        out += line("array", none_if_root(volume.tracked_image->array));
        out += line("slot", std::to_string(volume.tracked_image->slot));
    }
    if (volume.snapshot) {
        out += line("cow used", fmt::format("{} of {} sectors", volume.snapshot->used_sectors, volume.snapshot->total_sectors));
        out += line("invalid", yes_no(volume.snapshot->invalid));
        out += line("merge state", volume.snapshot->merge_state);
        out += line("autoextend", autoextend_words(volume.snapshot->autoextend, true));
    }
    if (volume.thin_pool) {
        const auto& pool = *volume.thin_pool;
        out += line("transaction id", std::to_string(pool.transaction_id));
        out += line("data", fmt::format("{} of {}", format_size(pool.data_used), format_size(pool.data_size)));
        out += line("metadata", fmt::format("{} of {}", format_size(pool.metadata_used), format_size(pool.metadata_size)));
        out += line("mode", pool.mode.empty() ? "-" : pool.mode);
        out += line("below low water", yes_no(pool.below_low_water));
        out += line("needs check", yes_no(pool.needs_check));
        out += line("held metadata root", pool.held_metadata_root ? std::to_string(pool.held_metadata_root) : "-");
        out += line("metadata device", pool.metadata_device);
        out += line("autoextend", autoextend_words(pool.autoextend, true));
    }
    if (volume.thin) {
        out += line("thin pool", none_if_root(volume.thin->thin_pool));
        out += line("thin id", std::to_string(volume.thin->thin_id));
        out += line("mapped sectors", std::to_string(volume.thin->mapped_sectors));
    }
    return out;
}

std::string describe(const vc::JobInfo& job)
{
    std::string out = fmt::format("job {}\n", job.path);
    out += line("operation", job.operation);
    std::string objects;
    for (const auto& object : job.objects)
        objects += (objects.empty() ? "" : " ") + object;
    out += line("objects", objects);
    out += line("started by uid", std::to_string(job.started_by_uid));
    out += line("progress", job.progress_valid ? fmt::format("{:.1f}%", job.progress * 100.0) : "-");
    out += line("finished", yes_no(job.finished));
    if (job.finished) {
        out += line("success", yes_no(job.success));
        out += line("message", job.message);
    }
    return out;
}

std::string pool_table(const std::vector<vc::PoolInfo>& pools)
{
    std::vector<Row> rows{{"POOL", "SIZE", "FREE", "MEMBERS", "COMPLETE"}};
    for (const auto& pool : pools)
        rows.push_back({pool.name, format_size(pool.size), format_size(pool.free), std::to_string(pool.members.size()),
                        yes_no(pool.complete)});
    return table(rows);
}

std::string volume_table(const std::vector<vc::VolumeInfo>& volumes)
{
    // Why a volume cannot run, in a last column only while one cannot.
    const bool unavailable = std::any_of(volumes.begin(), volumes.end(),
                                         [](const vc::VolumeInfo& volume) { return !volume.unavailable.empty(); });
    std::vector<Row> rows{{"VOLUME", "KIND", "SIZE", "ACTIVE", "HEALTH", "DEVICE"}};
    if (unavailable)
        rows.front().emplace_back("UNAVAILABLE");
    for (const auto& volume : volumes) {
        rows.push_back({volume_label(volume), volume.kind, format_size(volume.size), yes_no(volume.active),
                        health_word(volume), volume.active ? volume.device_path : "-"});
        if (unavailable)
            rows.back().push_back(dash_if_empty(volume.unavailable));
    }
    return table(rows);
}

std::string job_table(const std::vector<vc::JobInfo>& jobs)
{
    std::vector<Row> rows{{"JOB", "OPERATION", "PROGRESS", "STATE"}};
    for (const auto& job : jobs)
        rows.push_back({job.path, job.operation, job.progress_valid ? fmt::format("{:.1f}%", job.progress * 100.0) : "-",
                        job.finished ? (job.success ? "succeeded" : "failed: " + job.message) : "running"});
    return table(rows);
}

}  // namespace volumectl
