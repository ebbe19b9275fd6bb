#include "service/bus/jobs/job_registry.hpp"

#include "service/bus/object_paths.hpp"

namespace volumes::bus {

namespace {

std::uint64_t wall_clock_usec()
{
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

}  // namespace

JobRegistry::JobRegistry(sdbus::IConnection& connection, BusLoop& loop, MethodCalls& calls,
                         std::chrono::seconds retention)
    : connection_(connection), loop_(loop), calls_(calls), retention_(retention)
{
}

std::uint64_t JobRegistry::start(JobDescription description)
{
    JobState state;
    state.id = next_id_++;
    state.operation = std::move(description.operation);
    state.objects = std::move(description.objects);
    state.started_by_uid = description.started_by_uid;
    state.cancelable = description.cancelable;
    auto id = state.id;
    jobs_.emplace(id, Entry{std::make_unique<JobObject>(connection_, std::move(state), calls_), ProgressEstimate()});
    return id;
}

void JobRegistry::progress(std::uint64_t id, std::uint64_t done_bytes, std::uint64_t total_bytes)
{
    auto found = jobs_.find(id);
    if (found == jobs_.end() || found->second.object->state().finished)
        return;
    auto& entry = found->second;
    entry.estimate.sample(std::chrono::steady_clock::now(), done_bytes);
    JobState state = entry.object->state();
    state.bytes = total_bytes;
    state.progress_valid = total_bytes > 0;
    state.progress = total_bytes > 0 ? static_cast<double>(done_bytes) / static_cast<double>(total_bytes) : 0.0;
    const bool measured = done_bytes_measure_work(state.operation);
    state.rate = measured ? entry.estimate.rate() : 0;
    state.expected_end_time = measured ? entry.estimate.expected_end_usec(wall_clock_usec(), total_bytes) : 0;
    entry.object->update(state);
}

void JobRegistry::finish(std::uint64_t id, bool success, std::string message)
{
    auto found = jobs_.find(id);
    if (found == jobs_.end() || found->second.object->state().finished)
        return;
    JobState state = found->second.object->state();
    state.finished = true;
    state.success = success;
    state.message = std::move(message);
    state.expected_end_time = 0;
    if (success) {
        state.progress = 1.0;
        state.progress_valid = true;
    }
    found->second.object->update(state);
    loop_.after(std::chrono::duration_cast<std::chrono::milliseconds>(retention_), [this, id] { jobs_.erase(id); });
}

const JobState* JobRegistry::find(std::uint64_t id) const
{
    auto found = jobs_.find(id);
    return found == jobs_.end() ? nullptr : &found->second.object->state();
}

}  // namespace volumes::bus
