#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_fixture.hpp"
#include "service/model/pool_codec.hpp"

namespace volumes::model {
namespace {

using namespace testing;
using nlohmann::json;
using volumes::testing::fails_with;
using volumes::testing::succeeded;

json valid_json()
{
    auto pool = valid_pool();
    layout_of<ThinPoolLayout>(pool, "tpool").held_metadata_root = 77;
    return json::parse(encode_pool(pool).dump());
}

// Index of each volume of valid_pool() in the "volumes" array.
enum VolumeIndex { lin, mirror, split, snap, msnap, tpool, thin1, thin2, idle };

std::string volume_path(VolumeIndex index, std::string_view rest = {})
{
    return "/volumes/" + std::to_string(index) + std::string(rest);
}

// Passes when decoding `pool` fails with `code` and the message mentions `needle`.
::testing::AssertionResult refused(const json& pool, ErrorCode code, std::string_view needle)
{
    const auto decoded = decode_pool(pool);
    if (auto failed = fails_with(decoded, code); !failed)
        return failed;
    if (decoded.error().message.find(needle) == std::string::npos)
        return ::testing::AssertionFailure() << "message \"" << decoded.error().message << "\" does not mention \""
                                             << needle << "\"";
    return ::testing::AssertionSuccess();
}

json with(json pool, const std::string& pointer, json value)
{
    pool[json::json_pointer(pointer)] = std::move(value);
    return pool;
}

json without(json pool, const std::string& pointer)
{
    const json::json_pointer path(pointer);
    auto& parent = pool[path.parent_pointer()];
    if (parent.is_array())
        parent.erase(std::stoul(path.back()));
    else
        parent.erase(path.back());
    return pool;
}

// How an error names the value at `pointer`: "pool.volumes[2]" for an array element, the key
// in quotes otherwise.
std::string named_in_message(const std::string& pointer)
{
    const json::json_pointer path(pointer);
    const auto& last = path.back();
    if (last.find_first_not_of("0123456789") == std::string::npos)
        return path.parent_pointer().back() + "[" + last + "]";
    return "\"" + last + "\"";
}

TEST(PoolDecode, TheFixtureDecodes)
{
    EXPECT_TRUE(succeeded(decode_pool(valid_json())));
}

TEST(PoolDecode, RefusesAPoolThatIsNotAnObject)
{
    for (const auto& value : {json(nullptr), json(true), json(7), json("tank"), json::array(), json::array({1, 2})})
        EXPECT_TRUE(refused(value, ErrorCode::Corrupt, "not an object")) << value;
}

TEST(PoolDecode, RefusesAMissingKey)
{
    const std::vector<std::pair<std::string, std::string>> keys{
        {"/uuid", "\"uuid\""},
        {"/name", "\"name\""},
        {"/extent_size", "\"extent_size\""},
        {"/members", "\"members\""},
        {"/volumes", "\"volumes\""},
        {"/members/1/extent_count", "\"extent_count\""},
        {volume_path(lin, "/active"), "\"active\""},
        {volume_path(lin, "/kind"), "\"kind\""},
        {volume_path(lin, "/data/1/count"), "\"count\""},
        {volume_path(mirror, "/legs/0/meta"), "\"meta\""},
        {volume_path(mirror, "/region_size"), "\"region_size\""},
        {volume_path(split, "/slot"), "\"slot\""},
        {volume_path(snap, "/merge"), "\"merge\""},
        {volume_path(tpool, "/transaction_id"), "\"transaction_id\""},
        {volume_path(thin1, "/virtual_size"), "\"virtual_size\""},
    };
    for (const auto& [pointer, key] : keys)
        EXPECT_TRUE(refused(without(valid_json(), pointer), ErrorCode::Corrupt, key)) << pointer;
}

TEST(PoolDecode, NamesWhereTheMissingKeyWas)
{
    EXPECT_TRUE(refused(without(valid_json(), volume_path(mirror, "/legs/1/data/0/start")), ErrorCode::Corrupt,
                        "pool.volumes[1].legs[1].data[0]"));
}

TEST(PoolDecode, RefusesAValueOfTheWrongType)
{
    const std::vector<std::pair<std::string, json>> cases{
        {"/extent_size", "4194304"},
        {"/extent_size", -4096},
        {"/extent_size", 4194304.0},
        {"/name", 7},
        {"/uuid", nullptr},
        {"/members", json::object()},
        {"/members/0", json::array()},
        {"/volumes/0", "lin"},
        {volume_path(lin, "/active"), "yes"},
        {volume_path(lin, "/active"), 1},
        {volume_path(lin, "/data"), json::object()},
        {volume_path(lin, "/data/0/start"), -1},
        {volume_path(mirror, "/legs/0"), nullptr},
        {volume_path(mirror, "/legs/2/tracked_image"), 3},
        {volume_path(split, "/slot"), 1ULL << 32},
        {volume_path(snap, "/chunk_size"), 1ULL << 32},
        {volume_path(snap, "/merge"), false},
        {volume_path(tpool, "/error_if_no_space"), "true"},
        {volume_path(tpool, "/held_metadata_root"), nullptr},
        {volume_path(tpool, "/next_thin_id"), 1.5},
        {volume_path(thin2, "/origin_thin_id"), nullptr},
        {volume_path(thin2, "/thin_id"), "2"},
    };
    for (const auto& [pointer, value] : cases)
        EXPECT_TRUE(refused(with(valid_json(), pointer, value), ErrorCode::Corrupt, named_in_message(pointer)))
            << pointer << " = " << value;
}

TEST(PoolDecode, RefusesABadUuid)
{
    for (const auto& [pointer, text] : std::vector<std::pair<std::string, std::string>>{
             {"/uuid", "tank"},
             {"/members/0/uuid", "a1a1a1a1-a1a1-a1a1-a1a1-a1a1a1a1a1a"},
             {volume_path(lin, "/uuid"), ""},
             {volume_path(lin, "/data/0/member"), "{a1a1a1a1-a1a1-a1a1-a1a1-a1a1a1a1a1a1}"},
             {volume_path(snap, "/origin"), "01010101_0101_0101_0101_010101010101"},
             {volume_path(thin1, "/pool"), "0606060606060606060606060606060606060"},
         })
        EXPECT_TRUE(refused(with(valid_json(), pointer, text), ErrorCode::Corrupt, "not a uuid")) << pointer;
}

TEST(PoolDecode, RefusesAnUnknownKindAsUnsupported)
{
    EXPECT_TRUE(refused(with(valid_json(), volume_path(lin, "/kind"), "cache"), ErrorCode::Unsupported, "\"cache\""));
    EXPECT_TRUE(refused(with(valid_json(), volume_path(lin, "/kind"), "Linear"), ErrorCode::Unsupported, "\"Linear\""));
}

TEST(PoolDecode, RefusesAKindThatIsNotAString)
{
    EXPECT_TRUE(refused(with(valid_json(), volume_path(lin, "/kind"), 1), ErrorCode::Corrupt, "\"kind\""));
}

TEST(PoolDecode, RefusesAFieldOfAnotherKind)
{
    // A linear volume with a raid1 field: a key this kind does not have.
    EXPECT_TRUE(
        refused(with(valid_json(), volume_path(lin, "/region_size"), 4096), ErrorCode::Unsupported, "\"region_size\""));
}

TEST(PoolDecode, RefusesAnUnknownMergeStateAsUnsupported)
{
    EXPECT_TRUE(refused(with(valid_json(), volume_path(snap, "/merge"), "reverting"), ErrorCode::Unsupported,
                        "\"reverting\""));
}

TEST(PoolDecode, RefusesAnUnknownKeyAsUnsupported)
{
    for (const auto& pointer : {std::string("/compression"), std::string("/members/0/size"),
                                volume_path(lin, "/cache"), volume_path(lin, "/data/0/stripe"),
                                volume_path(mirror, "/legs/0/health"), volume_path(thin1, "/discard")})
        EXPECT_TRUE(refused(with(valid_json(), pointer, 1), ErrorCode::Unsupported, "does not know")) << pointer;
}

TEST(PoolDecode, RefusesAPoolThatCheckPoolRefuses)
{
    EXPECT_TRUE(refused(with(valid_json(), volume_path(snap, "/name"), "lin"), ErrorCode::Corrupt, "both named 'lin'"));
    EXPECT_TRUE(refused(with(valid_json(), "/extent_size", 1000), ErrorCode::Corrupt, "extent size"));
}

// Every value of the document, and every object and array in it, replaced by each of a few
// garbage values or removed: decoding never throws and never succeeds with a value of another
// JSON type.
TEST(PoolDecode, NeverThrowsOnGarbage)
{
    const auto valid = valid_json();
    std::set<std::string> pointers;
    const auto leaves = valid.flatten();
    for (const auto& leaf : leaves.items())
        for (auto pointer = json::json_pointer(leaf.key()); !pointer.empty(); pointer = pointer.parent_pointer())
            pointers.insert(pointer.to_string());
    ASSERT_GT(pointers.size(), 100U);

    std::vector<json> garbage;
    for (const auto* text : {"null", "false", "true", "0", "3", "-1", "1.5", "1e300", "18446744073709551616", "\"\"",
                             "\"linear\"", "\"01010101-0101-0101-0101-010101010101\"", "[]", "[1]", "{}",
                             "{\"uuid\": 1}"})
        garbage.push_back(json::parse(text));

    int refusals = 0;
    for (const auto& pointer : pointers) {
        const json::json_pointer path(pointer);
        const auto& original = valid[path];
        for (const auto& value : garbage) {
            const auto broken = with(valid, pointer, value);
            Result<Pool> decoded = fail(ErrorCode::InvalidArgument, "not decoded");
            ASSERT_NO_THROW(decoded = decode_pool(broken)) << pointer << " = " << value;
            if (value.type() != original.type()) {
                EXPECT_TRUE(fails_with(decoded, ErrorCode::Corrupt)) << pointer << " = " << value;
            } else if (!decoded) {
                const auto code = decoded.error().code;
                EXPECT_TRUE(code == ErrorCode::Corrupt || code == ErrorCode::Unsupported)
                    << pointer << " = " << value << ": " << decoded.error().message;
            }
            // decode_pool catches nlohmann's exceptions only as a last resort: every value is
            // type-checked before it is read, and the refusal says which one was wrong.
            if (!decoded) {
                EXPECT_EQ(decoded.error().message.find("[json.exception"), std::string::npos)
                    << pointer << " = " << value << ": " << decoded.error().message;
            }
            refusals += decoded ? 0 : 1;
        }
        Result<Pool> decoded = fail(ErrorCode::InvalidArgument, "not decoded");
        ASSERT_NO_THROW(decoded = decode_pool(without(valid, pointer))) << "without " << pointer;
        if (!decoded) {
            EXPECT_EQ(decoded.error().code, ErrorCode::Corrupt)
                << "without " << pointer << ": " << decoded.error().message;
        }
    }
    EXPECT_GT(refusals, 1000);
}

}  // namespace
}  // namespace volumes::model
