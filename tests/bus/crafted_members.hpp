#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/metadata/document.hpp"
#include "service/metadata/label.hpp"

// Disks as a hostile or foreign machine would leave them, made with the project's own
// encoder and then altered. Failures throw.
namespace volumes::test {

// The first `bytes` of the device (label, metadata area and a little data).
std::string device_head(const std::string& device, std::uint64_t bytes = 8 * 1024 * 1024);

metadata::Label label_of(const std::string& device);
// The device's committed document.
metadata::Document committed_document(const std::string& device);

// A new label claiming `pool_uuid` with a fresh member uuid, a formatted metadata area, and
// `pool` committed under `seq` as the pool object of a document of that pool.
metadata::Label write_claiming_member(const std::string& device, const metadata::Uuid& pool_uuid,
                                      const nlohmann::json& pool, std::uint64_t seq);

// Commits the text under `seq` on a device that has a label (format first when `format`).
void commit_raw(const std::string& device, const std::string& text, std::uint64_t seq, bool format);

// The committed pool object of `members`' first device, changed by `change`, committed on
// every one of them under the next seq (what another machine's volumesd would leave).
void rewrite_pool(const std::vector<std::string>& members, const std::function<void(nlohmann::json&)>& change);

// A label sector with every field as given and a correct checksum, no matter whether the
// layout makes sense.
void write_raw_label(const std::string& device, const metadata::Uuid& pool_uuid, std::uint64_t device_size,
                     std::uint64_t metadata_offset, std::uint64_t metadata_size, std::uint64_t data_start,
                     std::uint64_t extent_size);

// /etc/machine-id's 32 hex digits.
std::string this_machine_id();

}  // namespace volumes::test
