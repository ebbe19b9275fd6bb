// Host: how volumectl shows health: a raid1's Health and image words, why a volume is
// unavailable, a pool's missing and failed members, in `list`, `show` and --json.
#include <gtest/gtest.h>

#include "volumectl/json_output.hpp"
#include "volumectl/text_output.hpp"

namespace volumectl {
namespace {

namespace vc = volumes::client;

constexpr std::uint64_t mib = 1024 * 1024;

vc::VolumeInfo volume(const std::string& name, const std::string& kind)
{
    vc::VolumeInfo info;
    info.path = "/org/example/Volumes/volumes/tank/" + name;
    info.name = name;
    info.pool = "/org/example/Volumes/pools/tank";
    info.pool_name = "tank";
    info.kind = kind;
    info.size = 8 * mib;
    info.origin = "/";
    return info;
}

vc::VolumeInfo degraded_mirror()
{
    auto info = volume("mirror", "raid1");
    info.active = true;
    info.device_path = "/dev/mapper/volumes-tank-mirror";
    info.raid1 = vc::Raid1Info{};
    info.raid1->images = {{0, "alive", "aaaa"}, {1, "missing", "bbbb"}};
    info.raid1->health = "degraded";
    info.raid1->tracked_image = "/";
    return info;
}

vc::VolumeInfo unavailable_linear()
{
    auto info = volume("data", "linear");
    info.unavailable = "extents on missing member bbbb";
    return info;
}

vc::PoolInfo incomplete_pool()
{
    vc::PoolInfo pool;
    pool.path = "/org/example/Volumes/pools/tank";
    pool.name = "tank";
    pool.members = {{"aaaa", "/dev/sdb", 64 * mib, true},
                    {"bbbb", "", 64 * mib, false},
                    {"cccc", "/dev/sdd", 64 * mib, true}};
    pool.missing_members = {"bbbb"};
    pool.failed_members = {"cccc"};
    return pool;
}

// The line of `text` that starts with `start` (after the indent), "" when none.
std::string line_of(const std::string& text, const std::string& start)
{
    std::size_t from = 0;
    while (from < text.size()) {
        const auto end = text.find('\n', from);
        const auto line = text.substr(from, end - from);
        if (line.find_first_not_of(' ') != std::string::npos && line.substr(line.find_first_not_of(' ')).starts_with(start))
            return line;
        if (end == std::string::npos)
            break;
        from = end + 1;
    }
    return "";
}

TEST(VolumeTable, HealthForRaid1AndADashOtherwise)
{
    const auto text = volume_table({degraded_mirror(), volume("plain", "linear")});
    EXPECT_EQ(line_of(text, "VOLUME"), "VOLUME       KIND    SIZE   ACTIVE  HEALTH    DEVICE");
    EXPECT_EQ(line_of(text, "tank/mirror"), "tank/mirror  raid1   8 MiB  yes     degraded  /dev/mapper/volumes-tank-mirror");
    EXPECT_EQ(line_of(text, "tank/plain"), "tank/plain   linear  8 MiB  no      -         -");
}

TEST(VolumeTable, WhyAVolumeCannotRunInALastColumnWhileOneCannot)
{
    const auto text = volume_table({unavailable_linear(), volume("plain", "linear")});
    EXPECT_NE(line_of(text, "VOLUME").find("DEVICE  UNAVAILABLE"), std::string::npos) << text;
    EXPECT_NE(line_of(text, "tank/data").find("-       extents on missing member bbbb"), std::string::npos) << text;
    EXPECT_TRUE(line_of(text, "tank/plain").ends_with("-       -")) << text;
}

TEST(DescribeVolume, HealthImagesAndUnavailable)
{
    const auto text = describe(degraded_mirror());
    EXPECT_EQ(line_of(text, "health:"), "  health:            degraded");
    EXPECT_EQ(line_of(text, "unavailable:"), "  unavailable:       -");
    EXPECT_NE(text.find("  image:             slot 1 missing bbbb\n"), std::string::npos) << text;

    const auto linear = describe(unavailable_linear());
    EXPECT_EQ(line_of(linear, "unavailable:"), "  unavailable:       extents on missing member bbbb");
    EXPECT_EQ(line_of(linear, "health:"), "") << "only a raid1 has a health";
}

TEST(DescribePool, MissingAndFailedMembers)
{
    const auto text = describe(incomplete_pool());
    EXPECT_EQ(line_of(text, "missing members:"), "  missing members:   bbbb");
    EXPECT_EQ(line_of(text, "failed members:"), "  failed members:    cccc");
    EXPECT_NE(text.find("member:            - bbbb 64 MiB (missing)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("member:            /dev/sdd cccc 64 MiB (failed)\n"), std::string::npos) << text;

    vc::PoolInfo whole = incomplete_pool();
    whole.missing_members.clear();
    whole.failed_members.clear();
    EXPECT_EQ(line_of(describe(whole), "failed members:"), "  failed members:    -");
}

TEST(JsonOutput, Raid1HealthAndImages)
{
    const auto json = to_json(degraded_mirror());
    EXPECT_EQ(json.at("raid1").at("health"), "degraded");
    EXPECT_EQ(json.at("raid1").at("images")[1].at("health"), "missing");
    EXPECT_EQ(json.at("raid1").at("images")[1].at("member"), "bbbb");
    EXPECT_EQ(json.at("unavailable"), "");
}

TEST(JsonOutput, Unavailable)
{
    const auto json = to_json(unavailable_linear());
    EXPECT_EQ(json.at("unavailable"), "extents on missing member bbbb");
    EXPECT_TRUE(json.at("raid1").is_null());
}

TEST(JsonOutput, MissingAndFailedMembers)
{
    const auto json = to_json(incomplete_pool());
    EXPECT_EQ(json.at("missing_members"), nlohmann::json::array({"bbbb"}));
    EXPECT_EQ(json.at("failed_members"), nlohmann::json::array({"cccc"}));
}

}  // namespace
}  // namespace volumectl
