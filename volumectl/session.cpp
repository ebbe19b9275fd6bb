#include "session.hpp"

#include <atomic>
#include <csignal>

#include <fmt/core.h>

#include "progress_bar.hpp"
#include "usage_error.hpp"

namespace volumectl {

namespace vc = volumes::client;

namespace {

volatile std::sig_atomic_t interrupt_signal = 0;

void on_interrupt(int signal)
{
    interrupt_signal = signal;
}

bool is_object_path(const std::string& target)
{
    return target.starts_with("/");
}

}  // namespace

bool interrupted()
{
    return interrupt_signal != 0;
}

void install_interrupt_handlers()
{
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: poll must return so the wait sees the flag
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

std::pair<std::string, std::string> split_volume_target(const std::string& target)
{
    const auto slash = target.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == target.size() ||
        target.find('/', slash + 1) != std::string::npos)
        throw UsageError(fmt::format("'{}' does not name a volume: write POOL/VOLUME", target));
    return {target.substr(0, slash), target.substr(slash + 1)};
}

void check_volume_target(const std::string& target)
{
    if (!is_object_path(target))
        split_volume_target(target);
}

void check_pool_target(const std::string& target)
{
    if (target.empty() || (!is_object_path(target) && target.find('/') != std::string::npos))
        throw UsageError(fmt::format("'{}' does not name a pool: write POOL", target));
}

vc::Client& Session::client()
{
    if (!client_)
        client_.emplace(options_.address.empty() ? vc::Client::system() : vc::Client::at_address(options_.address));
    return *client_;
}

vc::Options Session::call_options() const
{
    vc::Options options;
    if (options_.no_ask_password)
        options.no_user_interaction();
    return options;
}

vc::VolumeInfo Session::volume(const std::string& target)
{
    if (is_object_path(target))
        return client().volume_at(target);
    const auto [pool, name] = split_volume_target(target);
    return client().volume(pool, name);
}

vc::PoolInfo Session::pool(const std::string& target)
{
    if (is_object_path(target))
        return client().pool_at(target);
    return client().pool(target);
}

std::string Session::job_path(const std::string& target)
{
    if (is_object_path(target))
        return target;
    if (target.empty() || target.find_first_not_of("0123456789") != std::string::npos)
        throw UsageError(fmt::format("'{}' does not name a job: write its number or object path", target));
    return fmt::format("{}/jobs/{}", vc::root_path, target);
}

vc::JobResult Session::wait(const std::string& job)
{
    ProgressBar bar(!options_.no_progress);
    vc::WaitOptions wait;
    wait.on_progress = [&](const vc::JobInfo& state) { bar.update(state); };
    wait.stop_requested = [] { return interrupted(); };
    auto result = client().wait_for_job(job, wait);
    bar.update(result.final_state);
    bar.finish();
    return result;
}

}  // namespace volumectl
