#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "service/metadata/document.hpp"
#include "service/metadata/label.hpp"
#include "service/metadata/metadata_error.hpp"
#include "service/metadata/uuid.hpp"

namespace volumes::metadata {

// A member device as the start-up scan found it: an open descriptor (borrowed) and its label.
struct MemberDevice {
    int fd = -1;
    Label label;
};

struct MemberReport {
    Uuid member_uuid;
    std::optional<std::uint64_t> committed_seq;     // of its valid committed copy
    std::optional<std::uint64_t> precommitted_seq;  // of its valid precommitted copy
    // It does not hold the pool's committed document (older, corrupt, missing or unreadable):
    // the caller rewrites it.
    bool stale = false;
    std::vector<std::string> problems;  // what was wrong with it, for the log
};

// A precommitted document above the committed one: a transaction that did not commit.
// Start-up reconciliation decides whether it rolls forward or back.
struct PendingCopy {
    Document document;
    std::vector<Uuid> members;  // that hold it
};

struct PoolMetadata {
    Document committed;                       // the highest valid committed seq on any member
    std::vector<MemberReport> members;        // in the order given
    std::optional<PendingCopy> precommitted;  // the highest valid one with a seq above `committed`
};

// Reads every member's metadata area and picks the pool's committed document. A copy counts
// only if its checksum matches, it decodes, and its seq and pool uuid match its header and
// label; a member without such a copy at the winning seq is stale, not an error.
// InvalidArgument: no members, members of different pools, or one member given twice.
// NotFound: no member has a committed copy (the pool's creation never committed).
// Corrupt: no member has a valid committed copy, or two members hold different documents
// under the same seq. Unsupported: any member written by a newer format version.
Result<PoolMetadata> read_pool(std::span<const MemberDevice> members);

}  // namespace volumes::metadata
