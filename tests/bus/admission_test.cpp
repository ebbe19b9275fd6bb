// CreatePool never admits a device volumesd already owns, with or without force: a member
// of another pool, or one of volumesd's own dm devices (a volume). It refuses with InUse,
// writes nothing, and the owning pool keeps working.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "bad_input.hpp"
#include "service/metadata/label.hpp"
#include "service/metadata/metadata_area.hpp"
#include "state_snapshot.hpp"
#include "tests/kernel/support/block_io.hpp"

namespace volumes::test {
namespace {

const Options force{{"force", "b", "true"}};

struct MemberState {
    std::string pool_uuid;
    std::uint64_t seq = 0;  // of the committed document
};

MemberState member_state(const std::string& device)
{
    const int fd = ::open(device.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error("cannot open " + device);
    auto label = metadata::read_label(fd);
    auto area = label ? metadata::MetadataArea::open(fd, *label) : std::unexpected(label.error());
    ::close(fd);
    if (!area)
        throw std::runtime_error(fmt::format("{}: {}", device, area.error().message));
    if (!area->committed())
        throw std::runtime_error(device + " has no committed document");
    return {label->pool_uuid.to_string(), area->committed()->seq};
}

struct Refusal {
    std::string what;
    Call call;
    std::string message_part;  // the InUse message must say this
};

class BusAdmission : public BusBadInput {
protected:
    // Like expect_refused_unchanged, with InUse, the message and extra devices watched.
    void expect_in_use_unchanged(const std::vector<Refusal>& refusals, const std::vector<std::string>& also_watched)
    {
        auto watched = loop_paths();
        watched.insert(watched.end(), also_watched.begin(), also_watched.end());
        auto baseline = take_snapshot(*bus, watched);
        for (const auto& refusal : refusals) {
            SCOPED_TRACE(fmt::format("{}: {}", refusal.what, refusal.call.describe()));
            const auto outcome = call(*bus, refusal.call);
            EXPECT_EQ(outcome.error, "org.example.Volumes.Error.InUse") << outcome.describe();
            EXPECT_NE(outcome.text.find(refusal.message_part), std::string::npos) << outcome.describe();
            auto after = take_snapshot(*bus, watched);
            for (const auto& difference : differences(baseline, after))
                ADD_FAILURE() << "the refused call changed something: " << difference;
            baseline = std::move(after);
        }
    }
};

TEST_F(BusAdmission, ForceNeverAdmitsAMemberOfAnotherPoolOrAVolume)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto blank = new_loop(32 * mib).path();
    const auto pool = create_pool("owner", {a.path(), b.path()});
    const auto volume = create_volume(pool, "data", 8 * mib);
    const auto volume_device = property_as<std::string>(volume, volume_interface, "DevicePath");
    ASSERT_TRUE(volume_device.starts_with("/dev/mapper/volumes-")) << volume_device;
    write_pattern(volume_device, 0, 8 * mib, 1717);
    const auto a_before = member_state(a.path());
    const auto b_before = member_state(b.path());
    ASSERT_EQ(a_before.seq, b_before.seq);
    const auto blank_before = digest(blank, 0, 32 * mib);

    expect_in_use_unchanged(
        {
            {"a member of another pool", create_pool_call("intruder", {a.path()}, force), a_before.pool_uuid},
            {"the other member", create_pool_call("intruder", {b.path()}, force), a_before.pool_uuid},
            {"a member after a blank device", create_pool_call("intruder", {blank, b.path()}, force),
             a_before.pool_uuid},
            {"a member without force", create_pool_call("intruder", {b.path()}), a_before.pool_uuid},
            {"an active volume", create_pool_call("intruder", {volume_device}, force), "VOLUMES-"},
            {"a volume after a blank device", create_pool_call("intruder", {blank, volume_device}, force),
             "VOLUMES-"},
        },
        {volume_device});

    EXPECT_TRUE(holds_pattern(volume_device, 0, 8 * mib, 1717)) << "the volume's data changed";
    EXPECT_EQ(digest(blank, 0, 32 * mib), blank_before) << "the blank device was written";

    // The owner still commits to both of its members.
    create_volume(pool, "after", 4 * mib);
    const auto a_after = member_state(a.path());
    const auto b_after = member_state(b.path());
    EXPECT_GT(a_after.seq, a_before.seq);
    EXPECT_EQ(a_after.seq, b_after.seq);
    EXPECT_EQ(a_after.pool_uuid, a_before.pool_uuid);
    EXPECT_EQ(b_after.pool_uuid, a_before.pool_uuid);
    EXPECT_TRUE(holds_pattern(volume_device, 0, 8 * mib, 1717));

    // And the blank device that stood beside the refused ones was never claimed.
    create_pool("newcomer", {blank});
}

}  // namespace
}  // namespace volumes::test
