#include "service/executor/run_transaction.hpp"

#include <optional>

#include <fmt/core.h>

#include "kmod/device_mapper.hpp"
#include "kmod/tables/error_table.hpp"
#include "service/executor/fault_point.hpp"
#include "service/executor/kernel_changes.hpp"
#include "service/executor/kernel_failure.hpp"
#include "service/executor/live_state_reader.hpp"
#include "service/executor/step_phase.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::executor {
namespace {

namespace dm = kmod::dm;

// One look at the kernel and the plan made from it.
struct Planned {
    planner::LiveState live;
    std::vector<std::string> unresolved;
    planner::Plan plan;
};

Result<Planned> plan_from_kernel(std::string_view uuid_prefix, const GraphSource& desired,
                                 const graph::ChangeScope* scope)
{
    planner::LiveState live;
    graph::DeviceNumbers numbers;
    if (scope) {
        auto read = read_live_state(uuid_prefix, *scope);
        if (!read)
            return std::unexpected(read.error());
        live = std::move(read->live);
        numbers = std::move(read->stacked_on);
    } else {
        auto read = read_live_state(uuid_prefix);
        if (!read)
            return std::unexpected(read.error());
        live = std::move(*read);
    }
    for (const auto& device : live.devices)
        numbers.emplace(device.uuid, device.number);
    auto derived = desired(numbers);
    if (!derived)
        return fail(ErrorCode::Refused, fmt::format("the desired device graph: {}", derived.error().message));
    if (scope)
        *derived = graph::within(std::move(*derived), *scope);
    auto plan = planner::plan_transaction(live, derived->graph, uuid_prefix);
    if (!plan)
        return fail(plan.error().code == planner::ErrorCode::Busy ? ErrorCode::Busy : ErrorCode::Refused,
                    fmt::format("{}: {}", planner::to_string(plan.error().code), plan.error().message));
    return Planned{std::move(live), std::move(derived->unresolved), std::move(*plan)};
}

const planner::LiveDevice* live_device(const planner::LiveState& live, const std::string& uuid)
{
    for (const auto& device : live.devices)
        if (device.uuid == uuid)
            return &device;
    return nullptr;
}

bool holds_inactive_table(const planner::LiveState& live, const std::string& uuid)
{
    const auto* device = live_device(live, uuid);
    return device != nullptr && device->has_inactive_table;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator)
{
    std::string text;
    for (const auto& item : items) {
        if (!text.empty())
            text += separator;
        text += item;
    }
    return text;
}

// Everything before the commit: the new devices, the plan made once they exist, its preload
// and its suspends.
Result<Planned> prepare(std::string_view uuid_prefix, const GraphSource& desired, const graph::ChangeScope* scope,
                        const planner::Plan& first, KernelChanges& changes)
{
    if (auto reached = fault_point("precommitted"); !reached)
        return std::unexpected(reached.error());
    for (const auto& step : first.steps)
        if (const auto* create = std::get_if<planner::Create>(&step))
            if (auto created = changes.create(*create); !created)
                return std::unexpected(created.error());
    if (auto reached = fault_point("created"); !reached)
        return std::unexpected(reached.error());

    auto planned = plan_from_kernel(uuid_prefix, desired, scope);
    if (!planned)
        return std::unexpected(planned.error());
    if (!planned->unresolved.empty())
        return fail(ErrorCode::Refused,
                    fmt::format("with every new device created the graph still stacks on devices that do not exist: {}",
                                joined(planned->unresolved, ", ")));
    if (auto ordered = check_phase_order(planned->plan); !ordered)
        return std::unexpected(ordered.error());

    const auto& live = planned->live;
    for (const auto& step : planned->plan.steps) {
        Result<void> loaded;
        if (const auto* load = std::get_if<planner::Load>(&step))
            loaded = changes.load(load->uuid, load->table, load->read_only, holds_inactive_table(live, load->uuid));
        else if (const auto* error = std::get_if<planner::LoadError>(&step))
            loaded = changes.load(error->uuid, {kmod::error_table_line(error->length)}, false,
                                  holds_inactive_table(live, error->uuid));
        else if (const auto* resume = std::get_if<planner::ResumeNewChild>(&step))
            loaded = changes.resume_new_child(*resume);
        if (!loaded)
            return std::unexpected(loaded.error());
    }
    if (auto reached = fault_point("preloaded"); !reached)
        return std::unexpected(reached.error());
    for (const auto& step : planned->plan.steps)
        if (const auto* suspend = std::get_if<planner::Suspend>(&step))
            if (auto suspended = changes.suspend(*suspend); !suspended)
                return std::unexpected(suspended.error());
    if (auto reached = fault_point("suspended"); !reached)
        return std::unexpected(reached.error());
    return planned;
}

std::unexpected<Error> revert(KernelChanges& changes, MetadataCommit& metadata, Error error)
{
    auto problems = changes.revert();
    if (auto dropped = metadata.drop_precommitted(); !dropped)
        problems.push_back(dropped.error().message);
    if (!problems.empty())
        error.message += fmt::format("; reverting also failed: {}", joined(problems, "; "));
    error.committed = false;
    return std::unexpected(std::move(error));
}

// Everything after the commit. The new metadata is the pool's truth now, so every step is
// tried; the first failure is returned for reconciliation to finish. A fault point set to
// fail stands for the failure of every step after it: they are not tried.
Result<void> finish(const Planned& planned, UdevWaits& udev)
{
    std::optional<Error> first;
    const auto stopped_at = [&](std::string_view point) -> std::optional<Error> {
        auto reached = fault_point(point);
        if (reached)
            return std::nullopt;
        Error error = first.value_or(reached.error());
        error.committed = true;
        return error;
    };
    const auto note = [&](const Result<void>& result) {
        if (!result && !first)
            first = result.error();
    };
    const auto note_kernel = [&](const kmod::Result<void>& result) {
        if (!result && !first)
            first = Error{ErrorCode::Kernel, result.error().message};
    };
    const auto& steps = planned.plan.steps;

    if (auto stop = stopped_at("committed"))
        return std::unexpected(std::move(*stop));
    for (const auto& step : steps)
        if (const auto* resume = std::get_if<planner::Resume>(&step))
            note_kernel(dm::resume(kmod::DeviceId::by_uuid(resume->uuid), udev.cookie(resume->awaited),
                                   resume->udev_identity));
    if (auto stop = stopped_at("resumed"))
        return std::unexpected(std::move(*stop));
    for (const auto& step : steps)
        if (const auto* rename = std::get_if<planner::Rename>(&step))
            note_kernel(dm::rename(kmod::DeviceId::by_name(rename->old_name), rename->name, udev.awaited,
                                   rename->udev_identity));
    if (auto stop = stopped_at("renamed"))
        return std::unexpected(std::move(*stop));

    // A leaving device that never had a live table may hold an inactive one (left by a
    // transaction that died before its commit) mapping another leaving device, which could
    // then not be removed: the removal order follows live tables only.
    for (const auto& step : steps)
        if (const auto* remove = std::get_if<planner::Remove>(&step))
            if (const auto* device = live_device(planned.live, remove->uuid);
                device && device->has_inactive_table && device->table.empty())
                note_kernel(dm::clear_inactive(kmod::DeviceId::by_uuid(remove->uuid)));
    for (const auto& step : steps)
        if (const auto* remove = std::get_if<planner::Remove>(&step))
            note_kernel(dm::remove(kmod::DeviceId::by_uuid(remove->uuid), udev.awaited));
    if (auto stop = stopped_at("removed"))
        return std::unexpected(std::move(*stop));

    for (const auto& step : steps)
        if (std::holds_alternative<planner::WaitForUdev>(step))
            note_kernel(udev.awaited.wait());

    if (first) {
        first->committed = true;
        return std::unexpected(std::move(*first));
    }
    return {};
}

}  // namespace

Result<TransactionReport> run_transaction(std::string_view uuid_prefix, const GraphSource& desired,
                                          MetadataCommit& metadata, const graph::ChangeScope* scope)
{
    auto first = plan_from_kernel(uuid_prefix, desired, scope);
    if (!first)
        return std::unexpected(first.error());

    KernelChanges changes;
    if (auto written = metadata.write_precommitted(); !written)
        return revert(changes, metadata, written.error());
    auto planned = prepare(uuid_prefix, desired, scope, first->plan, changes);
    if (!planned)
        return revert(changes, metadata, planned.error());
    if (auto committed = metadata.commit(); !committed)
        return revert(changes, metadata, committed.error());

    TransactionReport report{planned->plan, changes.created(), {}};
    if (auto finished = finish(*planned, changes.udev()); !finished)
        return std::unexpected(finished.error());
    report.udev_later = std::move(changes.udev().later);
    return report;
}

}  // namespace volumes::executor
