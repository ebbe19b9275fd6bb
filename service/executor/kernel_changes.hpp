#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kmod/table_line.hpp"
#include "service/executor/executor_error.hpp"
#include "service/executor/udev_waits.hpp"
#include "service/planner/plan.hpp"

namespace volumes::executor {

// The changes a transaction makes to the kernel before its metadata commits, each recorded
// once it took effect, so that a failure can take them all back.
class KernelChanges {
public:
    // A device with no table, so no udev event and no cookie.
    Result<void> create(const planner::Create& step);

    // `stale_inactive`: the device holds an inactive table this transaction did not load. It is
    // cleared first, because the kernel wrapper skips a reload identical to the live table and
    // the stale table would then be the one a Resume makes live.
    Result<void> load(const std::string& uuid, const kmod::Table& table, bool read_only, bool stale_inactive);

    // A new device goes live on its first table before the commit, or a device that grew on
    // its larger one (planner::ResumeNewChild).
    Result<void> resume_new_child(const planner::ResumeNewChild& step);

    Result<void> suspend(const planner::Suspend& step);

    // Clears the inactive tables loaded, puts the devices that grew back on their old tables,
    // resumes the suspended devices bottom-up (the reverse of their suspend order), removes the
    // created devices and those resumed as new children (a table-less device left by an
    // earlier transaction is removed rather than emptied again), then waits for udev. Returns what could not be undone, empty when everything was.
    std::vector<std::string> revert();

    const std::vector<std::string>& created() const { return created_; }

    // The cookies of the whole transaction, for the steps after the commit too.
    UdevWaits& udev() { return udev_; }

private:
    std::vector<std::string> created_;
    std::vector<std::string> loaded_;
    struct Suspended {
        std::string uuid;
        std::optional<kmod::UdevIdentity> udev_identity;
    };
    std::vector<Suspended> suspended_;
    std::vector<std::string> resumed_new_;
    std::vector<planner::ResumeNewChild> grown_;
    UdevWaits udev_;
};

}  // namespace volumes::executor
