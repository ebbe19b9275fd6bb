#pragma once

#include <chrono>
#include <map>
#include <string>

#include <sys/types.h>

namespace volumes::test {

// A rules file in /etc/polkit-1/rules.d for as long as the object lives. polkitd watches
// that directory and reloads its rules when it changes; wait_for_polkit tells when it has.
class PolkitRule {
public:
    PolkitRule(const std::string& file_name, const std::string& javascript);
    PolkitRule(const PolkitRule&) = delete;
    PolkitRule& operator=(const PolkitRule&) = delete;
    ~PolkitRule();

    void remove();

private:
    std::string path_;
};

// The details a check carries, as rules see them through action.lookup(key).
using PolkitDetails = std::map<std::string, std::string>;

// Whether polkit authorizes the process `pid` for `action` with `details` right now, asking
// polkitd without user interaction (pkcheck).
bool polkit_authorizes(const std::string& action, pid_t pid, const PolkitDetails& details = {});

// Waits until polkit_authorizes(action, pid, details) == expected. Throws on timeout.
void wait_for_polkit(const std::string& action, pid_t pid, bool expected,
                     std::chrono::seconds timeout = std::chrono::seconds(60), const PolkitDetails& details = {});

}  // namespace volumes::test
