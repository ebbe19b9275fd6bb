#pragma once

#include <string>

namespace volumes::kmod {

// libdevmapper reports failures through a global log callback, not through its return
// values. This routes that callback into a per-thread buffer so each failed task can
// carry the library's own explanation ("reload ioctl on ... failed: ...") in its Error.
void install_dm_log_capture();
void clear_dm_log();
std::string last_dm_log_error();

}  // namespace volumes::kmod
