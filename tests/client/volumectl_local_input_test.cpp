// Input volumectl rejects itself, before it contacts any bus: the thin commands' sizes and
// ranges, malformed targets, bad sizes. Run on the host with a bus address where no bus
// is: exit 2 proves the check came first, since reaching for the bus would give 12.
#include <gtest/gtest.h>

#include "volumectl_runner.hpp"

namespace volumes::test {
namespace {

const std::string nowhere = "unix:path=/nonexistent/volumectl-test-bus";

ProcessResult offline(std::vector<std::string> args)
{
    args.insert(args.begin(), {"--json", "--address", nowhere});
    return volumectl(args);
}

void expect_usage_error(const std::vector<std::string>& args, const std::string& says)
{
    const auto result = offline(args);
    EXPECT_EQ(result.status, 2) << result.describe();
    const auto report = parse_stdout(result);
    EXPECT_EQ(report.at("error").at("name"), "UsageError") << result.describe();
    EXPECT_NE(report.at("error").at("message").get<std::string>().find(says), std::string::npos) << result.describe();
}

TEST(VolumectlLocalInput, ThinPoolSizes)
{
    expect_usage_error({"thin-pool", "tank/tp", "lots", "4M"}, "DATA_SIZE");
    expect_usage_error({"thin-pool", "tank/tp", "0", "4M"}, "DATA_SIZE");
    expect_usage_error({"thin-pool", "tank/tp", "1G", "1M"}, "outside 2 MiB to 16 GiB");
    expect_usage_error({"thin-pool", "tank/tp", "1G", "17G"}, "outside 2 MiB to 16 GiB");
    expect_usage_error({"thin-pool", "--block-size", "96K", "tank/tp", "1G", "4M"}, "multiple of 64 KiB");
    expect_usage_error({"thin-pool", "--block-size", "2G", "tank/tp", "1G", "4M"}, "multiple of 64 KiB");
    expect_usage_error({"thin-pool", "tank", "1G", "4M"}, "POOL/VOLUME");
    EXPECT_EQ(offline({"thin-pool", "tank/tp", "1G"}).status, 2);  // no metadata size
}

TEST(VolumectlLocalInput, AutoextendPolicies)
{
    expect_usage_error({"autoextend", "tank/tp", "80"}, "THRESHOLD/STEP");
    expect_usage_error({"autoextend", "tank/tp", "eighty/20"}, "whole number");
    expect_usage_error({"autoextend", "tank/tp", "80/-1"}, "whole number");
    expect_usage_error({"autoextend", "tank/tp", "80/20", "--inherit"}, "--inherit");
    expect_usage_error({"autoextend", "tank/tp"}, "--inherit");
    expect_usage_error({"autoextend", "tank/tp", "--thin-pools", "80/20"}, "name POOL");
    expect_usage_error({"autoextend", "tank", "80/20"}, "POOL/VOLUME");
    expect_usage_error({"autoextend", "tank", "--inherit"}, "POOL/VOLUME");
    expect_usage_error({"autoextend", "tank", "--snapshots", "80:20"}, "--snapshots");
    EXPECT_EQ(offline({"autoextend"}).status, 2);
}

TEST(VolumectlLocalInput, ThinVolumeAndMetadataSnapTargets)
{
    expect_usage_error({"thin", "tank/tp", "thin1", "0"}, "SIZE");
    expect_usage_error({"thin", "tank/tp", "thin1", "1X"}, "SIZE");
    expect_usage_error({"thin", "tank", "thin1", "1G"}, "POOL/VOLUME");
    expect_usage_error({"reserve-metadata-snap", "tank"}, "POOL/VOLUME");
    expect_usage_error({"release-metadata-snap", "tank/tp/x"}, "POOL/VOLUME");
    EXPECT_EQ(offline({"thin", "tank/tp"}).status, 2);
    EXPECT_EQ(offline({"reserve-metadata-snap"}).status, 2);
}

TEST(VolumectlLocalInput, SizesAndTargetsOfTheOtherCommands)
{
    expect_usage_error({"create", "tank/x", "4Q"}, "SIZE");
    expect_usage_error({"create", "tank/x", "99999999999999999999"}, "SIZE");
    expect_usage_error({"create", "tank/x", "20000000P"}, "too large");
    expect_usage_error({"create", "--region-size", "big", "tank/x", "4M"}, "--region-size");
    expect_usage_error({"create-pool", "--extent-size", "4MB3", "tank", "/dev/loop0"}, "--extent-size");
    expect_usage_error({"snapshot", "--cow-size", "x", "tank/root", "snap"}, "--cow-size");
    expect_usage_error({"split-track", "mirror"}, "POOL/VOLUME");
}

TEST(VolumectlLocalInput, ConvertTypeAndRegionSize)
{
    expect_usage_error({"convert", "tank/data", "--type", "raid5"}, "raid1 only");
    expect_usage_error({"convert", "tank/data", "--type", "raid1", "--region-size", "big"}, "--region-size");
    expect_usage_error({"convert", "tank/data", "--type", "raid1", "--region-size", "0"}, "--region-size");
    expect_usage_error({"convert", "tank", "--type", "raid1"}, "POOL/VOLUME");
    EXPECT_EQ(offline({"convert", "tank/data"}).status, 2);  // no --type
}

TEST(VolumectlLocalInput, ReachingForAMissingBusIsTwelve)
{
    const auto result = offline({"list"});
    EXPECT_EQ(result.status, 12) << result.describe();
}

}  // namespace
}  // namespace volumes::test
