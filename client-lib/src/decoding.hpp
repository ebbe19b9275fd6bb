#pragma once

#include <map>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "volumes/client/objects.hpp"

namespace volumes::client {

using Properties = std::map<std::string, sdbus::Variant>;
using InterfacesAndProperties = std::map<std::string, Properties>;
using ManagedObjects = std::map<sdbus::ObjectPath, InterfacesAndProperties>;

// From GetManagedObjects' answer. Objects of no known interface are left out; a property
// of the wrong type throws BusError.
ObjectList decode_objects(const ManagedObjects& objects);

// Overwrites the job's fields named in `changed` (Job interface properties).
void apply_job_properties(JobInfo& job, const Properties& changed);

}  // namespace volumes::client
