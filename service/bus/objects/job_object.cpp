#include "service/bus/objects/job_object.hpp"

#include "service/bus/object_paths.hpp"
#include "service/bus/objects/changed_properties.hpp"
#include "volumes/Job_adaptor.h"

namespace volumes::bus {

using JobAdaptor = org::example::Volumes::Job_adaptor;

class JobObject::Interface final : public JobAdaptor {
public:
    Interface(sdbus::IObject& object, const JobState& state, MethodCalls& calls)
        : JobAdaptor(object), object_(object), state_(state), calls_(calls)
    {
    }

private:
    void Cancel(sdbus::Result<>&& result, std::map<std::string, sdbus::Variant> options) override
    {
        calls_.cancel_job(current_call(object_, std::move(options)), state_.id, std::move(result));
    }

    std::string Operation() override { return state_.operation; }
    std::vector<sdbus::ObjectPath> Objects() override
    {
        return std::vector<sdbus::ObjectPath>(state_.objects.begin(), state_.objects.end());
    }
    uint32_t StartedByUid() override { return state_.started_by_uid; }
    double Progress() override { return state_.progress; }
    bool ProgressValid() override { return state_.progress_valid; }
    uint64_t Bytes() override { return state_.bytes; }
    uint64_t Rate() override { return state_.rate; }
    uint64_t ExpectedEndTime() override { return state_.expected_end_time; }
    bool Cancelable() override { return state_.cancelable; }
    bool Finished() override { return state_.finished; }
    bool Success() override { return state_.success; }
    std::string Message() override { return state_.message; }

    sdbus::IObject& object_;
    const JobState& state_;
    MethodCalls& calls_;
};

JobObject::JobObject(sdbus::IConnection& connection, JobState state, MethodCalls& calls)
    : state_(std::move(state)), object_(sdbus::createObject(connection, job_path(state_.id)))
{
    interface_ = std::make_unique<Interface>(*object_, state_, calls);
    object_->finishRegistration();
    object_->emitInterfacesAddedSignal();
}

JobObject::~JobObject()
{
    try {
        object_->emitInterfacesRemovedSignal();
    } catch (const sdbus::Error&) {
        // The connection is going away with the daemon; nobody is left to tell.
    }
    object_->unregister();
}

void JobObject::update(const JobState& state)
{
    ChangedProperties changed(JobAdaptor::INTERFACE_NAME);
    changed.compare(state_.objects, state.objects, "Objects");
    changed.compare(state_.progress, state.progress, "Progress");
    changed.compare(state_.progress_valid, state.progress_valid, "ProgressValid");
    changed.compare(state_.bytes, state.bytes, "Bytes");
    changed.compare(state_.rate, state.rate, "Rate");
    changed.compare(state_.expected_end_time, state.expected_end_time, "ExpectedEndTime");
    changed.compare(state_.cancelable, state.cancelable, "Cancelable");
    changed.compare(state_.finished, state.finished, "Finished");
    changed.compare(state_.success, state.success, "Success");
    changed.compare(state_.message, state.message, "Message");
    bool just_finished = !state_.finished && state.finished;
    state_ = state;
    changed.emit(*object_);
    if (just_finished)
        interface_->emitCompleted(state_.success, state_.message);
}

}  // namespace volumes::bus
