#include "service/engine/thin_messages_commit.hpp"

#include <fmt/core.h>

#include "kmod/device_mapper.hpp"
#include "kmod/udev_cookie.hpp"

namespace volumes::engine {

namespace {

executor::Result<void> failed(std::string message)
{
    return std::unexpected(executor::Error{executor::ErrorCode::Kernel, std::move(message)});
}

}  // namespace

executor::Result<void> ThinMessagesCommit::send_messages()
{
    const auto pool = kmod::DeviceId::by_uuid(pool_device_uuid_);
    for (const auto& message : messages_) {
        if (auto sent = kmod::dm::message(pool, message); !sent)
            return failed(fmt::format("thin-pool message '{}': {}", message, sent.error().message));
        sent_any_ = true;
    }
    return {};
}

executor::Result<void> ThinMessagesCommit::write_precommitted()
{
    if (auto written = metadata_.write_precommitted(); !written)
        return written;
    if (!quiesced_)
        return send_messages();
    const auto origin = kmod::DeviceId::by_uuid(*quiesced_);
    if (auto suspended = kmod::dm::suspend(origin, {.no_flush = false, .skip_lockfs = false}); !suspended)
        return failed(fmt::format("suspending the origin {}: {}", *quiesced_, suspended.error().message));
    auto sent = send_messages();
    kmod::UdevCookie cookie;
    auto resumed = kmod::dm::resume(origin, cookie, quiesced_identity_);
    if (!sent)
        return sent;
    if (!resumed)
        return failed(fmt::format("resuming the origin {}: {}", *quiesced_, resumed.error().message));
    return {};
}

executor::Result<void> ThinMessagesCommit::drop_precommitted()
{
    if (sent_any_) {
        const auto pool = kmod::DeviceId::by_uuid(pool_device_uuid_);
        for (const auto& message : undo_)
            (void)kmod::dm::message(pool, message);
    }
    return metadata_.drop_precommitted();
}

}  // namespace volumes::engine
