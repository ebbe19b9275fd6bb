#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kmod/udev_identity.hpp"
#include "service/executor/run_transaction.hpp"

namespace volumes::engine {

// The metadata side of a transaction that changes a thin pool's own metadata as well (see
// thin_changes.hpp): once the precommitted document is written, the thin-pool messages go to
// the pool's device, so the thin devices the plan then loads exist in the pool. With
// `quiesced` set, that device (a thin snapshot's origin) is suspended, freezing its
// filesystem, while the messages are sent, and resumed as `quiesced_identity`. A revert before the commit sends `undo`, best
// effort. Start-up rolls a precommitted document forward when the pool's transaction id
// shows its messages went through (pool_assembly.cpp).
class ThinMessagesCommit final : public executor::MetadataCommit {
public:
    ThinMessagesCommit(executor::MetadataCommit& metadata, std::string pool_device_uuid,
                       std::vector<std::string> messages, std::vector<std::string> undo,
                       std::optional<std::string> quiesced, kmod::UdevIdentity quiesced_identity)
        : metadata_(metadata),
          pool_device_uuid_(std::move(pool_device_uuid)),
          messages_(std::move(messages)),
          undo_(std::move(undo)),
          quiesced_(std::move(quiesced)),
          quiesced_identity_(quiesced_identity)
    {
    }

    executor::Result<void> write_precommitted() override;
    executor::Result<void> commit() override { return metadata_.commit(); }
    executor::Result<void> drop_precommitted() override;

private:
    executor::Result<void> send_messages();

    executor::MetadataCommit& metadata_;
    std::string pool_device_uuid_;
    std::vector<std::string> messages_;
    std::vector<std::string> undo_;
    std::optional<std::string> quiesced_;
    kmod::UdevIdentity quiesced_identity_;
    bool sent_any_ = false;
};

}  // namespace volumes::engine
