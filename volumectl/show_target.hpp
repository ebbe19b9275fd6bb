#pragma once

#include <string>
#include <string_view>

namespace volumectl {

// What `volumectl show TARGET` names, told from the text alone (no bus traffic).
//   a job's object path (/org/example/Volumes/jobs/<n>)   Job
//   all digits ("86400123457")                            PoolOrJob: a pool of that name
//                                                         if there is one, else job <n>
//   POOL/VOLUME or a volume's object path                 Volume
//   POOL or a pool's object path                          Pool
// A pool whose name is all digits wins over the job of that number: job numbers are the
// microseconds since boot when volumesd started, so a short number is never a job, and such
// a pool's `show` keeps working; its job is still shown by its object path.
struct ShowTarget {
    enum class Kind { Pool, Volume, Job, PoolOrJob };
    Kind kind = Kind::Pool;
    std::string name;      // the target as given (Pool, Volume, PoolOrJob)
    std::string job_path;  // Job and PoolOrJob
};

ShowTarget classify_show_target(std::string_view target);

}  // namespace volumectl
