#include "service/engine/host_identity.hpp"

#include <cstring>

#include <fmt/core.h>
#include <systemd/sd-id128.h>

namespace volumes::engine {

Result<std::string> this_host()
{
    sd_id128_t id;
    if (const int rc = sd_id128_get_machine(&id); rc < 0)
        return fail(ErrorCode::Failed,
                    fmt::format("this machine has no machine-id (/etc/machine-id: {}), so it owns no pool",
                                std::strerror(-rc)));
    char text[SD_ID128_STRING_MAX];
    return std::string(sd_id128_to_string(id, text));
}

}  // namespace volumes::engine
