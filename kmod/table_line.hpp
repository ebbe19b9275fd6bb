#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace volumes::kmod {

// One line of a dm table: "<start> <length> <target_type> <params>", in 512-byte sectors.
struct TableLine {
    std::uint64_t start = 0;
    std::uint64_t length = 0;
    std::string target_type;
    std::string params;

    std::string to_string() const;
    bool operator==(const TableLine&) const = default;
};

using Table = std::vector<TableLine>;

std::uint64_t table_length(const Table& table);
std::string to_string(const Table& table);  // lines joined with '\n'

}  // namespace volumes::kmod
