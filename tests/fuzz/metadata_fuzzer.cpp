// libFuzzer target over what start-up reads from a disk: the input is laid on an in-memory
// member device from the label's sector on (offset 4 KiB), then read_label, MetadataArea::open,
// read_committed / read_precommitted and decode_document run on it; the raw input also goes
// straight to decode_document. Each may refuse, but must not crash, throw, allocate beyond the
// format's limits or read outside the device, and what it accepts must keep its invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <sys/mman.h>
#include <unistd.h>

#include "service/metadata/document.hpp"
#include "service/metadata/format.hpp"
#include "service/metadata/label.hpp"
#include "service/metadata/metadata_area.hpp"

namespace {

namespace md = volumes::metadata;

// Every length in the label must fit this device for the label to be read at all.
constexpr std::uint64_t kDeviceSize = 16 * md::kMiB;

void require(bool holds)
{
    if (!holds)
        __builtin_trap();
}

// A refusal says why, and is never Io: every read the format allows lies inside the device.
void require_refusal(const md::Error& error)
{
    require(!error.message.empty());
    require(error.code != md::ErrorCode::Io);
}

int device()
{
    static const int fd = [] {
        const int created = ::memfd_create("metadata-fuzzer", MFD_CLOEXEC);
        if (created < 0)
            std::abort();
        return created;
    }();
    return fd;
}

// The device holds the input at kLabelOffset and zeros everywhere else.
void lay_out(std::string_view input)
{
    const int fd = device();
    const auto room = kDeviceSize - md::kLabelOffset;
    if (input.size() > room)
        input = input.substr(0, room);
    if (::ftruncate(fd, 0) != 0 || ::ftruncate(fd, static_cast<off_t>(kDeviceSize)) != 0)
        std::abort();
    if (::pwrite(fd, input.data(), input.size(), static_cast<off_t>(md::kLabelOffset)) != static_cast<ssize_t>(input.size()))
        std::abort();
}

void fuzz_document(std::string_view text)
{
    const auto document = md::decode_document(text);
    if (!document)
        return require(document.error().code == md::ErrorCode::Corrupt || document.error().code == md::ErrorCode::Unsupported);
    require(text.size() <= md::kMaxDocumentSize);
    require(document->pool.is_object());
    const auto encoded = md::encode_document(*document);
    require(encoded.has_value());
    const auto decoded = md::decode_document(*encoded);
    require(decoded.has_value() && *decoded == *document);
}

void fuzz_copy(const md::MetadataArea& area, const md::Result<md::StoredCopy>& copy)
{
    if (!copy)
        return require_refusal(copy.error());
    require(!copy->bytes.empty() && copy->bytes.size() <= area.slot_size());
    fuzz_document(copy->bytes);
}

void fuzz_member()
{
    const auto label = md::read_label(device());
    if (!label)
        return require_refusal(label.error());
    require(label->device_size <= kDeviceSize);
    require(label->metadata_size <= md::kMaxMetadataSize && label->extent_size <= md::kMaxExtentSize);
    require(label->metadata_offset + label->metadata_size <= label->data_start);
    require(label->extent_count() >= 1);

    const auto area = md::MetadataArea::open(device(), *label);
    if (!area)
        return require_refusal(area.error());
    require(area->slot_size() <= md::kMaxSlotSize);
    fuzz_copy(*area, area->read_committed());
    fuzz_copy(*area, area->read_precommitted());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    fuzz_document(input);
    lay_out(input);
    fuzz_member();
    return 0;
}
