#pragma once

#include <string>
#include <vector>

namespace volumes::test {

// Removes the dm devices a test made, last made first, even when the test fails halfway,
// so one failing test does not leave devices that break the next.
class DmCleanup {
public:
    DmCleanup() = default;
    DmCleanup(const DmCleanup&) = delete;
    DmCleanup& operator=(const DmCleanup&) = delete;
    ~DmCleanup();

    void add(std::string name) { names_.push_back(std::move(name)); }

private:
    std::vector<std::string> names_;
};

}  // namespace volumes::test
