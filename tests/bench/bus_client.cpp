#include "bus_client.hpp"

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

}  // namespace volumes::bench
