#include "service/metadata/metadata_area.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include <fmt/core.h>

#include "service/metadata/block_io.hpp"
#include "service/metadata/checksum.hpp"

namespace volumes::metadata {

namespace {

std::uint64_t slot_size_of(const Label& label)
{
    return slot_size_of_area(label.metadata_size);
}

std::uint64_t slot_offset(const Label& label, std::uint32_t slot)
{
    return kSlotsOffset + slot * slot_size_of(label);
}

std::string member_name(const Label& label)
{
    return fmt::format("member {} of pool {}", label.member_uuid.to_string(), label.pool_uuid.to_string());
}

std::optional<std::string> pointer_problem(const Label& label, const CopyPointer& pointer, std::string_view which)
{
    if (pointer.slot > 1)
        return fmt::format("its {} copy is in slot {}", which, pointer.slot);
    if (pointer.offset != slot_offset(label, pointer.slot))
        return fmt::format("its {} copy is at {}, not at the start of slot {}", which, pointer.offset, pointer.slot);
    if (pointer.length == 0 || pointer.length > slot_size_of(label))
        return fmt::format("its {} copy has {} bytes, outside 1..{}", which, pointer.length, slot_size_of(label));
    return std::nullopt;
}

// The checks a header sector must pass beyond its own checksum, against the label it was
// opened with.
std::optional<std::string> header_problem(const Label& label, const AreaHeader& header)
{
    if (header.pool_uuid != label.pool_uuid || header.member_uuid != label.member_uuid)
        return fmt::format("it belongs to member {} of pool {}", header.member_uuid.to_string(), header.pool_uuid.to_string());
    if (header.generation == 0)
        return std::string("its generation is 0");
    if (header.committed)
        if (auto problem = pointer_problem(label, *header.committed, "committed"))
            return problem;
    if (header.precommitted)
        if (auto problem = pointer_problem(label, *header.precommitted, "precommitted"))
            return problem;
    if (header.committed && header.precommitted) {
        if (header.committed->slot == header.precommitted->slot)
            return std::string("its committed and precommitted copies share a slot");
        if (header.precommitted->seq <= header.committed->seq)
            return fmt::format("its precommitted seq {} is not above its committed seq {}", header.precommitted->seq,
                               header.committed->seq);
    }
    return std::nullopt;
}

}  // namespace

Result<MetadataArea> MetadataArea::open(int fd, const Label& label)
{
    // A label not from read_label could describe an area of any size; its pointers are only
    // bounded by the slot size, so that must be within the format's limit before any read.
    if (auto valid = check_label_layout(label); !valid)
        return std::unexpected(valid.error());
    std::vector<std::uint8_t> block(kSlotsOffset);
    if (auto read = read_exact(fd, label.metadata_offset, block); !read)
        return std::unexpected(read.error());

    std::optional<AreaHeader> best;
    int best_sector = 0;
    std::array<std::string, 2> problems;
    int never_written = 0;
    for (int sector = 0; sector < 2; ++sector) {
        const auto bytes = std::span(block).subspan(kHeaderOffsets[sector]).first<kSectorSize>();
        const auto header = decode_header(bytes);
        if (!header) {
            if (header.error().code == ErrorCode::Unsupported)
                return fail(ErrorCode::Unsupported,
                            fmt::format("metadata header {} of {}: {}", sector, member_name(label), header.error().message));
            if (header.error().code == ErrorCode::NotFound)
                ++never_written;
            problems[sector] = header.error().message;
            continue;
        }
        if (auto problem = header_problem(label, *header)) {
            problems[sector] = *problem;
            continue;
        }
        if (!best || header->generation > best->generation) {
            best = *header;
            best_sector = sector;
        }
    }
    if (never_written == 2)
        return fail(ErrorCode::NotFound, fmt::format("{} has no metadata area (never formatted)", member_name(label)));
    if (!best)
        return fail(ErrorCode::Corrupt, fmt::format("{} has no valid metadata header: sector 0: {}; sector 1: {}",
                                                    member_name(label), problems[0], problems[1]));
    return MetadataArea(fd, label, *best, best_sector);
}

Result<MetadataArea> MetadataArea::format(int fd, const Label& label)
{
    if (auto valid = check_label_layout(label); !valid)
        return std::unexpected(valid.error());
    AreaHeader header;
    header.pool_uuid = label.pool_uuid;
    header.member_uuid = label.member_uuid;
    header.generation = 1;
    // Sector 1 is zeroed rather than given a second empty header, so no header of the area's
    // previous life can outrank the fresh one.
    std::vector<std::uint8_t> block(kSlotsOffset);
    const auto sector = encode_header(header);
    std::copy(sector.begin(), sector.end(), block.begin() + static_cast<std::ptrdiff_t>(kHeaderOffsets[0]));
    if (auto written = write_exact(fd, label.metadata_offset, block); !written)
        return std::unexpected(written.error());
    if (auto flushed = flush(fd); !flushed)
        return std::unexpected(flushed.error());
    return MetadataArea(fd, label, header, 0);
}

std::uint64_t MetadataArea::slot_size() const
{
    return slot_size_of(label_);
}

Result<void> MetadataArea::write_precommitted(std::string_view document, std::uint64_t seq)
{
    if (header_.precommitted)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("{} already holds a precommitted copy (seq {}); commit or drop it first", member_name(label_),
                                header_.precommitted->seq));
    if (header_.committed && seq <= header_.committed->seq)
        return fail(ErrorCode::InvalidArgument, fmt::format("seq {} is not above the committed seq {} of {}", seq,
                                                            header_.committed->seq, member_name(label_)));
    if (document.empty())
        return fail(ErrorCode::InvalidArgument, "the metadata document is empty");
    if (document.size() > slot_size())
        return fail(ErrorCode::NoSpace,
                    fmt::format("a metadata document of {} bytes does not fit the {}-byte slots of {} (metadata area of {} "
                                "bytes); the pool needs members with a larger metadata area",
                                document.size(), slot_size(), member_name(label_), label_.metadata_size));

    CopyPointer pointer;
    pointer.slot = header_.committed ? 1 - header_.committed->slot : 0;
    pointer.offset = slot_offset(label_, pointer.slot);
    pointer.length = document.size();
    pointer.seq = seq;
    pointer.crc = crc32_of(document);

    const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(document.data()), document.size());
    if (auto written = write_exact(fd_, label_.metadata_offset + pointer.offset, bytes); !written)
        return written;
    // The document must be on disk before any header points at it.
    if (auto flushed = flush(fd_); !flushed)
        return flushed;

    auto next = header_;
    next.precommitted = pointer;
    return write_header(next);
}

Result<void> MetadataArea::commit()
{
    if (!header_.precommitted)
        return fail(ErrorCode::InvalidArgument, fmt::format("{} has no precommitted copy to commit", member_name(label_)));
    auto next = header_;
    next.committed = header_.precommitted;
    next.precommitted.reset();
    return write_header(next);
}

Result<void> MetadataArea::drop_precommitted()
{
    if (!header_.precommitted)
        return {};
    auto next = header_;
    next.precommitted.reset();
    return write_header(next);
}

Result<StoredCopy> MetadataArea::read_committed() const
{
    if (!header_.committed)
        return fail(ErrorCode::NotFound, fmt::format("{} has no committed metadata", member_name(label_)));
    return read_copy(*header_.committed, "committed");
}

Result<StoredCopy> MetadataArea::read_precommitted() const
{
    if (!header_.precommitted)
        return fail(ErrorCode::NotFound, fmt::format("{} has no precommitted metadata", member_name(label_)));
    return read_copy(*header_.precommitted, "precommitted");
}

Result<void> MetadataArea::write_header(AreaHeader next)
{
    next.generation = header_.generation + 1;
    const int target = 1 - current_sector_;
    const auto sector = encode_header(next);
    if (auto written = write_exact(fd_, label_.metadata_offset + kHeaderOffsets[target], sector); !written)
        return written;
    if (auto flushed = flush(fd_); !flushed)
        return flushed;
    header_ = next;
    current_sector_ = target;
    return {};
}

Result<StoredCopy> MetadataArea::read_copy(const CopyPointer& pointer, std::string_view which) const
{
    StoredCopy copy;
    copy.seq = pointer.seq;
    copy.bytes.resize(pointer.length);
    const auto bytes = std::span(reinterpret_cast<std::uint8_t*>(copy.bytes.data()), copy.bytes.size());
    if (auto read = read_exact(fd_, label_.metadata_offset + pointer.offset, bytes); !read)
        return std::unexpected(read.error());
    const auto actual = crc32_of(copy.bytes);
    if (actual != pointer.crc)
        return fail(ErrorCode::Corrupt,
                    fmt::format("the {} metadata copy (seq {}, slot {}) of {} does not match its checksum (stored {:08x}, "
                                "computed {:08x})",
                                which, pointer.seq, pointer.slot, member_name(label_), pointer.crc, actual));
    return copy;
}

}  // namespace volumes::metadata
