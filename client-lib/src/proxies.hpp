#pragma once

#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "volumes/Job_proxy.h"
#include "volumes/Manager_proxy.h"
#include "volumes/Pool_proxy.h"
#include "volumes/Raid1_proxy.h"
#include "volumes/Snapshot_proxy.h"
#include "volumes/Thin_proxy.h"
#include "volumes/ThinPool_proxy.h"
#include "volumes/TrackedImage_proxy.h"
#include "volumes/Volume_proxy.h"
#include "volumes/client/objects.hpp"

// Proxies over the generated interfaces for method calls only: they are never registered,
// so they add no match rules and their signal handlers never run. Signals go through the
// watches of job_wait.cpp and subscriptions.cpp.
namespace volumes::client {

namespace generated = org::example::Volumes;

template <class... Interfaces>
class CallProxy : public sdbus::ProxyInterfaces<Interfaces...> {
public:
    CallProxy(sdbus::IConnection& connection, const std::string& path)
        : sdbus::ProxyInterfaces<Interfaces...>(connection, bus_name, path)
    {
    }
};

class ManagerCalls : public CallProxy<generated::Manager_proxy, sdbus::ObjectManager_proxy> {
public:
    ManagerCalls(sdbus::IConnection& connection) : CallProxy(connection, root_path) {}

private:
    void onInterfacesAdded(const sdbus::ObjectPath&,
                           const std::map<std::string, std::map<std::string, sdbus::Variant>>&) override {}
    void onInterfacesRemoved(const sdbus::ObjectPath&, const std::vector<std::string>&) override {}
};

class PoolCalls : public CallProxy<generated::Pool_proxy> {
public:
    using CallProxy::CallProxy;

private:
    void onSpaceWarning(const sdbus::ObjectPath&, const std::string&, const std::string&) override {}
};

using VolumeCalls = CallProxy<generated::Volume_proxy>;
using TrackedImageCalls = CallProxy<generated::TrackedImage_proxy>;
using ThinPoolCalls = CallProxy<generated::ThinPool_proxy>;

class Raid1Calls : public CallProxy<generated::Raid1_proxy> {
public:
    using CallProxy::CallProxy;

private:
    void onSyncProgress(const std::string&, const double&, const uint64_t&, const uint64_t&) override {}
};

class SnapshotCalls : public CallProxy<generated::Snapshot_proxy> {
public:
    using CallProxy::CallProxy;

private:
    void onMergeCompleted(const sdbus::ObjectPath&, const bool&, const std::string&) override {}
};

class JobCalls : public CallProxy<generated::Job_proxy> {
public:
    using CallProxy::CallProxy;

private:
    void onCompleted(const bool&, const std::string&) override {}
};

}  // namespace volumes::client
