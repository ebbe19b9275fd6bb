#include "tests/executor/kernel_view.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <stdexcept>

#include <libdevmapper.h>

#include "kmod/device_mapper.hpp"
#include "service/executor/live_state_reader.hpp"

namespace volumes::executor::test {

namespace dm = kmod::dm;

planner::LiveState pool_state()
{
    auto state = read_live_state(pool_prefix);
    if (!state)
        throw std::runtime_error("read_live_state: " + state.error().message);
    return std::move(*state);
}

std::vector<planner::LiveDevice> comparable(planner::LiveState state)
{
    for (auto& device : state.devices)
        device.open_count = 0;
    return std::move(state.devices);
}

const planner::LiveDevice* find_device(const planner::LiveState& state, const std::string& role)
{
    for (const auto& device : state.devices)
        if (device.uuid == uuid_of(role))
            return &device;
    return nullptr;
}

kmod::Table inactive_table(const std::string& uuid)
{
    std::unique_ptr<dm_task, void (*)(dm_task*)> task(dm_task_create(DM_DEVICE_TABLE), dm_task_destroy);
    if (!task || !dm_task_set_uuid(task.get(), uuid.c_str()) || !dm_task_query_inactive_table(task.get()) ||
        !dm_task_run(task.get()))
        throw std::runtime_error("cannot read the inactive table of " + uuid);
    kmod::Table table;
    void* next = nullptr;
    do {
        std::uint64_t start = 0;
        std::uint64_t length = 0;
        char* type = nullptr;
        char* params = nullptr;
        next = dm_get_next_target(task.get(), next, &start, &length, &type, &params);
        if (type)
            table.push_back({start, length, type, params ? params : ""});
    } while (next);
    return table;
}

::testing::AssertionResult pool_matches(const Layers& layers)
{
    auto live = read_live_state(pool_prefix);
    if (!live)
        return ::testing::AssertionFailure() << "read_live_state: " << live.error().message;
    graph::DeviceNumbers numbers;
    for (const auto& device : live->devices)
        numbers.emplace(device.uuid, device.number);
    const auto wanted = derive(layers, numbers);
    auto failure = ::testing::AssertionFailure();
    bool failed = false;
    if (!wanted.unresolved.empty()) {
        failed = true;
        failure << "missing: " << wanted.unresolved.front() << "; ";
    }
    for (const auto& device : wanted.graph.devices) {
        const auto found = std::ranges::find(live->devices, device.uuid, &planner::LiveDevice::uuid);
        if (found == live->devices.end()) {
            failed = true;
            failure << device.uuid << " does not exist; ";
            continue;
        }
        if (found->name != device.name || found->table != device.table || found->suspended ||
            found->has_inactive_table) {
            failed = true;
            failure << device.uuid << " is '" << found->name << "'" << (found->suspended ? ", suspended" : "")
                    << (found->has_inactive_table ? ", with an inactive table" : "") << ", live table ["
                    << kmod::to_string(found->table) << "], wanted '" << device.name << "' ["
                    << kmod::to_string(device.table) << "]; ";
        }
    }
    for (const auto& device : live->devices)
        if (std::ranges::find(wanted.graph.devices, device.uuid, &planner::DesiredDevice::uuid) ==
            wanted.graph.devices.end()) {
            failed = true;
            failure << device.uuid << " is left over; ";
        }
    if (failed)
        return failure;
    return ::testing::AssertionSuccess();
}

std::vector<std::string> summaries(const planner::Plan& plan)
{
    std::vector<std::string> lines;
    for (const auto& step : plan.steps) {
        auto text = planner::to_string(step);
        if (std::holds_alternative<planner::Load>(step))
            text = text.substr(0, text.find(':'));
        lines.push_back(std::move(text));
    }
    return lines;
}

void remove_pool_devices()
{
    auto state = pool_state();
    if (state.devices.empty())
        return;
    kmod::UdevCookie cookie;
    for (const auto& device : state.devices) {
        const auto id = kmod::DeviceId::by_uuid(device.uuid);
        if (device.has_inactive_table)
            (void)dm::clear_inactive(id);
        if (device.suspended)
            (void)dm::resume(id, cookie, kmod::UdevIdentity::Internal);
    }
    (void)cookie.wait();
    state = pool_state();
    auto remaining = std::move(state.devices);
    while (!remaining.empty()) {
        std::vector<planner::LiveDevice> held;
        bool removed_any = false;
        for (const auto& device : remaining) {
            const bool stacked_on = std::ranges::any_of(remaining, [&](const planner::LiveDevice& other) {
                return std::ranges::find(other.children, device.uuid) != other.children.end();
            });
            if (stacked_on) {
                held.push_back(device);
                continue;
            }
            if (auto removed = dm::remove(kmod::DeviceId::by_uuid(device.uuid), cookie); !removed)
                std::cerr << "test cleanup: " << removed.error().message << '\n';
            removed_any = true;
        }
        if (!removed_any)
            break;
        remaining = std::move(held);
    }
    (void)cookie.wait();
}

}  // namespace volumes::executor::test

namespace volumes::planner {

void PrintTo(const LiveDevice& device, std::ostream* out)
{
    *out << "{" << device.name << " " << device.uuid << " " << device.number.to_string() << " ["
         << kmod::to_string(device.table) << "]" << (device.read_only ? " read-only" : "")
         << (device.suspended ? " suspended" : "") << (device.has_inactive_table ? " inactive-table" : "")
         << " open " << device.open_count << " children";
    for (const auto& child : device.children)
        *out << " " << child;
    *out << "}";
}

}  // namespace volumes::planner
