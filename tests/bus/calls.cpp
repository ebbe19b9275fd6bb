#include "calls.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <sdbus-c++/sdbus-c++.h>

#include "call_arguments.hpp"

namespace volumes::test {

namespace {

constexpr std::chrono::microseconds call_timeout = std::chrono::minutes(2);

}  // namespace

std::string Call::describe() const
{
    std::vector<std::string> quoted;
    for (const auto& word : arguments)
        quoted.push_back(word.empty() || word.find_first_of(" '\"") != std::string::npos ? fmt::format("'{}'", word)
                                                                                          : word);
    return fmt::format("busctl --system call {} {} {} {} {}", volumes_bus_name, path, interface, method,
                       fmt::join(quoted, " "));
}

std::string Outcome::describe() const
{
    if (ok())
        return fmt::format("reply '{}'", text);
    return fmt::format("error {}: {}", error, text);
}

Outcome call(sdbus::IConnection& bus, const Call& call)
{
    auto proxy = sdbus::createProxy(bus, volumes_bus_name, call.path);
    auto message = proxy->createMethodCall(call.interface, call.method);
    append_arguments(message, call.arguments);
    try {
        auto reply = proxy->callMethod(message, static_cast<std::uint64_t>(call_timeout.count()));
        return Outcome{{}, first_text_value(reply)};
    } catch (const sdbus::Error& error) {
        return Outcome{error.getName(), error.getMessage()};
    }
}

namespace {

Outcome run_helper(std::vector<std::string> argv, const Call& call, std::optional<Credentials> as)
{
    argv.insert(argv.end(), {VOLUMES_BUS_CALL_HELPER, volumes_bus_name, call.path, call.interface, call.method});
    argv.insert(argv.end(), call.arguments.begin(), call.arguments.end());
    const auto result = run_process(argv, as);
    // The helper prints "reply <text>" or "error <name>" on its first line, then the message.
    const auto newline = result.out.find('\n');
    const std::string first = result.out.substr(0, newline);
    const std::string rest = newline == std::string::npos ? "" : result.out.substr(newline + 1);
    if (result.status == 0 && first.starts_with("reply "))
        return Outcome{{}, first.substr(6)};
    if (result.status == 0 && first.starts_with("error "))
        return Outcome{first.substr(6), rest.ends_with('\n') ? rest.substr(0, rest.size() - 1) : rest};
    const auto who = as ? fmt::format("as uid {}", as->uid) : fmt::format("through {}", argv.front());
    throw std::runtime_error(
        fmt::format("the helper could not make the call {} {}: {}", call.describe(), who, result.describe()));
}

}  // namespace

Outcome call_as(const Credentials& as, const Call& call)
{
    return run_helper({}, call, as);
}

Outcome call_through(const std::vector<std::string>& wrapper, const Call& call)
{
    return run_helper(wrapper, call, std::nullopt);
}

std::string call_ok(sdbus::IConnection& bus, const Call& c)
{
    const auto outcome = call(bus, c);
    if (!outcome.ok())
        throw std::runtime_error(fmt::format("{} failed: {}", c.describe(), outcome.describe()));
    return outcome.text;
}

}  // namespace volumes::test
