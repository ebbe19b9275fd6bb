#pragma once

#include <string>

namespace volumes::test {

// An ext4 device mounted read-only on a fresh directory in /tmp for the object's lifetime.
// Read-only, so the filesystem itself writes nothing (no journal, no lazy inode-table
// init) and any change to the device's bytes is someone else's.
class ReadOnlyMount {
public:
    explicit ReadOnlyMount(const std::string& device);
    ReadOnlyMount(const ReadOnlyMount&) = delete;
    ReadOnlyMount& operator=(const ReadOnlyMount&) = delete;
    ~ReadOnlyMount();

private:
    std::string directory_;
};

}  // namespace volumes::test
