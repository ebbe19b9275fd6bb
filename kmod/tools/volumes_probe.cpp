// volumes-probe: loads the device-mapper modules volumesd needs and prints the kernel's
// target versions and which volumesd features this kernel supports. Exit status 0 when
// every feature is available, 1 otherwise.
#include <cstdio>

#include <fmt/core.h>
#include <sys/utsname.h>

#include "kmod/kernel_targets.hpp"

int main()
{
    using namespace volumes::kmod;

    utsname names{};
    ::uname(&names);
    fmt::print("kernel {}\n", names.release);

    auto targets = KernelTargets::open();
    if (!targets) {
        fmt::print(stderr, "volumes-probe: {}\n", targets.error().message);
        return 1;
    }

    bool all_available = true;
    fmt::print("\nfeatures:\n");
    for (const auto& requirement : all_feature_requirements()) {
        const auto available = targets->require(requirement.feature);
        all_available = all_available && available.has_value();
        fmt::print("  {:<34} {}\n", requirement.description,
                   available ? fmt::format("yes ({} >= {})", requirement.target, requirement.minimum.to_string())
                             : "no: " + available.error().message);
    }

    fmt::print("\ndevice-mapper targets:\n");
    for (const auto& [name, version] : targets->versions().all())
        fmt::print("  {:<16} v{}\n", name, version.to_string());
    return all_available ? 0 : 1;
}
