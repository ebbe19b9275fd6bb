#include "polkit_rule.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/core.h>

#include "process.hpp"

namespace volumes::test {

namespace {

constexpr const char* rules_directory = "/etc/polkit-1/rules.d";

}  // namespace

PolkitRule::PolkitRule(const std::string& file_name, const std::string& javascript)
    : path_(fmt::format("{}/{}", rules_directory, file_name))
{
    // Written aside and renamed, so polkitd never loads half a file.
    const std::string temporary = path_ + ".partial";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << javascript << "\n";
        out.flush();
        if (!out)
            throw std::runtime_error("cannot write " + temporary);
    }
    std::filesystem::permissions(temporary, std::filesystem::perms(0644));
    std::filesystem::rename(temporary, path_);
}

PolkitRule::~PolkitRule()
{
    remove();
}

void PolkitRule::remove()
{
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
}

bool polkit_authorizes(const std::string& action, pid_t pid, const PolkitDetails& details)
{
    std::vector<std::string> argv{"pkcheck", "--action-id", action, "--process", std::to_string(pid)};
    for (const auto& [key, value] : details)
        argv.insert(argv.end(), {"--detail", key, value});
    const auto result = run_process(argv);
    return result.status == 0;
}

void wait_for_polkit(const std::string& action, pid_t pid, bool expected, std::chrono::seconds timeout,
                     const PolkitDetails& details)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (polkit_authorizes(action, pid, details) != expected) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error(fmt::format("polkitd still {} {} for pid {} after {} s", expected ? "refuses" : "grants",
                                                 action, pid, timeout.count()));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace volumes::test
