#include "service/metadata/document.hpp"

#include <exception>
#include <new>

#include <fmt/core.h>

#include "service/metadata/format.hpp"

namespace volumes::metadata {

namespace {

// Whether `text` opens more than `limit` arrays and objects inside one another, counting only
// brackets outside strings. For text that is a JSON prefix this is the parser's own nesting,
// so the parser is never handed a document deeper than the limit.
bool nests_deeper_than(std::string_view text, std::size_t limit)
{
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit)
                return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

}  // namespace

Result<std::string> encode_document(const Document& document)
{
    if (!document.pool.is_object())
        return fail(ErrorCode::InvalidArgument, fmt::format("the pool must be a JSON object, not {}", document.pool.type_name()));
    const nlohmann::json envelope = {
        {"format_version", kFormatVersion},
        {"seq", document.seq},
        {"pool_uuid", document.pool_uuid.to_string()},
        {"pool", document.pool},
    };
    std::string text;
    try {
        text = envelope.dump();
    } catch (const nlohmann::json::exception& error) {
        return fail(ErrorCode::InvalidArgument, fmt::format("the pool document cannot be encoded: {}", error.what()));
    }
    // What decode_document would refuse is never written.
    if (text.size() > kMaxDocumentSize)
        return fail(ErrorCode::NoSpace, fmt::format("the pool document has {} bytes, above the format's limit of {}",
                                                    text.size(), kMaxDocumentSize));
    if (nests_deeper_than(text, kMaxDocumentDepth))
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("the pool document nests arrays and objects deeper than the format's limit of {}",
                                kMaxDocumentDepth));
    return text;
}

namespace {

Result<Document> decode_bounded(std::string_view text)
{
    if (text.size() > kMaxDocumentSize)
        return fail(ErrorCode::Corrupt, fmt::format("the pool document has {} bytes, above the format's limit of {}",
                                                    text.size(), kMaxDocumentSize));
    if (nests_deeper_than(text, kMaxDocumentDepth))
        return fail(ErrorCode::Corrupt,
                    fmt::format("the pool document nests arrays and objects deeper than the format's limit of {}",
                                kMaxDocumentDepth));

    nlohmann::json envelope;
    try {
        envelope = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& error) {
        return fail(ErrorCode::Corrupt, fmt::format("the pool document is not valid JSON: {}", error.what()));
    }
    if (!envelope.is_object())
        return fail(ErrorCode::Corrupt, fmt::format("the pool document is a JSON {}, not an object", envelope.type_name()));

    const auto version = envelope.find("format_version");
    if (version == envelope.end() || !version->is_number_unsigned())
        return fail(ErrorCode::Corrupt, "the pool document has no unsigned integer \"format_version\"");
    if (version->get<std::uint64_t>() > kFormatVersion)
        return fail(ErrorCode::Unsupported, fmt::format("the pool document has format version {}; this volumesd reads up to {}",
                                                        version->get<std::uint64_t>(), kFormatVersion));
    if (version->get<std::uint64_t>() == 0)
        return fail(ErrorCode::Corrupt, "the pool document has format version 0");

    const auto seq = envelope.find("seq");
    if (seq == envelope.end() || !seq->is_number_unsigned())
        return fail(ErrorCode::Corrupt, "the pool document has no unsigned integer \"seq\"");

    const auto pool_uuid = envelope.find("pool_uuid");
    if (pool_uuid == envelope.end() || !pool_uuid->is_string())
        return fail(ErrorCode::Corrupt, "the pool document has no string \"pool_uuid\"");
    const auto uuid = Uuid::parse(pool_uuid->get_ref<const std::string&>());
    if (!uuid)
        return fail(ErrorCode::Corrupt, fmt::format("the pool document's pool_uuid: {}", uuid.error().message));

    const auto pool = envelope.find("pool");
    if (pool == envelope.end() || !pool->is_object())
        return fail(ErrorCode::Corrupt, "the pool document has no object \"pool\"");

    Document document;
    document.seq = seq->get<std::uint64_t>();
    document.pool_uuid = *uuid;
    document.pool = std::move(*pool);
    return document;
}

}  // namespace

Result<Document> decode_document(std::string_view text)
{
    try {
        return decode_bounded(text);
    } catch (const std::bad_alloc&) {
        return fail(ErrorCode::Corrupt, "out of memory decoding the pool document");
    } catch (const std::exception& error) {
        return fail(ErrorCode::Corrupt, fmt::format("the pool document cannot be decoded: {}", error.what()));
    } catch (...) {
        return fail(ErrorCode::Corrupt, "the pool document cannot be decoded");
    }
}

}  // namespace volumes::metadata
