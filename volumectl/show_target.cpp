#include "show_target.hpp"

#include <volumes/client/objects.hpp>

namespace volumectl {

namespace vc = volumes::client;

ShowTarget classify_show_target(std::string_view target)
{
    const std::string root(vc::root_path);
    const std::string jobs = root + "/jobs/";
    ShowTarget shown;
    shown.name = target;
    if (target.starts_with(jobs)) {
        shown.kind = ShowTarget::Kind::Job;
        shown.job_path = target;
    } else if (!target.empty() && target.find_first_not_of("0123456789") == std::string_view::npos) {
        shown.kind = ShowTarget::Kind::PoolOrJob;
        shown.job_path = jobs + shown.name;
    } else if (target.find('/') != std::string_view::npos && !target.starts_with(root + "/pools/")) {
        shown.kind = ShowTarget::Kind::Volume;
    }
    return shown;
}

}  // namespace volumectl
