#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include <sdbus-c++/sdbus-c++.h>

namespace volumes::bench {

inline const std::string kService = "org.example.Volumes";
inline const std::string kRoot = "/org/example/Volumes";
inline constexpr auto kCallTimeout = std::chrono::minutes(5);

using Options = std::map<std::string, sdbus::Variant>;

// "org.example.Volumes.<name>".
std::string interface(const std::string& name);

// volumesd on the system bus (bus-activated by the first call), with plain method calls
// and property reads on one connection.
class Client {
public:
    Client();

    std::unique_ptr<sdbus::IProxy> proxy(const std::string& path);

    template <typename... Args>
    sdbus::ObjectPath call_for_path(sdbus::IProxy& proxy, const std::string& iface, const std::string& method,
                                    const Args&... args)
    {
        sdbus::ObjectPath result;
        proxy.callMethod(method).onInterface(interface(iface)).withTimeout(kCallTimeout).withArguments(args...).storeResultsTo(
            result);
        return result;
    }

    // A method that answers more than one value, e.g. Snapshot.Merge's (o, b).
    template <typename... Results, typename... Args>
    std::tuple<Results...> call_for(sdbus::IProxy& proxy, const std::string& iface, const std::string& method,
                                    const Args&... args)
    {
        std::tuple<Results...> results;
        std::apply(
            [&](auto&... values) {
                proxy.callMethod(method).onInterface(interface(iface)).withTimeout(kCallTimeout).withArguments(args...).storeResultsTo(
                    values...);
            },
            results);
        return results;
    }

    // A method whose only argument is an empty options dictionary and that answers nothing.
    void call(const std::string& path, const std::string& iface, const std::string& method);

    template <typename T>
    T get(sdbus::IProxy& proxy, const std::string& iface, const std::string& name)
    {
        return proxy.getProperty(name).onInterface(interface(iface)).get<T>();
    }

private:
    std::unique_ptr<sdbus::IConnection> connection_;
};

// Polls the Job at `job` every `interval` until Finished; throws when it ends without Success
// (with its Message) or has not ended within 10 minutes.
void wait_job(Client& client, const std::string& job, std::chrono::milliseconds interval);

}  // namespace volumes::bench
