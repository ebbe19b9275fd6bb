#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "service/engine/managed_pool.hpp"
#include "service/executor/run_transaction.hpp"

namespace volumes::engine {

// Writes one new pool document to every member of a pool, as the executor's metadata side.
class PoolMetadataCommit final : public executor::MetadataCommit {
public:
    PoolMetadataCommit(std::vector<OpenMember>& members, std::string document, std::uint64_t seq)
        : members_(members), document_(std::move(document)), seq_(seq)
    {
    }

    executor::Result<void> write_precommitted() override;
    executor::Result<void> commit() override;
    executor::Result<void> drop_precommitted() override;

    // Members whose commit failed after another member's succeeded: they hold an older
    // document until the pool is next assembled.
    const std::vector<std::string>& stale() const { return stale_; }

private:
    std::vector<OpenMember>& members_;
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
