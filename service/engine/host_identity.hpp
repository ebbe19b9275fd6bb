#pragma once

#include <string>

#include "service/engine/engine_error.hpp"

namespace volumes::engine {

// This machine's systemd machine-id (/etc/machine-id), the owner recorded in the pools it
// creates or imports. Failed when the machine has none (an initramfs without it, a container
// without /etc/machine-id): such a host owns no pool.
Result<std::string> this_host();

}  // namespace volumes::engine
