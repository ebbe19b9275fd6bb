#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "service/metadata/area_header.hpp"
#include "service/metadata/label.hpp"
#include "service/metadata/metadata_error.hpp"

namespace volumes::metadata {

// A copy of the pool document read back from its slot and verified against its checksum.
struct StoredCopy {
    std::uint64_t seq = 0;
    std::string bytes;
};

// The metadata area of one member: two header sectors and two document slots (format.hpp).
// A transaction is write_precommitted(), then commit() or drop_precommitted(); each rewrites
// exactly one header sector, the one that does not hold the current header, so a torn
// header write leaves the previous state readable. The precommitted document goes into the
// slot the committed copy does not use, so a torn document write never touches the
// committed copy. Each step is flushed (fdatasync) before it returns.
//
// The file descriptor is borrowed: it must stay open while the area is used.
class MetadataArea {
public:
    // Takes the valid header sector with the highest generation. NotFound: neither sector was
    // ever written (the area is not formatted). Corrupt: neither is valid, or the valid one
    // belongs to another pool or member than the label. Unsupported: a sector of a newer format.
    // InvalidArgument: a label read_label would refuse (check_label_layout), so no copy read
    // through the area is ever longer than kMaxSlotSize.
    static Result<MetadataArea> open(int fd, const Label& label);

    // Makes a fresh area: no committed and no precommitted copy. Whatever the area held is lost.
    // InvalidArgument: a label read_label would refuse.
    static Result<MetadataArea> format(int fd, const Label& label);

    // Writes `document` with sequence number `seq` into the free slot, flushes, then writes a
    // header that keeps the committed copy and points at the new one as precommitted.
    // InvalidArgument: a precommitted copy is already there, or `seq` is not above the
    // committed one. NoSpace: the document is larger than a slot.
    Result<void> write_precommitted(std::string_view document, std::uint64_t seq);

    // The precommitted copy becomes the committed one. InvalidArgument if there is none.
    Result<void> commit();

    // Forgets the precommitted copy; the committed one stays. Nothing is written if there is none.
    Result<void> drop_precommitted();

    // Read back from disk and checked against the header's crc32. NotFound: no such copy.
    // Corrupt: the bytes on disk do not match their checksum.
    Result<StoredCopy> read_committed() const;
    Result<StoredCopy> read_precommitted() const;

    const std::optional<CopyPointer>& committed() const { return header_.committed; }
    const std::optional<CopyPointer>& precommitted() const { return header_.precommitted; }
    std::uint64_t generation() const { return header_.generation; }
    // The header sector (0 or 1) that holds the current header; the next update writes the other.
    int current_sector() const { return current_sector_; }
    // The largest document the area holds.
    std::uint64_t slot_size() const;
    const Label& label() const { return label_; }

private:
    MetadataArea(int fd, const Label& label, const AreaHeader& header, int current_sector)
        : fd_(fd), label_(label), header_(header), current_sector_(current_sector)
    {
    }

    Result<void> write_header(AreaHeader next);
    Result<StoredCopy> read_copy(const CopyPointer& pointer, std::string_view which) const;

    int fd_;
    Label label_;
    AreaHeader header_;
    int current_sector_;
};

}  // namespace volumes::metadata
