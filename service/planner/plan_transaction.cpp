#include "service/planner/plan_transaction.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "service/planner/graph_index.hpp"
#include "service/planner/topological_order.hpp"

namespace volumes::planner {

namespace {

// What happens to a desired device's table.
enum class Change {
    New,         // not live: Create, Load, Resume
    FirstTable,  // live with no live table: Load, Resume
    Reload,      // Load, and suspend it and its live ancestors
    Same,        // no Load
};

// The leaving devices' suspend mode: wait out their I/O and freeze anything mounted.
constexpr SuspendMode leaving_suspend{.no_flush = false, .skip_lockfs = false};
// A leaving device's last resume is to its error table: nothing should probe it or link to it.
constexpr kmod::UdevIdentity leaving_identity = kmod::UdevIdentity::Internal;

template <class Name>
std::unexpected<Error> cycle_error(std::string_view graph, const std::vector<std::vector<std::size_t>>& children,
                                   const std::vector<std::size_t>& ordered, Name name_of)
{
    std::string path;
    const auto cycle = find_cycle(children, ordered);
    for (const auto node : cycle)
        path += fmt::format("{} -> ", name_of(node));
    if (!cycle.empty())
        path += name_of(cycle.front());
    return fail(ErrorCode::Cycle, fmt::format("the {} graph has a cycle: {}", graph, path));
}

Change change_of(const DesiredDevice& wanted, const LiveDevice* live)
{
    if (live == nullptr)
        return Change::New;
    if (live->table.empty())
        return Change::FirstTable;
    if (live->table != wanted.table || live->read_only != wanted.read_only || live->has_inactive_table)
        return Change::Reload;
    return Change::Same;
}

// Whether `wanted` maps what `live` maps, unchanged, and more after it: the last linear line
// longer, lines added after it.
bool only_grows(const kmod::Table& live, const kmod::Table& wanted)
{
    if (live.empty() || wanted.size() < live.size() || kmod::table_length(wanted) <= kmod::table_length(live))
        return false;
    const auto last = live.size() - 1;
    if (!std::equal(live.begin(), live.begin() + static_cast<std::ptrdiff_t>(last), wanted.begin()))
        return false;
    const auto& before = live[last];
    const auto& after = wanted[last];
    return before == after || (before.target_type == "linear" && after.target_type == "linear" &&
                               before.start == after.start && before.params == after.params);
}

bool maps_raid(const DesiredDevice& device)
{
    return std::any_of(device.table.begin(), device.table.end(),
                       [](const kmod::TableLine& line) { return line.target_type == "raid"; });
}

// A device that gets its first table and is not internal: its udev events make the /dev node
// and links the caller asked for, so the caller waits for them (Resume::awaited).
bool shown_by_udev(const DesiredDevice& device)
{
    return device.udev_identity != kmod::UdevIdentity::Internal;
}

}  // namespace

Result<Plan> plan_transaction(const LiveState& live_state, const DesiredGraph& desired, std::string_view uuid_prefix)
{
    if (uuid_prefix.empty())
        return fail(ErrorCode::InvalidPrefix, "an empty uuid prefix would claim every dm device");

    auto live_index = index_live(live_state, uuid_prefix);
    if (!live_index)
        return std::unexpected(live_index.error());
    const auto& live = *live_index;
    auto desired_index = index_desired(desired, live_state, live, uuid_prefix);
    if (!desired_index)
        return std::unexpected(desired_index.error());
    const auto& graph = *desired_index;

    const auto& wanted = desired.devices;
    // A quiesced device comes after the device that quiesces it, as if it stacked on it.
    auto order_after = graph.children;
    for (std::size_t i = 0; i < wanted.size(); ++i)
        for (const auto quiesced : graph.quiesced[i])
            order_after[quiesced].push_back(i);
    const auto desired_bottom_up = topological_order(order_after);
    if (desired_bottom_up.size() != wanted.size())
        return cycle_error("desired", order_after, desired_bottom_up, [&](std::size_t i) { return wanted[i].name; });
    const auto live_bottom_up = topological_order(live.children);
    if (live_bottom_up.size() != live.devices.size())
        return cycle_error("live", live.children, live_bottom_up,
                           [&](std::size_t i) { return live.devices[i]->name; });
    const auto live_top_down = topological_order(live.parents);

    // live_of[desired index] and desired_of[live index]; a live device with no desired one leaves.
    std::vector<std::optional<std::size_t>> live_of(wanted.size());
    std::vector<std::optional<std::size_t>> desired_of(live.devices.size());
    std::vector<Change> change(wanted.size());
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        const auto found = live.by_uuid.find(wanted[i].uuid);
        if (found != live.by_uuid.end()) {
            live_of[i] = found->second;
            desired_of[found->second] = i;
        }
        change[i] = change_of(wanted[i], live_of[i] ? live.devices[*live_of[i]] : nullptr);
    }
    const auto leaving = [&](std::size_t l) { return !desired_of[l].has_value(); };

    std::vector<bool> has_desired_parent(wanted.size(), false);
    std::vector<bool> under_raid(wanted.size(), false);
    for (std::size_t i = 0; i < wanted.size(); ++i)
        for (const auto child : graph.children[i]) {
            has_desired_parent[child] = true;
            under_raid[child] = under_raid[child] || maps_raid(wanted[i]);
        }
    // A raid checks its images' sizes when its table loads, so an image that grew goes live
    // first (ResumeNewChild::grown_from); its old mapping is unchanged, so the raid stays live
    // over it until its own suspend.
    std::vector<bool> grows_first(wanted.size(), false);
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (change[i] != Change::Reload || !under_raid[i])
            continue;
        const auto& current = *live.devices[*live_of[i]];
        const bool children_same = std::all_of(graph.children[i].begin(), graph.children[i].end(),
                                               [&](std::size_t child) { return change[child] == Change::Same; });
        grows_first[i] = children_same && !current.read_only && !wanted[i].read_only && !current.suspended &&
                         !current.has_inactive_table && only_grows(current.table, wanted[i].table);
    }

    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (change[i] != Change::Same)
            continue;
        for (const auto child : live.children[*live_of[i]])
            if (leaving(child))
                return fail(ErrorCode::LeavingChild,
                            fmt::format("{} keeps its table, which maps {}, a device that leaves the graph",
                                        wanted[i].name, live.devices[child]->name));
    }

    std::size_t inactive_tables = 0;
    for (const auto* device : live.devices)
        inactive_tables += device->has_inactive_table ? 1 : 0;
    for (std::size_t l = 0; l < live.devices.size(); ++l) {
        if (!leaving(l))
            continue;
        const auto& device = *live.devices[l];
        const auto held_by_pool =
            live.parents[l].size() + inactive_tables - (device.has_inactive_table ? 1 : 0);
        if (device.open_count > held_by_pool)
            return fail(ErrorCode::Busy,
                        fmt::format("{} leaves the graph but is open {} time(s), {} of them at most by the pool's "
                                    "devices",
                                    device.name, device.open_count, held_by_pool));
    }

    // Devices to suspend: every live one with a table that gets a new one, every leaving one
    // that nothing stacks on, and their live ancestors. A leaving device under a live parent
    // stays live on its old table until that parent has resumed, because the parent's old
    // table may still write to it as it goes (md writes its superblocks when a raid table is
    // destroyed) and a write to a suspended device waits for its resume.
    std::vector<bool> suspend(live.devices.size(), false);
    std::vector<std::size_t> pending;
    for (std::size_t l = 0; l < live.devices.size(); ++l) {
        if (live.devices[l]->table.empty())
            continue;
        if (leaving(l) ? live.parents[l].empty()
                       : change[*desired_of[l]] == Change::Reload && !grows_first[*desired_of[l]])
            pending.push_back(l);
    }
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (change[i] == Change::Same)
            continue;
        for (const auto quiesced : graph.quiesced[i])
            if (live_of[quiesced] && !live.devices[*live_of[quiesced]]->table.empty())
                pending.push_back(*live_of[quiesced]);
    }
    while (!pending.empty()) {
        const auto l = pending.back();
        pending.pop_back();
        if (suspend[l])
            continue;
        suspend[l] = true;
        for (const auto parent : live.parents[l])
            pending.push_back(parent);
    }

    Plan plan;
    auto& steps = plan.steps;
    bool udev_events = false;

    std::vector<bool> resumed_in_preload(wanted.size(), false);
    for (const auto i : desired_bottom_up) {
        const auto& device = wanted[i];
        if (change[i] == Change::Same)
            continue;
        if (change[i] == Change::New) {
            steps.push_back(Create{device.name, device.uuid, device.read_only});
            udev_events = true;
        }
        steps.push_back(Load{device.uuid, device.table, device.read_only});
        if ((change[i] == Change::New || change[i] == Change::FirstTable) && has_desired_parent[i]) {
            steps.push_back(ResumeNewChild{device.uuid, device.udev_identity, shown_by_udev(device)});
            resumed_in_preload[i] = true;
            udev_events = true;
        }
        if (grows_first[i]) {
            const auto& current = *live.devices[*live_of[i]];
            steps.push_back(ResumeNewChild{device.uuid, device.udev_identity, false, current.table});
            resumed_in_preload[i] = true;
            udev_events = true;
        }
    }
    for (const auto l : live_bottom_up) {
        const auto& device = *live.devices[l];
        if (leaving(l) && !device.table.empty())
            steps.push_back(LoadError{device.uuid, kmod::table_length(device.table)});
    }

    for (const auto l : live_top_down) {
        const auto& device = *live.devices[l];
        if (!suspend[l] || device.suspended)
            continue;
        const auto mode = leaving(l) ? leaving_suspend : wanted[*desired_of[l]].suspend;
        const auto identity =
            leaving(l) ? std::nullopt : std::optional<kmod::UdevIdentity>(wanted[*desired_of[l]].udev_identity);
        steps.push_back(Suspend{device.uuid, mode.no_flush, mode.skip_lockfs, identity});
    }

    steps.push_back(CommitMetadata{});

    // A leaving device found suspended under a live parent (left so by something else) is
    // resumed first, on its error table, so that no parent's resume waits on it.
    const auto leaving_live = [&](std::size_t l) { return leaving(l) && !live.devices[l]->table.empty(); };
    std::vector<bool> resumed_first(live.devices.size(), false);
    for (const auto l : live_bottom_up) {
        if (leaving_live(l) && live.devices[l]->suspended && !live.parents[l].empty()) {
            steps.push_back(Resume{live.devices[l]->uuid, leaving_identity});
            resumed_first[l] = true;
            udev_events = true;
        }
    }
    for (const auto i : desired_bottom_up) {
        bool resume = (change[i] == Change::New || change[i] == Change::FirstTable) && !resumed_in_preload[i];
        if (live_of[i])
            resume = resume || suspend[*live_of[i]] || live.devices[*live_of[i]]->suspended;
        if (resume) {
            const bool first_table = change[i] == Change::New || change[i] == Change::FirstTable;
            steps.push_back(Resume{wanted[i].uuid, wanted[i].udev_identity, first_table && shown_by_udev(wanted[i])});
            udev_events = true;
        }
    }
    // Leaving devices top-down, so each parent's old table is gone before its children's go.
    for (const auto l : live_top_down) {
        if (leaving_live(l) && !resumed_first[l]) {
            steps.push_back(Resume{live.devices[l]->uuid, leaving_identity});
            udev_events = true;
        }
    }

    for (const auto i : desired_bottom_up) {
        if (live_of[i] && live.devices[*live_of[i]]->name != wanted[i].name) {
            steps.push_back(
                Rename{wanted[i].uuid, live.devices[*live_of[i]]->name, wanted[i].name, wanted[i].udev_identity});
            udev_events = true;
        }
    }

    for (const auto l : live_top_down) {
        if (leaving(l)) {
            steps.push_back(Remove{live.devices[l]->uuid});
            udev_events = true;
        }
    }
    if (udev_events)
        steps.push_back(WaitForUdev{});
    return plan;
}

}  // namespace volumes::planner
