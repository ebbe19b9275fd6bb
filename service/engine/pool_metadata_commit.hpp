#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/engine/managed_pool.hpp"
#include "service/executor/run_transaction.hpp"

namespace volumes::engine {

// Writes one new pool document to the members a pool can write (those its next model does
// not mark failed), as the executor's metadata side.
class PoolMetadataCommit final : public executor::MetadataCommit {
public:
    PoolMetadataCommit(std::vector<OpenMember*> members, std::string document, std::uint64_t seq)
        : members_(std::move(members)), document_(std::move(document)), seq_(seq)
    {
    }

    executor::Result<void> write_precommitted() override;
    executor::Result<void> commit() override;
    executor::Result<void> drop_precommitted() override;

    // Members whose commit failed after another member's succeeded: they hold an older
    // document until the pool is next assembled.
    const std::vector<std::string>& stale() const { return stale_; }

    // The member whose precommitted copy could not be written for an I/O error (nothing was
    // committed anywhere then), if that is why write_precommitted failed.
    const std::optional<model::Uuid>& unwritable() const { return unwritable_; }

private:
    std::vector<OpenMember*> members_;
    std::optional<model::Uuid> unwritable_;
    std::string document_;
    std::uint64_t seq_;
    std::vector<std::string> stale_;
};

// For reconciliation: the metadata is already what the kernel is brought to.
class UnchangedMetadata final : public executor::MetadataCommit {
public:
    executor::Result<void> write_precommitted() override { return {}; }
    executor::Result<void> commit() override { return {}; }
    executor::Result<void> drop_precommitted() override { return {}; }
};

}  // namespace volumes::engine
