#include "crafted_members.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <fmt/core.h>

#include "service/devices/block_device.hpp"
#include "service/metadata/byte_order.hpp"
#include "service/metadata/checksum.hpp"
#include "service/metadata/format.hpp"
#include "service/metadata/metadata_area.hpp"
#include "service/metadata/uuid.hpp"

namespace volumes::test {

namespace {

devices::BlockDevice open_device(const std::string& device)
{
    auto opened = devices::BlockDevice::open(device, true);
    if (!opened)
        throw std::runtime_error(fmt::format("opening {}: {}", device, opened.error().message));
    return std::move(*opened);
}

template <class T>
T must(metadata::Result<T> result, const std::string& what)
{
    if (!result)
        throw std::runtime_error(fmt::format("{}: {}", what, result.error().message));
    return std::move(*result);
}

void must(metadata::Result<void> result, const std::string& what)
{
    if (!result)
        throw std::runtime_error(fmt::format("{}: {}", what, result.error().message));
}

std::string encode(const metadata::Document& document)
{
    return must(metadata::encode_document(document), "encoding a document");
}

}  // namespace

std::string device_head(const std::string& device, std::uint64_t bytes)
{
    std::ifstream in(device, std::ios::binary);
    std::string head(bytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(bytes));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head.empty())
        throw std::runtime_error("cannot read " + device);
    return head;
}

metadata::Label label_of(const std::string& device)
{
    auto opened = open_device(device);
    return must(metadata::read_label(opened.fd()), "reading the label of " + device);
}

metadata::Document committed_document(const std::string& device)
{
    auto opened = open_device(device);
    const auto label = must(metadata::read_label(opened.fd()), "reading the label of " + device);
    const auto area = must(metadata::MetadataArea::open(opened.fd(), label), "opening the area of " + device);
    const auto copy = must(area.read_committed(), "reading the committed copy of " + device);
    return must(metadata::decode_document(copy.bytes), "decoding the document of " + device);
}

void commit_raw(const std::string& device, const std::string& text, std::uint64_t seq, bool format)
{
    auto opened = open_device(device);
    const auto label = must(metadata::read_label(opened.fd()), "reading the label of " + device);
    auto area = format ? must(metadata::MetadataArea::format(opened.fd(), label), "formatting " + device)
                       : must(metadata::MetadataArea::open(opened.fd(), label), "opening the area of " + device);
    must(area.drop_precommitted(), "dropping a precommitted copy on " + device);
    must(area.write_precommitted(text, seq), "writing a document to " + device);
    must(area.commit(), "committing on " + device);
}

metadata::Label write_claiming_member(const std::string& device, const metadata::Uuid& pool_uuid,
                                      const nlohmann::json& pool, std::uint64_t seq)
{
    metadata::Label label;
    {
        auto opened = open_device(device);
        const auto member = must(metadata::Uuid::generate(), "a member uuid");
        label = must(metadata::plan_label(pool_uuid, member, opened.size()), "planning a label for " + device);
        must(metadata::write_label(opened.fd(), label), "writing the label of " + device);
    }
    commit_raw(device, encode({seq, pool_uuid, pool}), seq, true);
    return label;
}

void rewrite_pool(const std::vector<std::string>& members, const std::function<void(nlohmann::json&)>& change)
{
    auto document = committed_document(members.front());
    change(document.pool);
    document.seq += 1;
    const auto text = encode(document);
    for (const auto& member : members)
        commit_raw(member, text, document.seq, false);
}

void write_raw_label(const std::string& device, const metadata::Uuid& pool_uuid, std::uint64_t device_size,
                     std::uint64_t metadata_offset, std::uint64_t metadata_size, std::uint64_t data_start,
                     std::uint64_t extent_size)
{
    std::array<std::uint8_t, metadata::kSectorSize> sector{};
    std::memcpy(sector.data(), "VOLSDLBL", 8);
    metadata::put_le32(sector, 8, metadata::kFormatVersion);
    std::memcpy(sector.data() + 16, pool_uuid.bytes.data(), 16);
    const auto member = must(metadata::Uuid::generate(), "a member uuid");
    std::memcpy(sector.data() + 32, member.bytes.data(), 16);
    metadata::put_le64(sector, 48, device_size);
    metadata::put_le64(sector, 56, metadata_offset);
    metadata::put_le64(sector, 64, metadata_size);
    metadata::put_le64(sector, 72, data_start);
    metadata::put_le64(sector, 80, extent_size);
    metadata::put_le32(sector, 508, metadata::crc32_of(std::span<const std::uint8_t>(sector).first(508)));
    auto opened = open_device(device);
    if (::pwrite(opened.fd(), sector.data(), sector.size(), static_cast<off_t>(metadata::kLabelOffset)) !=
            static_cast<ssize_t>(sector.size()) ||
        ::fsync(opened.fd()) != 0)
        throw std::runtime_error(fmt::format("writing a label to {}: {}", device, std::strerror(errno)));
}

std::string this_machine_id()
{
    std::ifstream in("/etc/machine-id");
    std::string id;
    if (!(in >> id) || id.size() != 32)
        throw std::runtime_error("/etc/machine-id holds no machine-id");
    return id;
}

}  // namespace volumes::test
