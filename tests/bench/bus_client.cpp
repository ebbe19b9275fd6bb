#include "bus_client.hpp"

#include <stdexcept>
#include <thread>

#include <fmt/core.h>

namespace volumes::bench {

std::string interface(const std::string& name)
{
    return kService + "." + name;
}

Client::Client() : connection_(sdbus::createSystemBusConnection()) {}

std::unique_ptr<sdbus::IProxy> Client::proxy(const std::string& path)
{
    return sdbus::createProxy(*connection_, kService, path);
}

void Client::call(const std::string& path, const std::string& iface, const std::string& method)
{
    proxy(path)->callMethod(method).onInterface(interface(iface)).withTimeout(kCallTimeout).withArguments(Options{});
}

void wait_job(Client& client, const std::string& job, std::chrono::milliseconds interval)
{
    auto proxy = client.proxy(job);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    while (!client.get<bool>(*proxy, "Job", "Finished")) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error(fmt::format("job {} did not finish within 10 minutes", job));
        std::this_thread::sleep_for(interval);
    }
    if (!client.get<bool>(*proxy, "Job", "Success"))
        throw std::runtime_error(
            fmt::format("job {} failed: {}", job, client.get<std::string>(*proxy, "Job", "Message")));
}

}  // namespace volumes::bench
