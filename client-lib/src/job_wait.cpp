#include <optional>

#include "bus_errors.hpp"
#include "client_impl.hpp"
#include "decoding.hpp"
#include "proxies.hpp"

namespace volumes::client {

namespace {

// Follows one job: its PropertiesChanged and Completed, and its removal from the object
// tree (a daemon that restarts drops its jobs). Registered on construction, so nothing
// that happens after the constructor returns is missed.
class JobWatch : public sdbus::ProxyInterfaces<generated::Job_proxy, sdbus::Properties_proxy> {
public:
    JobWatch(sdbus::IConnection& bus, const std::string& path) : ProxyInterfaces(bus, bus_name, path)
    {
        registerProxy();
    }
    ~JobWatch() { unregisterProxy(); }

    bool properties_changed = false;
    std::optional<std::pair<bool, std::string>> completed;
    Properties changes;

private:
    void onCompleted(const bool& success, const std::string& message) override { completed.emplace(success, message); }
    void onPropertiesChanged(const std::string& interface, const Properties& changed,
                             const std::vector<std::string>&) override
    {
        if (interface != generated::Job_proxy::INTERFACE_NAME)
            return;
        for (const auto& [name, value] : changed)
            changes.insert_or_assign(name, value);
        properties_changed = true;
    }
};

class RemovalWatch : public sdbus::ProxyInterfaces<sdbus::ObjectManager_proxy> {
public:
    RemovalWatch(sdbus::IConnection& bus, std::string path) : ProxyInterfaces(bus, bus_name, root_path), path_(std::move(path))
    {
        registerProxy();
    }
    ~RemovalWatch() { unregisterProxy(); }

    bool removed = false;

private:
    void onInterfacesAdded(const sdbus::ObjectPath&, const std::map<std::string, Properties>&) override {}
    void onInterfacesRemoved(const sdbus::ObjectPath& path, const std::vector<std::string>&) override
    {
        if (path == path_)
            removed = true;
    }

    std::string path_;
};

}  // namespace

JobResult Client::wait_for_job(const std::string& job, const WaitOptions& options)
{
    auto& bus = impl_->bus();
    auto watch = translated([&] { return std::make_unique<JobWatch>(bus, job); });
    auto removal = translated([&] { return std::make_unique<RemovalWatch>(bus, job); });

    JobInfo state;
    state.path = job;
    try {
        apply_job_properties(state, watch->GetAll(generated::Job_proxy::INTERFACE_NAME));
    } catch (const sdbus::Error& error) {
        if (error.getName() == "org.freedesktop.DBus.Error.UnknownObject" ||
            error.getName() == "org.freedesktop.DBus.Error.UnknownInterface")
            throw NotFound(error.getName(), "no job at " + job);
        throw_bus_error(error.getName(), error.getMessage());
    }
    if (options.on_progress)
        options.on_progress(state);
    if (state.finished)
        return {state.success, state.message, state};

    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    bool stop = false;
    for (;;) {
        impl_->pump_until(
            [&] {
                stop = options.stop_requested && options.stop_requested();
                return stop || watch->properties_changed || watch->completed || removal->removed;
            },
            deadline);
        if (watch->properties_changed) {
            apply_job_properties(state, watch->changes);
            watch->changes.clear();
            watch->properties_changed = false;
            if (options.on_progress)
                options.on_progress(state);
        }
        if (watch->completed) {
            state.finished = true;
            state.success = watch->completed->first;
            state.message = watch->completed->second;
            return {state.success, state.message, state};
        }
        if (removal->removed)
            throw NotFound("", "job " + job + " went away before it completed (did volumesd restart?)");
        if (stop) {
            if (!options.cancel_job_on_stop)
                throw WaitInterrupted("", "stopped waiting for job " + job + "; it goes on");
            cancel_job(job);
            stop = false;
            continue;
        }
        if (std::chrono::steady_clock::now() >= deadline)
            throw WaitInterrupted("", "job " + job + " did not complete in time; it goes on");
    }
}

}  // namespace volumes::client
