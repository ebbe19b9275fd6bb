#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "kmod/device_id.hpp"
#include "kmod/device_info.hpp"
#include "kmod/error.hpp"
#include "kmod/udev_identity.hpp"

struct dm_task;

namespace volumes::kmod {

class UdevCookie;

// Owns one libdevmapper task. The first setter that fails is remembered and returned by
// run() instead of running, so a caller states what it wants and checks once. Every error
// names the operation, the device and what libdevmapper and the kernel said.
class DmTask {
public:
    DmTask(int type, std::string_view operation);
    DmTask(int type, std::string_view operation, const DeviceId& device);

    // Records a failure if setter_result is 0 (libdevmapper setters return 1 on success).
    void set(int setter_result, std::string_view what, ErrorCode code = ErrorCode::Kernel);
    void add_table(const Table& table);
    void set_cookie(UdevCookie& cookie, UdevIdentity identity);

    Result<void> run();

    Result<DeviceInfo> info();
    Table targets();  // the table, status or wait-event lines the task returned

    dm_task* get() const { return task_.get(); }

private:
    struct Destroy {
        void operator()(dm_task* task) const;
    };
    std::unique_ptr<dm_task, Destroy> task_;
    std::string_view operation_;
    std::string device_;
    std::optional<Error> first_error_;
};

}  // namespace volumes::kmod
