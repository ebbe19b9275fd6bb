// CreatePool refuses bad names, devices and options with the documented errors, and
// touches no device while doing so.
#include "bad_input.hpp"
#include "read_only_mount.hpp"
#include "tests/devices/disk_setup.hpp"

namespace volumes::test {
namespace {

TEST_F(BusBadInput, CreatePoolRefusalsChangeNothing)
{
    const auto& a = new_loop();
    const auto& b = new_loop();
    const auto blank = new_loop(32 * mib).path();
    const auto foreign = new_loop(32 * mib).path();
    const auto mounted = new_loop(32 * mib).path();
    const auto held = new_loop(32 * mib).path();
    make_ext4(foreign);
    make_ext4(mounted);
    const ReadOnlyMount mount(mounted);
    const ExclusiveOpen exclusive(held);
    create_pool("bad", {a.path(), b.path()});
    const std::string long_name(65, 'x');
    const Options force{{"force", "b", "true"}};

    expect_refused_unchanged({
        {"empty name", create_pool_call("", {blank}), "InvalidArgument"},
        {"name with /", create_pool_call("a/b", {blank}), "InvalidArgument"},
        {"name ..", create_pool_call("..", {blank}), "InvalidArgument"},
        {"name starting with -", create_pool_call("-x", {blank}), "InvalidArgument"},
        {"name starting with .", create_pool_call(".x", {blank}), "InvalidArgument"},
        {"name of 65 characters", create_pool_call(long_name, {blank}), "InvalidArgument"},
        {"name leaving no room in dm names", create_pool_call("p" + std::string(54, '-'), {blank}), "InvalidArgument"},
        {"name with a space", create_pool_call("a b", {blank}), "InvalidArgument"},
        {"name not ASCII", create_pool_call("p\xc3\xa4l", {blank}), "InvalidArgument"},
        {"name taken", create_pool_call("bad", {blank}), "AlreadyExists"},

        {"no devices", create_pool_call("p2", {}), "InvalidArgument"},
        {"a device listed twice", create_pool_call("p2", {blank, blank}), "InvalidArgument"},
        {"a relative device path", create_pool_call("p2", {blank.substr(5)}), "InvalidArgument"},
        {"a device path of 4 KiB", create_pool_call("p2", {"/dev/" + std::string(4091, 'x')}), "InvalidArgument"},
        {"a device path of 10 MB", create_pool_call("p2", {"/dev/" + std::string(10'000'000, 'x')}), "InvalidArgument"},
        {"a nonexistent device", create_pool_call("p2", {"/dev/volumes-test-no-such-device"}), "NotFound"},
        {"not a block device", create_pool_call("p2", {"/dev/null"}), "InvalidArgument"},
        {"ext4 without force", create_pool_call("p2", {foreign}), "InUse"},
        {"ext4 without force beside a blank device", create_pool_call("p2", {blank, foreign}), "InUse"},
        {"mounted, even with force", create_pool_call("p2", {mounted}, force), "InUse"},
        {"open exclusively, even with force", create_pool_call("p2", {held}, force), "InUse"},
        {"a member of another pool", create_pool_call("p2", {a.path()}), "InUse"},

        {"extent_size 0", create_pool_call("p2", {blank}, {{"extent_size", "t", "0"}}), "InvalidArgument"},
        {"extent_size 2^64-1", create_pool_call("p2", {blank}, {{"extent_size", "t", std::to_string(largest_size)}}),
         "InvalidArgument"},
        {"extent_size not a power of two", create_pool_call("p2", {blank}, {{"extent_size", "t", "3145728"}}),
         "InvalidArgument"},
        {"extent_size under 1 MiB", create_pool_call("p2", {blank}, {{"extent_size", "t", "524288"}}), "InvalidArgument"},
        {"extent_size of the wrong type", create_pool_call("p2", {blank}, {{"extent_size", "s", "4194304"}}),
         "InvalidArgument"},
        {"force of the wrong type", create_pool_call("p2", {foreign}, {{"force", "s", "true"}}), "InvalidArgument"},
        {"an unknown option", create_pool_call("p2", {blank}, unknown_option), "InvalidArgument"},
        {"auth.no_user_interaction of the wrong type",
         create_pool_call("p2", {blank}, {{"auth.no_user_interaction", "s", "true"}}), "InvalidArgument"},
    });
}

}  // namespace
}  // namespace volumes::test
