#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/model/volume_lookup.hpp"

// Properties over random pools: whatever the allocator hands out lies on the pool's members,
// is free, and does not overlap itself. The reference is a plain bitmap per member.
namespace volumes::allocator::testing {
namespace {

using volumes::testing::fails_with;
using volumes::testing::succeeded;

using Bitmap = std::map<Uuid, std::vector<bool>>;

class RandomPool {
public:
    explicit RandomPool(std::mt19937& random) : random_(random) {}

    Pool make()
    {
        std::vector<std::uint64_t> sizes(pick(1, 5));
        for (auto& size : sizes)
            size = pick(0, 60);
        pool_ = pool_of(sizes);

        ExtentMap used;
        for (const auto& member : pool_.members) {
            std::uint64_t at = pick(0, 4);
            while (at < member.extent_count) {
                const auto count = std::min(pick(1, 6), member.extent_count - at);
                used.push_back({member.uuid, at, count});
                at += count + pick(0, 4);
            }
        }
        std::shuffle(used.begin(), used.end(), random_);
        while (!used.empty()) {
            const auto take = static_cast<std::ptrdiff_t>(std::min<std::size_t>(pick(1, 4), used.size()));
            add_owner(ExtentMap(used.end() - take, used.end()));
            used.erase(used.end() - take, used.end());
        }
        return pool_;
    }

    std::uint64_t pick(std::uint64_t low, std::uint64_t high)
    {
        return std::uniform_int_distribution<std::uint64_t>(low, high)(random_);
    }

private:
    void add_owner(ExtentMap runs)
    {
        switch (pick(0, 3)) {
        case 0:
            add_linear(pool_, std::move(runs));
            break;
        case 1: {
            const auto origin = pool_.volumes.empty() ? uuid_of(0, 2) : pool_.volumes.front().uuid;
            add_volume(pool_, model::SnapshotLayout{origin, std::move(runs), 4096, model::SnapshotMergeState::None});
            break;
        }
        case 2: {
            model::ThinPoolLayout layout;
            layout.meta = {runs.front()};
            layout.data.assign(runs.begin() + 1, runs.end());
            const auto thin_pool = add_volume(pool_, layout);
            add_volume(pool_, model::ThinLayout{thin_pool, 0, std::nullopt, 1 << 30});
            break;
        }
        default: {
            model::Raid1Layout layout{1 << 20, {}};
            for (std::size_t i = 0; i < runs.size(); i += 2) {
                model::Raid1Leg leg;
                leg.meta = {runs[i]};
                if (i + 1 < runs.size())
                    leg.data = {runs[i + 1]};
                layout.legs.push_back(leg);
            }
            const auto array = add_volume(pool_, layout);
            add_volume(pool_, model::TrackedImageLayout{array, 0});
            break;
        }
        }
    }

    std::mt19937& random_;
    Pool pool_;
};

Bitmap used_bitmap(const Pool& pool)
{
    Bitmap used;
    for (const auto& member : pool.members)
        used[member.uuid].assign(member.extent_count, false);
    auto mark = [&](const ExtentMap& map) {
        for (const auto& run : map)
            for (auto e = run.start; e < run.start + run.count; ++e)
                used[run.member][e] = true;
    };
    for (const auto& volume : pool.volumes) {
        if (const auto* linear = std::get_if<model::LinearLayout>(&volume.layout))
            mark(linear->data);
        if (const auto* raid1 = std::get_if<model::Raid1Layout>(&volume.layout))
            for (const auto& leg : raid1->legs) {
                mark(leg.meta);
                mark(leg.data);
            }
        if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout))
            mark(snapshot->cow);
        if (const auto* thin_pool = std::get_if<model::ThinPoolLayout>(&volume.layout)) {
            mark(thin_pool->meta);
            mark(thin_pool->data);
        }
    }
    return used;
}

std::uint64_t free_on(const Bitmap& used, const Uuid& member)
{
    const auto& bits = used.at(member);
    return static_cast<std::uint64_t>(std::count(bits.begin(), bits.end(), false));
}

// Marks `map` in `taken`; fails if a run leaves its member or meets an extent already taken.
::testing::AssertionResult take(Bitmap& taken, const ExtentMap& map)
{
    for (const auto& run : map) {
        const auto found = taken.find(run.member);
        if (found == taken.end())
            return ::testing::AssertionFailure() << "run on " << run.member.to_string() << ", not a member";
        if (run.count == 0 || run.start + run.count > found->second.size())
            return ::testing::AssertionFailure() << "run " << run.start << "+" << run.count << " out of bounds";
        for (auto e = run.start; e < run.start + run.count; ++e) {
            if (found->second[e])
                return ::testing::AssertionFailure()
                       << "extent " << e << " of " << run.member.to_string() << " taken twice";
            found->second[e] = true;
        }
    }
    return ::testing::AssertionSuccess();
}

class AllocatorRandomPools : public ::testing::Test {
protected:
    std::mt19937 random{20240611};
    RandomPool pools{random};
    static constexpr int rounds = 300;

    std::vector<Uuid> some_members(const Pool& pool)
    {
        std::vector<Uuid> chosen;
        for (const auto& member : pool.members)
            if (pools.pick(0, 2) == 0)
                chosen.push_back(member.uuid);
        return chosen;
    }
};

TEST_F(AllocatorRandomPools, FreeExtentsAreExactlyTheUnusedOnes)
{
    for (int round = 0; round < rounds; ++round) {
        const auto pool = pools.make();
        const auto used = used_bitmap(pool);
        const auto free = free_extents(pool);
        ASSERT_EQ(free.size(), pool.members.size());
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < free.size(); ++i) {
            const auto& member = pool.members[i];
            ASSERT_EQ(free[i].member, member.uuid);
            std::vector<bool> covered(member.extent_count, false);
            for (std::size_t r = 0; r < free[i].runs.size(); ++r) {
                const auto& run = free[i].runs[r];
                ASSERT_EQ(run.member, member.uuid);
                ASSERT_GT(run.count, 0u);
                ASSERT_LE(run.start + run.count, member.extent_count);
                if (r > 0) {
                    const auto& before = free[i].runs[r - 1];
                    ASSERT_GT(run.start, before.start + before.count) << "runs out of order or not merged";
                }
                for (auto e = run.start; e < run.start + run.count; ++e)
                    covered[e] = true;
            }
            for (std::uint64_t e = 0; e < member.extent_count; ++e)
                ASSERT_NE(covered[e], used.at(member.uuid)[e]) << "round " << round << " extent " << e;
            EXPECT_EQ(free[i].extents(), free_on(used, member.uuid));
            total += free[i].extents();
        }
        EXPECT_EQ(free_extent_count(pool), total);
    }
}

TEST_F(AllocatorRandomPools, LinearMappingsTakeOnlyFreeExtentsAndHonourAvoid)
{
    for (int round = 0; round < rounds; ++round) {
        const auto pool = pools.make();
        const auto used = used_bitmap(pool);
        const auto avoid = some_members(pool);
        std::uint64_t total = 0;
        std::uint64_t without_avoided = 0;
        for (const auto& member : pool.members) {
            total += free_on(used, member.uuid);
            if (std::find(avoid.begin(), avoid.end(), member.uuid) == avoid.end())
                without_avoided += free_on(used, member.uuid);
        }
        const auto count = pools.pick(1, total + 3);

        const auto map = allocate_linear(pool, count, avoid);
        if (count > total) {
            ASSERT_TRUE(fails_with(map, model::ErrorCode::NoSpace)) << "round " << round;
            continue;
        }
        ASSERT_TRUE(succeeded(map)) << "round " << round;
        const auto again = allocate_linear(pool, count, avoid);
        ASSERT_TRUE(succeeded(again));
        EXPECT_EQ(*map, *again) << "not deterministic";
        EXPECT_EQ(model::extent_count(*map), count);
        auto taken = used;
        ASSERT_TRUE(take(taken, *map)) << "round " << round;
        for (std::size_t r = 1; r < map->size(); ++r) {
            const auto& before = (*map)[r - 1];
            const auto& run = (*map)[r];
            EXPECT_FALSE(before.member == run.member && before.start + before.count == run.start)
                << "adjacent runs not merged";
        }
        if (count <= without_avoided) {
            for (const auto& run : *map)
                EXPECT_EQ(std::find(avoid.begin(), avoid.end(), run.member), avoid.end())
                    << "round " << round << ": used an avoided member";
        }
    }
}

TEST_F(AllocatorRandomPools, Raid1LegsTakeOnlyFreeExtentsOnDistinctMembers)
{
    int allocated = 0;
    for (int round = 0; round < rounds; ++round) {
        const auto pool = pools.make();
        const auto used = used_bitmap(pool);
        const auto exclude = some_members(pool);
        const auto legs = static_cast<std::uint32_t>(pools.pick(1, 4));
        const auto data_extents = pools.pick(1, 25);
        std::uint32_t fitting = 0;
        for (const auto& member : pool.members)
            if (std::find(exclude.begin(), exclude.end(), member.uuid) == exclude.end() &&
                free_on(used, member.uuid) > data_extents)
                ++fitting;

        const auto result = allocate_raid1_legs(pool, legs, data_extents, exclude);
        if (fitting < legs) {
            ASSERT_TRUE(fails_with(result, model::ErrorCode::NoSpace)) << "round " << round;
            continue;
        }
        ASSERT_TRUE(succeeded(result)) << "round " << round;
        ++allocated;
        ASSERT_EQ(result->size(), legs);
        auto taken = used;
        std::vector<Uuid> members;
        for (const auto& leg : *result) {
            EXPECT_EQ(std::find(exclude.begin(), exclude.end(), leg.member), exclude.end()) << "excluded member used";
            EXPECT_EQ(std::find(members.begin(), members.end(), leg.member), members.end()) << "two legs on one member";
            members.push_back(leg.member);
            EXPECT_EQ(model::extent_count(leg.meta), 1u);
            EXPECT_EQ(model::extent_count(leg.data), data_extents);
            for (const auto& run : leg.meta)
                EXPECT_EQ(run.member, leg.member);
            for (const auto& run : leg.data)
                EXPECT_EQ(run.member, leg.member);
            ASSERT_TRUE(take(taken, leg.meta)) << "round " << round;
            ASSERT_TRUE(take(taken, leg.data)) << "round " << round;
        }
    }
    EXPECT_GT(allocated, rounds / 10) << "the random pools hardly ever fit; the test checks little";
}

}  // namespace
}  // namespace volumes::allocator::testing
