#pragma once

#include <string>

namespace volumes::test {

// polkitd stopped, and its bus activation file set aside, for as long as the object lives:
// a call to org.freedesktop.PolicyKit1 then fails with ServiceUnknown, as on a system without
// polkit. The destructor puts the file back and has the bus start polkitd again.
class PolkitOutage {
public:
    PolkitOutage();
    PolkitOutage(const PolkitOutage&) = delete;
    PolkitOutage& operator=(const PolkitOutage&) = delete;
    ~PolkitOutage();

private:
    void restore();

    std::string activation_file_;
    std::string set_aside_;
};

}  // namespace volumes::test
