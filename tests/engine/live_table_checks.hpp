#pragma once

#include <string>
#include <vector>

namespace volumes::test {

// Problems with the live tables of the dm devices whose uuid starts with `uuid_prefix`: a dm
// device that two live tables stack on, or two linear mappings that overlap on one block
// device. Empty when there are none.
std::vector<std::string> shared_sub_devices(const std::string& uuid_prefix);

}  // namespace volumes::test
