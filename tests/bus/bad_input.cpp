#include "bad_input.hpp"

#include <fmt/core.h>

#include "state_snapshot.hpp"

namespace volumes::test {

namespace {

std::string full_error_name(const std::string& expected)
{
    return expected.find('.') == std::string::npos ? "org.example.Volumes.Error." + expected : expected;
}

}  // namespace

Options with(Options options, const CallArguments::Option& more)
{
    options.push_back(more);
    return options;
}

void BusBadInput::expect_refused_unchanged(const std::vector<BadCall>& calls)
{
    const auto watched = loop_paths();
    auto baseline = take_snapshot(*bus, watched);
    for (const auto& bad : calls) {
        SCOPED_TRACE(fmt::format("{}: {}", bad.what, bad.call.describe()));
        const auto outcome = call(*bus, bad.call);
        EXPECT_EQ(outcome.error, full_error_name(bad.expected)) << outcome.describe();
        // Each change is reported once, by the call that made it.
        auto after = take_snapshot(*bus, watched);
        for (const auto& difference : differences(baseline, after))
            ADD_FAILURE() << "the refused call changed something: " << difference;
        baseline = std::move(after);
    }
}

Call BusBadInput::create_pool_call(const std::string& name, const std::vector<std::string>& devices,
                                   const Options& options)
{
    return {manager_path, manager_interface, "CreatePool", CallArguments().s(name).as(devices).options(options).words()};
}

Call BusBadInput::create_volume_call(const std::string& pool, const std::string& name, std::uint64_t size,
                                     const Options& options)
{
    return {pool, pool_interface, "CreateVolume", CallArguments().s(name).t(size).options(options).words()};
}

Call BusBadInput::options_call(const std::string& path, const std::string& interface, const std::string& method,
                               const Options& options)
{
    return {path, interface, method, CallArguments().options(options).words()};
}

}  // namespace volumes::test
