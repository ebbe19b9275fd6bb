#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "service/metadata/metadata_error.hpp"

namespace volumes::metadata {

// A 16-byte identifier of a pool or a member, stored raw on disk and shown in the canonical
// 8-4-4-4-12 lower-case text form.
struct Uuid {
    std::array<std::uint8_t, 16> bytes{};

    // A random (version 4) uuid from the kernel's random pool.
    static Result<Uuid> generate();
    // Canonical text, either case; nothing else (no braces, no "urn:uuid:").
    static Result<Uuid> parse(std::string_view text);

    std::string to_string() const;
    bool is_nil() const;

    // Spelled out rather than defaulted: libc++ 16 (the fuzzers' library) has no operator<=>
    // for std::array, so a defaulted one is deleted there.
    bool operator==(const Uuid&) const = default;
    std::strong_ordering operator<=>(const Uuid& other) const
    {
        return std::memcmp(bytes.data(), other.bytes.data(), bytes.size()) <=> 0;
    }
};

}  // namespace volumes::metadata
