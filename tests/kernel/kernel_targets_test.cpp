// Module loading and target versions against the guest's real kernel.
#include <filesystem>

#include <gtest/gtest.h>
#include <sys/utsname.h>

#include "kmod/kernel_targets.hpp"
#include "kmod/module_loader.hpp"

namespace volumes::kmod {
namespace {

TEST(KernelTargets, LoadsEveryFeaturesModulesAndMeetsItsVersion)
{
    auto targets = KernelTargets::open();
    ASSERT_TRUE(targets) << targets.error().message;
    for (const auto& requirement : all_feature_requirements()) {
        auto required = targets->require(requirement.feature);
        EXPECT_TRUE(required) << requirement.description << ": " << required.error().message;
    }
    for (const char* module : {"dm_mod", "dm_raid", "raid1", "dm_snapshot", "dm_thin_pool"})
        EXPECT_TRUE(std::filesystem::exists(std::filesystem::path("/sys/module") / module)) << module << " not loaded";
}

TEST(KernelTargets, ReportsTheVersionsOfDebianSixOneTargets)
{
    auto targets = KernelTargets::open();
    ASSERT_TRUE(targets) << targets.error().message;
    for (auto feature : {Feature::Raid1SplitTrack, Feature::SnapshotMerge, Feature::ThinMetadataSnapshot})
        ASSERT_TRUE(targets->require(feature)) << requirement_of(feature).description;

    // The versions real-kernel-tests.md measured on Debian 12's 6.1 kernel; later kernels only go up.
    const std::pair<const char*, TargetVersion> at_least[] = {
        {"raid", {1, 15, 1}},         {"snapshot", {1, 16, 0}}, {"snapshot-origin", {1, 9, 0}},
        {"snapshot-merge", {1, 5, 0}}, {"thin-pool", {1, 22, 0}}, {"thin", {1, 22, 0}},
        {"linear", {1, 4, 0}},        {"error", {1, 5, 0}},
    };
    for (const auto& [target, minimum] : at_least) {
        const auto version = targets->versions().of(target);
        ASSERT_TRUE(version) << target << " missing from DM_DEVICE_LIST_VERSIONS";
        EXPECT_GE(*version, minimum) << target << " is " << version->to_string();
    }
}

TEST(ModuleLoader, NamesTheModuleAndKernelWhenOneCannotBeLoaded)
{
    auto loader = ModuleLoader::open();
    ASSERT_TRUE(loader) << loader.error().message;
    auto loaded = loader->load("dm_no_such_target");
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, ErrorCode::ModuleUnavailable);
    utsname names{};
    ASSERT_EQ(::uname(&names), 0);
    EXPECT_NE(loaded.error().message.find("dm_no_such_target"), std::string::npos) << loaded.error().message;
    EXPECT_NE(loaded.error().message.find(names.release), std::string::npos) << loaded.error().message;
}

TEST(ModuleLoader, LoadingAnAlreadyLoadedModuleSucceeds)
{
    auto loader = ModuleLoader::open();
    ASSERT_TRUE(loader) << loader.error().message;
    ASSERT_TRUE(loader->load("dm_mod"));
    auto again = loader->load("dm-mod");  // by alias, as the kernel requests it
    EXPECT_TRUE(again) << again.error().message;
}

}  // namespace
}  // namespace volumes::kmod
