#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/call_options.hpp"

// What the exported objects do with a method call: hand it on, with who called and the
// object it was made on. The objects translate nothing; the request handler (requests/) does.
namespace volumes::bus {

struct CallContext {
    std::string sender;  // the caller's unique bus name
    Options options;
};

struct VolumeRef {
    std::string pool;
    std::string volume;
};

class MethodCalls {
public:
    virtual ~MethodCalls() = default;

    virtual void create_pool(CallContext call, std::string name, std::vector<std::string> devices,
                             sdbus::Result<sdbus::ObjectPath> result) = 0;

    virtual void import_pool(CallContext call, std::string pool, sdbus::Result<sdbus::ObjectPath> result) = 0;

    virtual void create_volume(CallContext call, std::string pool, std::string name, std::uint64_t size,
                               sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void create_thin_pool(CallContext call, std::string pool, std::string name, std::uint64_t data_size,
                                  std::uint64_t metadata_size, sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void destroy_pool(CallContext call, std::string pool, sdbus::Result<> result) = 0;
    virtual void add_member(CallContext call, std::string pool, std::string device, sdbus::Result<> result) = 0;
    virtual void remove_member(CallContext call, std::string pool, std::string device, sdbus::Result<> result) = 0;
    virtual void evacuate_member(CallContext call, std::string pool, std::string device,
                                 sdbus::Result<sdbus::ObjectPath> result) = 0;

    virtual void create_snapshot(CallContext call, VolumeRef volume, std::string name, std::uint64_t cow_size,
                                 sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void remove_volume(CallContext call, VolumeRef volume, sdbus::Result<> result) = 0;
    virtual void activate(CallContext call, VolumeRef volume, sdbus::Result<> result) = 0;
    virtual void deactivate(CallContext call, VolumeRef volume, sdbus::Result<> result) = 0;
    virtual void resize_volume(CallContext call, VolumeRef volume, std::uint64_t size,
                               sdbus::Result<std::uint64_t, std::string> result) = 0;
    virtual void rename_volume(CallContext call, VolumeRef volume, std::string new_name,
                               sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void convert_to_raid1(CallContext call, VolumeRef volume, sdbus::Result<sdbus::ObjectPath> result) = 0;

    virtual void split_track(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void split(CallContext call, VolumeRef array, std::string new_name,
                       sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void merge_tracked_image(CallContext call, VolumeRef image, sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void repair_raid1(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void add_raid1_image(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void remove_raid1_image(CallContext call, VolumeRef array, std::uint32_t slot,
                                    sdbus::Result<> result) = 0;

    virtual void merge_snapshot(CallContext call, VolumeRef snapshot, sdbus::Result<sdbus::ObjectPath, bool> result) = 0;

    virtual void create_thin(CallContext call, VolumeRef thin_pool, std::string name, std::uint64_t virtual_size,
                             sdbus::Result<sdbus::ObjectPath> result) = 0;
    virtual void reserve_metadata_snap(CallContext call, VolumeRef thin_pool,
                                       sdbus::Result<std::uint64_t, std::string, std::uint64_t> result) = 0;
    virtual void release_metadata_snap(CallContext call, VolumeRef thin_pool, sdbus::Result<> result) = 0;
    virtual void resize_thin_pool(CallContext call, VolumeRef thin_pool, std::uint64_t data_size,
                                  std::uint64_t metadata_size, sdbus::Result<> result) = 0;

    virtual void cancel_job(CallContext call, std::uint64_t job, sdbus::Result<> result) = 0;

    // Autoextend: Pool.SetAutoextend, and ThinPool.SetAutoextend / Snapshot.SetAutoextend on
    // the volume they are called on.
    virtual void set_pool_autoextend(CallContext call, std::string pool, std::string kind, std::uint32_t threshold,
                                     std::uint32_t step, sdbus::Result<> result) = 0;
    virtual void set_volume_autoextend(CallContext call, VolumeRef volume, std::uint32_t threshold, std::uint32_t step,
                                       sdbus::Result<> result) = 0;
};

// The caller of the method the object is dispatching now (bus thread, inside the call only).
CallContext current_call(const sdbus::IObject& object, Options options);

}  // namespace volumes::bus
