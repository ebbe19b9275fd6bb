#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bus_fixture.hpp"

namespace volumes::test {

// One object for each interface volumesd can export today, each in a state where a
// method call with valid arguments would succeed if the caller were authorized.
struct AuthorizationWorld {
    std::string pool;          // "auth", with the volumes below
    std::string spare_pool;    // an empty pool: Destroy would succeed
    std::string free_device;   // a blank loop no pool uses: CreatePool would succeed
    std::string spare_member;  // the spare pool's second member, holding no extents: RemoveMember would succeed
    std::string linear;        // active
    std::string inactive;      // deactivated linear volume: Activate would succeed
    std::string mirror;        // raid1, 3 images, in sync: SplitTrack would succeed
    std::string split_mirror;  // raid1 with a tracked image
    std::string image;         // that tracked image
    std::string job;           // a finished raid1-merge job root started
    std::map<std::string, std::string> extra_objects;  // interface → object (Snapshot, ThinPool) when they can be made
    std::map<std::string, std::string> unavailable;    // interface → why no object has it

    // A call of interface.method with arguments that would succeed for root, on the object
    // that has the interface; nullopt when no object has it. Throws for a method this test
    // does not know yet (the contract grew: extend valid_call).
    std::optional<Call> valid_call(const std::string& interface, const std::string& method,
                                   const std::vector<CallArguments::Option>& options) const;
};

class AuthorizationWorldTest : public BusTest {
protected:
    AuthorizationWorld build_world();
};

}  // namespace volumes::test
