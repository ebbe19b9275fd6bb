#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "kmod/table_line.hpp"

namespace volumes::kmod {
// So that a failed comparison of live tables prints the lines.
void PrintTo(const TableLine& line, std::ostream* out);
}  // namespace volumes::kmod

namespace volumes::test {

// Problems with the live tables of the dm devices whose uuid starts with `uuid_prefix`: a dm
// device that two live tables stack on (except an origin's "-real", which its snapshot-origin
// or snapshot-merge and its snapshots all name as their origin device), or two linear mappings that overlap on one block
// device. Empty when there are none.
std::vector<std::string> shared_sub_devices(const std::string& uuid_prefix);

// The live table of every dm device whose uuid starts with `uuid_prefix`, by device name.
std::map<std::string, kmod::Table> live_tables(const std::string& uuid_prefix);

}  // namespace volumes::test
