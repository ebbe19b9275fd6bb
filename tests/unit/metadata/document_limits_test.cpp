// decode_document on hostile text: its size and nesting limits at their edges, a document a
// million levels deep, truncated and bit-flipped documents and random bytes. Every one comes
// back as a value; none throws.
#include <chrono>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "service/metadata/document.hpp"
#include "service/metadata/format.hpp"

namespace volumes::metadata {
namespace {

using testing::fails_with;
using testing::succeeded;

constexpr const char* kUuid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

// An envelope whose pool is `pool_json`, verbatim.
std::string envelope_around(const std::string& pool_json)
{
    return std::string(R"({"format_version":1,"seq":7,"pool_uuid":")") + kUuid + R"(","pool":)" + pool_json + "}";
}

// A pool holding arrays nested so that the whole document is `depth` levels deep: the
// envelope and the pool are two.
std::string document_of_depth(std::size_t depth)
{
    const auto arrays = depth - 2;
    return envelope_around(R"({"deep":)" + std::string(arrays, '[') + std::string(arrays, ']') + "}");
}

std::string valid_document()
{
    Document document;
    document.seq = 7;
    document.pool_uuid = *Uuid::parse(kUuid);
    document.pool = {{"name", "tank"},
                     {"volumes", {{{"name", "root"}, {"kind", "linear"}, {"data", {{{"start", 0}, {"count", 3}}}}}}}};
    return encode_document(document).value_or("");
}

Result<Document> decode_without_throwing(std::string_view text)
{
    try {
        return decode_document(text);
    } catch (...) {
        ADD_FAILURE() << "decode_document threw on " << text.size() << " bytes";
        return fail(ErrorCode::Io, "threw");
    }
}

TEST(DocumentLimits, SizeUpToTheLimit)
{
    auto text = valid_document();
    ASSERT_FALSE(text.empty());
    text.resize(kMaxDocumentSize, ' ');  // whitespace after the value is still one JSON value
    ASSERT_TRUE(succeeded(decode_without_throwing(text)));

    text.push_back(' ');
    const auto above = decode_without_throwing(text);
    ASSERT_TRUE(fails_with(above, ErrorCode::Corrupt));
    EXPECT_NE(above.error().message.find(std::to_string(kMaxDocumentSize)), std::string::npos) << above.error().message;
}

TEST(DocumentLimits, DepthUpToTheLimit)
{
    const auto deepest = decode_without_throwing(document_of_depth(kMaxDocumentDepth));
    ASSERT_TRUE(succeeded(deepest));
    EXPECT_TRUE(deepest->pool.contains("deep"));

    const auto above = decode_without_throwing(document_of_depth(kMaxDocumentDepth + 1));
    ASSERT_TRUE(fails_with(above, ErrorCode::Corrupt));
    EXPECT_NE(above.error().message.find(std::to_string(kMaxDocumentDepth)), std::string::npos) << above.error().message;
}

TEST(DocumentLimits, BracketsInsideStringsAreNotNesting)
{
    const auto brackets = std::string(1000, '[') + "\\\"" + std::string(1000, '{');
    const auto decoded = decode_without_throwing(envelope_around(R"({"name":")" + brackets + R"("})"));
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(decoded->pool["name"].get<std::string>(), std::string(1000, '[') + "\"" + std::string(1000, '{'));
}

TEST(DocumentLimits, AMillionLevelsAreRefusedQuickly)
{
    constexpr std::size_t kLevels = 1'000'000;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(fails_with(decode_without_throwing(std::string(kLevels, '[')), ErrorCode::Corrupt));
    EXPECT_TRUE(fails_with(decode_without_throwing(std::string(kLevels, '[') + std::string(kLevels, ']')), ErrorCode::Corrupt));
    EXPECT_TRUE(fails_with(decode_without_throwing(document_of_depth(kLevels)), ErrorCode::Corrupt));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(DocumentLimits, EveryTruncationIsCorrupt)
{
    const auto text = valid_document();
    ASSERT_TRUE(succeeded(decode_without_throwing(text)));
    for (std::size_t length = 0; length < text.size(); ++length)
        EXPECT_TRUE(fails_with(decode_without_throwing(std::string_view(text).substr(0, length)), ErrorCode::Corrupt))
            << "first " << length << " bytes";
}

TEST(DocumentLimits, EveryBitFlipIsRefusedOrDecodesToAValidDocument)
{
    const auto text = valid_document();
    const auto original = decode_without_throwing(text);
    ASSERT_TRUE(succeeded(original));
    std::size_t refused = 0;
    for (std::size_t at = 0; at < text.size(); ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            auto flipped = text;
            flipped[at] = static_cast<char>(flipped[at] ^ (1 << bit));
            const auto decoded = decode_without_throwing(flipped);
            if (!decoded) {
                EXPECT_TRUE(decoded.error().code == ErrorCode::Corrupt || decoded.error().code == ErrorCode::Unsupported)
                    << to_string(decoded.error().code) << " at byte " << at << " bit " << bit;
                ++refused;
                continue;
            }
            // A flip that keeps the text valid (a digit of seq, a letter's case in the uuid, a
            // key or name the pool model judges later) decodes to something that round-trips.
            const auto again = encode_document(*decoded);
            ASSERT_TRUE(succeeded(again));
            const auto reread = decode_without_throwing(*again);
            ASSERT_TRUE(succeeded(reread));
            EXPECT_EQ(*reread, *decoded);
        }
    }
    EXPECT_GT(refused, text.size());  // most flips break the JSON or the envelope
}

TEST(DocumentLimits, RandomBytesAreCorrupt)
{
    std::mt19937_64 random(17);
    constexpr char kJsonish[] = "{}[]\":,0123456789 -.etrufalsn\\ux";
    for (int round = 0; round < 2000; ++round) {
        std::string text(random() % 4096, '\0');
        const bool jsonish = round % 2 == 1;
        for (auto& c : text)
            c = jsonish ? kJsonish[random() % (sizeof kJsonish - 1)] : static_cast<char>(random());
        EXPECT_TRUE(fails_with(decode_without_throwing(text), ErrorCode::Corrupt)) << "round " << round;
    }
}

TEST(DocumentLimits, TheEncoderRefusesWhatTheDecoderWould)
{
    Document deep;
    deep.pool_uuid = *Uuid::parse(kUuid);
    nlohmann::json nested = nlohmann::json::array();
    for (std::size_t level = 3; level < kMaxDocumentDepth; ++level)
        nested = nlohmann::json::array({nested});
    deep.pool = {{"deep", nested}};  // envelope, pool and kMaxDocumentDepth - 2 arrays
    const auto deepest = encode_document(deep);
    ASSERT_TRUE(succeeded(deepest));
    EXPECT_TRUE(succeeded(decode_without_throwing(*deepest)));

    deep.pool = {{"deep", nlohmann::json::array({nested})}};
    EXPECT_TRUE(fails_with(encode_document(deep), ErrorCode::InvalidArgument));

    Document large;
    large.pool_uuid = *Uuid::parse(kUuid);
    large.pool = {{"name", std::string(kMaxDocumentSize, 'x')}};
    EXPECT_TRUE(fails_with(encode_document(large), ErrorCode::NoSpace));
}

}  // namespace
}  // namespace volumes::metadata
