#include "service/metadata/document.hpp"

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "service/metadata/format.hpp"

namespace volumes::metadata {
namespace {

using testing::fails_with;
using testing::succeeded;

Document sample()
{
    Document document;
    document.seq = 42;
    document.pool_uuid = *Uuid::parse("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
    document.pool = {{"name", "tank"}, {"volumes", {{{"name", "root"}, {"extents", {0, 1, 2}}}}}};
    return document;
}

nlohmann::json envelope_of(const Document& document)
{
    const auto text = encode_document(document);
    EXPECT_TRUE(succeeded(text));
    return nlohmann::json::parse(text.value_or("{}"));
}

TEST(Document, RoundTrips)
{
    const auto text = encode_document(sample());
    ASSERT_TRUE(succeeded(text));
    const auto decoded = decode_document(*text);
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(*decoded, sample());
}

TEST(Document, CarriesTheEnvelopeKeys)
{
    const auto envelope = envelope_of(sample());
    EXPECT_EQ(envelope.at("format_version"), kFormatVersion);
    EXPECT_EQ(envelope.at("seq"), 42u);
    EXPECT_EQ(envelope.at("pool_uuid"), "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
    EXPECT_EQ(envelope.at("pool").at("name"), "tank");
    EXPECT_EQ(envelope.size(), 4u);
}

TEST(Document, NotJsonIsCorrupt)
{
    for (const char* text : {"", "{", "not json", "{\"seq\": 1,}", "{} trailing", "\xff\xfe"}) {
        const auto decoded = decode_document(text);
        EXPECT_TRUE(fails_with(decoded, ErrorCode::Corrupt)) << text;
    }
    EXPECT_TRUE(fails_with(decode_document("[1, 2]"), ErrorCode::Corrupt));
    EXPECT_TRUE(fails_with(decode_document("null"), ErrorCode::Corrupt));
}

TEST(Document, MissingOrMistypedKeysAreCorrupt)
{
    const auto valid = envelope_of(sample());
    for (const char* key : {"format_version", "seq", "pool_uuid", "pool"}) {
        auto missing = valid;
        missing.erase(key);
        EXPECT_TRUE(fails_with(decode_document(missing.dump()), ErrorCode::Corrupt)) << "without " << key;
    }
    const std::pair<const char*, nlohmann::json> mistyped[] = {
        {"format_version", "1"}, {"format_version", -1}, {"format_version", 0},   {"format_version", 1.5},
        {"seq", "42"},           {"seq", -1},            {"seq", 4.2},           {"pool_uuid", 7},
        {"pool_uuid", "tank"},   {"pool", nlohmann::json::array()},             {"pool", nullptr},
    };
    for (const auto& [key, value] : mistyped) {
        auto broken = valid;
        broken[key] = value;
        EXPECT_TRUE(fails_with(decode_document(broken.dump()), ErrorCode::Corrupt)) << broken.dump();
    }
}

TEST(Document, NewerFormatVersionIsUnsupported)
{
    auto envelope = envelope_of(sample());
    envelope["format_version"] = kFormatVersion + 1;
    EXPECT_TRUE(fails_with(decode_document(envelope.dump()), ErrorCode::Unsupported));
}

TEST(Document, EncodeRefusesWhatItCannotWriteWithoutThrowing)
{
    auto document = sample();
    document.pool["name"] = "\xff\xfe not utf-8";
    EXPECT_TRUE(fails_with(encode_document(document), ErrorCode::InvalidArgument));

    document.pool = nlohmann::json::array({1, 2});
    EXPECT_TRUE(fails_with(encode_document(document), ErrorCode::InvalidArgument));
}

TEST(Document, LargestSeqSurvives)
{
    auto document = sample();
    document.seq = std::numeric_limits<std::uint64_t>::max();
    const auto text = encode_document(document);
    ASSERT_TRUE(succeeded(text));
    const auto decoded = decode_document(*text);
    ASSERT_TRUE(succeeded(decoded));
    EXPECT_EQ(decoded->seq, document.seq);
}

}  // namespace
}  // namespace volumes::metadata
