#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

namespace volumes::test {

// One signal from org.example.Volumes, decoded for the six kinds the tests follow.
struct RecordedSignal {
    // InterfacesAdded, InterfacesRemoved, PropertiesChanged, Completed, SyncProgress, MergeCompleted
    std::string member;
    std::string path;                     // the object that sent it
    std::string object;                   // InterfacesAdded/Removed: the object they are about; MergeCompleted: the origin;
                                          // SpaceWarning: the volume
    std::vector<std::string> interfaces;  // InterfacesAdded/Removed: its interfaces
    std::string interface;                // PropertiesChanged: the properties' interface
    // PropertiesChanged: the changed values; InterfacesAdded: every property as "Interface.Name".
    std::map<std::string, sdbus::Variant> values;
    bool success = false;  // Completed, MergeCompleted
    std::string message;   // Completed, MergeCompleted, SpaceWarning
    std::string action;    // SyncProgress; SpaceWarning: its "what"
    double ratio = 0.0;    // SyncProgress
    std::uint64_t done_sectors = 0;   // SyncProgress
    std::uint64_t total_sectors = 0;  // SyncProgress
    std::chrono::steady_clock::time_point received;  // when this client dispatched it
};

// Records every signal that matches `match` (a D-Bus match rule) from the moment it is
// made. Signals are dispatched on the connection's thread: pump it (pump_until).
class SignalRecorder {
public:
    SignalRecorder(sdbus::IConnection& bus, const std::string& match);

    const std::vector<RecordedSignal>& signals() const { return signals_; }

    // The first signal from index `from` on for which `matches` holds.
    std::optional<RecordedSignal> find(const std::function<bool(const RecordedSignal&)>& matches,
                                       std::size_t from = 0) const;

    // Every recorded signal on one line each, for failure messages.
    std::string describe() const;

private:
    void record(sdbus::Message& message);

    std::vector<RecordedSignal> signals_;
    sdbus::Slot slot_;
};

// The match rule for every signal volumesd sends below /org/example/Volumes.
std::string volumes_signals_match();

}  // namespace volumes::test
