#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "service/metadata/metadata_error.hpp"
#include "service/metadata/uuid.hpp"

namespace volumes::metadata {

// The pool document: the envelope every copy carries around the pool model. As JSON:
//   {"format_version": 1, "seq": <u64>, "pool_uuid": "<uuid>", "pool": {...}}
// The pool object is opaque here; the pool model defines it.
struct Document {
    std::uint64_t seq = 0;
    Uuid pool_uuid;
    nlohmann::json pool = nlohmann::json::object();

    bool operator==(const Document&) const = default;
};

// Compact JSON. InvalidArgument if `pool` is not an object, holds a string that is not
// valid UTF-8 or nests deeper than kMaxDocumentDepth; NoSpace if the text would be longer
// than kMaxDocumentSize.
Result<std::string> encode_document(const Document& document);

// Corrupt: longer than kMaxDocumentSize or nested deeper than kMaxDocumentDepth (both refused
// before anything is parsed), not JSON, or a required key is missing or of the wrong type.
// Unsupported: a newer format_version. Never throws, not even std::bad_alloc.
Result<Document> decode_document(std::string_view text);

}  // namespace volumes::metadata
