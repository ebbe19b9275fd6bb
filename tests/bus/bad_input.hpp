#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "bus_fixture.hpp"

namespace volumes::test {

using Options = std::vector<CallArguments::Option>;

// One bad call and the error the contract gives it.
struct BadCall {
    std::string what;
    Call call;
    std::string expected;  // an error name; ours without the "org.example.Volumes.Error." prefix
};

inline const std::string unknown_object = "org.freedesktop.DBus.Error.UnknownObject";
inline const std::string unknown_method = "org.freedesktop.DBus.Error.UnknownMethod";
inline constexpr std::uint64_t largest_size = std::numeric_limits<std::uint64_t>::max();
inline const Options unknown_option{{"colour", "s", "red"}};
inline const Options allow_no_redundancy{{"allow_no_redundancy", "b", "true"}};

Options with(Options options, const CallArguments::Option& more);

// Root makes each call; it must get the expected error and leave the loops' first bytes
// (labels, metadata areas), every dm table and the object tree exactly as they were.
class BusBadInput : public BusTest {
protected:
    void expect_refused_unchanged(const std::vector<BadCall>& calls);

    static Call create_pool_call(const std::string& name, const std::vector<std::string>& devices,
                                 const Options& options = {});
    static Call create_volume_call(const std::string& pool, const std::string& name, std::uint64_t size,
                                   const Options& options = {});
    static Call options_call(const std::string& path, const std::string& interface, const std::string& method,
                             const Options& options = {});
};

}  // namespace volumes::test
