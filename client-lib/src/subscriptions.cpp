#include "bus_errors.hpp"
#include "client_impl.hpp"
#include "proxies.hpp"

namespace volumes::client {

class Subscription::Impl {
public:
    virtual ~Impl() = default;
};

namespace {

class SyncProgressWatch : public Subscription::Impl, public sdbus::ProxyInterfaces<generated::Raid1_proxy> {
public:
    SyncProgressWatch(sdbus::IConnection& bus, const std::string& path, std::function<void(const SyncProgress&)> handler)
        : ProxyInterfaces(bus, bus_name, path), handler_(std::move(handler))
    {
        registerProxy();
    }
    ~SyncProgressWatch() override { unregisterProxy(); }

private:
    void onSyncProgress(const std::string& action, const double& ratio, const uint64_t& done,
                        const uint64_t& total) override
    {
        handler_({action, ratio, done, total});
    }

    std::function<void(const SyncProgress&)> handler_;
};

class MergeCompletedWatch : public Subscription::Impl, public sdbus::ProxyInterfaces<generated::Snapshot_proxy> {
public:
    MergeCompletedWatch(sdbus::IConnection& bus, const std::string& path,
                        std::function<void(const MergeCompleted&)> handler)
        : ProxyInterfaces(bus, bus_name, path), handler_(std::move(handler))
    {
        registerProxy();
    }
    ~MergeCompletedWatch() override { unregisterProxy(); }

private:
    void onMergeCompleted(const sdbus::ObjectPath& origin, const bool& success, const std::string& message) override
    {
        handler_({origin, success, message});
    }

    std::function<void(const MergeCompleted&)> handler_;
};

}  // namespace

Subscription::Subscription() = default;
Subscription::Subscription(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Subscription::Subscription(Subscription&&) noexcept = default;
Subscription& Subscription::operator=(Subscription&&) noexcept = default;
Subscription::~Subscription() = default;

Subscription Client::on_sync_progress(const std::string& raid1, std::function<void(const SyncProgress&)> handler)
{
    return Subscription(
        translated([&] { return std::make_unique<SyncProgressWatch>(impl_->bus(), raid1, std::move(handler)); }));
}

Subscription Client::on_merge_completed(const std::string& snapshot, std::function<void(const MergeCompleted&)> handler)
{
    return Subscription(
        translated([&] { return std::make_unique<MergeCompletedWatch>(impl_->bus(), snapshot, std::move(handler)); }));
}

}  // namespace volumes::client
