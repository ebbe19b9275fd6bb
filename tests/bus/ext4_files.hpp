#pragma once

#include <map>
#include <string>

namespace volumes::test {

// An ext4 device mounted read-write on a fresh directory in /tmp until unmount() or the end of
// the object's life.
class MountedExt4 {
public:
    explicit MountedExt4(const std::string& device);
    MountedExt4(const MountedExt4&) = delete;
    MountedExt4& operator=(const MountedExt4&) = delete;
    ~MountedExt4();

    const std::string& directory() const { return directory_; }
    // Writes `bytes` bytes derived from `seed` to the file, replacing it, and syncs it.
    void write_file(const std::string& name, std::size_t bytes, unsigned seed) const;
    void remove_file(const std::string& name) const;
    // File name → a digest of its contents, for every regular file at the top (lost+found aside).
    std::map<std::string, std::string> digests() const;
    void unmount();

private:
    std::string directory_;
    bool mounted_ = false;
};

}  // namespace volumes::test
