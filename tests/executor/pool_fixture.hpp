#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "kmod/device_info.hpp"
#include "kmod/table_line.hpp"
#include "service/executor/run_transaction.hpp"
#include "tests/executor/layered_graph.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::executor::test {

inline constexpr std::uint64_t mib = 1 << 20;
inline constexpr std::uint64_t mib_sectors = mib / 512;

// One 32 MiB disk for the test pool, and a dm device of another owner on the same disk
// (stacked on by nothing) that every test must leave exactly as it found it. Its uuid differs
// from the pool's prefix in the prefix's last character only.
class PoolTest : public ::testing::Test {
protected:
    static inline const std::string foreign_name = "volumes-exec-foreign";
    static inline const std::string foreign_uuid = "VOLUMES-exec-test_foreign";

    void SetUp() override;
    void TearDown() override;

    // top over mid over 7 MiB of the disk from 1 MiB.
    Layers old_stack() const;
    // top over the same 7 MiB of the disk directly: mid leaves.
    Layers seed_stack() const;
    // seed_stack, and two new devices: e1-lower over the disk's 4 MiB from 12 MiB, e2-upper
    // over e1-lower. Every kind of step runs: create, load, load error, suspend, commit,
    // resume, remove.
    Layers grown_stack() const;

    // Runs a transaction that must succeed; empty on failure (the test has failed then).
    std::optional<TransactionReport> run(const Layers& layers);

    static std::string mapper_path(const std::string& role) { return "/dev/mapper/" + name_of(role); }

    volumes::test::LoopDevice disk_{32 * mib};

private:
    kmod::DeviceInfo foreign_info_;
    kmod::Table foreign_table_;
};

// Sets VOLUMESD_FAULT for its lifetime.
class FaultSetting {
public:
    explicit FaultSetting(const std::string& value);
    ~FaultSetting();
    FaultSetting(const FaultSetting&) = delete;
    FaultSetting& operator=(const FaultSetting&) = delete;
};

}  // namespace volumes::executor::test
