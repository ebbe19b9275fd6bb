#include "signal_recorder.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "calls.hpp"
#include "object_paths.hpp"

namespace volumes::test {

namespace {

using PropertyMap = std::map<std::string, sdbus::Variant>;

}  // namespace

SignalRecorder::SignalRecorder(sdbus::IConnection& bus, const std::string& match)
    : slot_(bus.addMatch(match, [this](sdbus::Message& message) { record(message); }))
{
}

void SignalRecorder::record(sdbus::Message& message)
{
    RecordedSignal signal;
    signal.received = std::chrono::steady_clock::now();
    signal.member = message.getMemberName();
    signal.path = message.getPath();
    if (signal.member == "InterfacesAdded") {
        sdbus::ObjectPath object;
        std::map<std::string, PropertyMap> interfaces;
        message >> object >> interfaces;
        signal.object = object;
        for (auto& [interface, properties] : interfaces) {
            signal.interfaces.push_back(interface);
            for (auto& [name, value] : properties)
                signal.values.emplace(interface + "." + name, value);
        }
    } else if (signal.member == "InterfacesRemoved") {
        sdbus::ObjectPath object;
        message >> object >> signal.interfaces;
        signal.object = object;
    } else if (signal.member == "PropertiesChanged") {
        std::vector<std::string> invalidated;
        message >> signal.interface >> signal.values >> invalidated;
    } else if (signal.member == "Completed") {
        message >> signal.success >> signal.message;
    } else if (signal.member == "MergeCompleted") {
        sdbus::ObjectPath origin;
        message >> origin >> signal.success >> signal.message;
        signal.object = origin;
    } else if (signal.member == "SpaceWarning") {
        sdbus::ObjectPath volume;
        message >> volume >> signal.action >> signal.message;
        signal.object = volume;
    } else if (signal.member == "SyncProgress") {
        message >> signal.action >> signal.ratio >> signal.done_sectors >> signal.total_sectors;
    }
    signals_.push_back(std::move(signal));
}

std::optional<RecordedSignal> SignalRecorder::find(const std::function<bool(const RecordedSignal&)>& matches,
                                                   std::size_t from) const
{
    for (std::size_t i = from; i < signals_.size(); ++i)
        if (matches(signals_[i]))
            return signals_[i];
    return std::nullopt;
}

std::string SignalRecorder::describe() const
{
    std::string text;
    for (const auto& signal : signals_) {
        std::vector<std::string> keys;
        for (const auto& [key, value] : signal.values)
            keys.push_back(key);
        text += fmt::format("  {} from {}: object '{}' interfaces [{}] interface '{}' values [{}]\n", signal.member,
                            signal.path, signal.object, fmt::join(signal.interfaces, ", "), signal.interface,
                            fmt::join(keys, ", "));
    }
    return text.empty() ? "  (no signal at all)\n" : text;
}

std::string volumes_signals_match()
{
    return fmt::format("type='signal',sender='{}',path_namespace='{}'", volumes_bus_name, manager_path);
}

}  // namespace volumes::test
