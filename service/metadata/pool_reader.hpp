#pragma once

#include <cstdint>
#include <functional>
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
    std::size_t device = 0;  // index into the devices given
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

// A device that claims the pool but that the winning document does not list.
struct Intruder {
    std::size_t device = 0;  // index into the devices given
    Uuid member_uuid;        // as its label claims
    std::string reason;
};

struct PoolMetadata {
    Document committed;                       // the winning committed document
    std::vector<MemberReport> members;        // the devices it lists, in the order given
    std::vector<Intruder> intruders;          // never read for the document, never to be written
    std::optional<PendingCopy> precommitted;  // the highest valid one with a seq above `committed`
};

// What a document lists as the pool's members: member uuid and extent count.
struct ListedMember {
    Uuid member_uuid;
    std::uint64_t extent_count = 0;
};
// Decodes a document's pool object and applies every rule the pool model has; returns the
// members it lists, or why the document does not count (it is then never a winner and never
// written anywhere).
using DocumentCheck = std::function<Result<std::vector<ListedMember>>(const Document&)>;

// Reads every device's metadata area and picks the pool's committed document (FORMAT.md, "A
// pool across its members"). A copy counts only if its checksum matches, its envelope decodes,
// its seq and pool uuid match its header and label, `check` accepts it, and it lists the device
// that holds it with the extent count of that device's label. The winner is the highest such
// copy that every other device it lists confirms (holds the same bytes, or a copy that lists a
// holder of the winner); devices it does not list are intruders. A member without the winning
// copy is stale, not an error.
// InvalidArgument: no devices, devices of different pools, or one member uuid given twice.
// NotFound: no device has a committed copy (the pool's creation never committed).
// Corrupt: no acceptable committed copy; two devices hold different documents under the
// winning seq; or two sets of devices each claim to be the whole pool without listing each
// other (an intruder cannot be told from the pool: detach it). Unsupported: a member
// written by a newer format version.
Result<PoolMetadata> read_pool(std::span<const MemberDevice> devices, const DocumentCheck& check);
// Checks the envelope only and takes every device given as listed: for the slot mechanics'
// own tests, never for devices found on a machine.
Result<PoolMetadata> read_pool(std::span<const MemberDevice> devices);

}  // namespace volumes::metadata
